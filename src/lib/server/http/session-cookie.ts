import type { Cookies } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { SESSION_COOKIE } from './cookies';

/** The cookie lives until the session's absolute end; the idle timeout is enforced on the server. */
export function setSessionCookie(cookies: Cookies, token: string, now = new Date()): void {
	cookies.set(SESSION_COOKIE.name, token, SESSION_COOKIE.options(new Date(now.getTime() + config.sessionLimits.absoluteMs)));
}

/**
 * Where to go after signing in (or switching language): a place on this portal, never another
 * site. Decided as a browser will read it, not by looking at the text: the WHATWG URL parser
 * resolves the value against the portal's origin (turning `\` into `/`, dropping tabs and line
 * breaks, and so on), and only a result with the same origin is kept. What is returned is the
 * parsed path, query and fragment, with leading slashes collapsed so it cannot be read as `//host`.
 */
export function safeNext(next: string | null, origin = config.origin): string {
	if (!next) return '/';
	const home = new URL(origin).origin;
	let url: URL;
	try {
		url = new URL(next, home);
	} catch {
		return '/';
	}
	if (url.origin !== home) return '/';
	return `/${url.pathname.replace(/^\/+/, '')}${url.search}${url.hash}`;
}
