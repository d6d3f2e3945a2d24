import { config } from '$lib/server/config';

/**
 * The session cookie. In production it is Secure and named with the `__Host-` prefix, which makes
 * the browser refuse it unless it is Secure, has Path=/ and no Domain, so neither a sibling
 * subdomain nor a plain-HTTP page can set or replace it (ASVS V3.4.1, V3.4.4). Browsers treat
 * http://localhost as a secure context, so `npm start` on one's own machine works too; the plain
 * name is for `vite dev` and tests without NODE_ENV=production.
 */
export function sessionCookie(production: boolean) {
	return {
		name: production ? '__Host-liitos_session' : 'liitos_session',
		/** HttpOnly, SameSite=Lax; no `domain`, so the cookie stays with this host only. */
		options: (expiresAt: Date) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: production, expires: expiresAt })
	};
}

export const SESSION_COOKIE = sessionCookie(config.production);

/**
 * The OpenID Connect request in flight: a random token naming the server-side transaction (state,
 * nonce, PKCE verifier). SameSite=Lax so it comes back with the provider's top-level redirect.
 */
export const OIDC_COOKIE = {
	name: config.production ? '__Host-liitos_oidc' : 'liitos_oidc',
	options: { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.production, maxAge: 10 * 60 }
};

/** Where /login sends the browser to sign out at the provider too, right after /logout. */
export const PROVIDER_LOGOUT_COOKIE = {
	name: config.production ? '__Host-liitos_provider_logout' : 'liitos_provider_logout',
	options: { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.production, maxAge: 60 }
};
