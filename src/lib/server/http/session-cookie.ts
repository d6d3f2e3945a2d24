import type { Cookies } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { SESSION_COOKIE } from './cookies';

/** The cookie lives until the session's absolute end; the idle timeout is enforced on the server. */
export function setSessionCookie(cookies: Cookies, token: string, now = new Date()): void {
	cookies.set(SESSION_COOKIE.name, token, SESSION_COOKIE.options(new Date(now.getTime() + config.sessionLimits.absoluteMs)));
}

/** Where to go after signing in: only a local path, never another site. */
export function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
