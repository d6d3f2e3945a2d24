import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE, SESSION_LIFETIME_MS } from '$lib/server/auth/session';
import { sessionCookieOptions } from './cookies';

export function setSessionCookie(cookies: Cookies, token: string, now = new Date()): void {
	cookies.set(SESSION_COOKIE, token, sessionCookieOptions(new Date(now.getTime() + SESSION_LIFETIME_MS)));
}

/** Where to go after signing in: only a local path, never another site. */
export function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
