import { config } from '$lib/server/config';

/** HttpOnly, SameSite=Lax; Secure in production (browsers treat http://localhost as secure too). */
export function sessionCookieOptions(expiresAt: Date) {
	return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.production, expires: expiresAt };
}
