import { redirect, type RequestHandler } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { signOut } from '$lib/server/auth/sign-in';
import { findProvider } from '$lib/server/auth/oidc-providers';
import { endSessionUrl } from '$lib/server/auth/oidc-client';
import { config } from '$lib/server/config';
import { PROVIDER_LOGOUT_COOKIE, SESSION_COOKIE } from '$lib/server/http/cookies';
import { clientOf } from '$lib/server/http/guard';

/**
 * Sign out of this browser, or with `everywhere` of every session the person has. A session opened
 * through a provider that offers RP-initiated logout ends there too: the CSP's form-action 'self'
 * forbids redirecting this form post to another site, so /login takes the browser there (its
 * address is handed over in a short-lived cookie) and the provider sends it back to /login.
 */
export const POST: RequestHandler = async (event) => {
	const { locals, cookies, request } = event;
	const person = locals.user ?? locals.pending?.user;
	let providerLogout: URL | null = null;
	if (person && locals.session) {
		const everywhere = (await request.formData()).get('everywhere') === 'on';
		signOut(db(), locals.session.id, person, clientOf(event), everywhere);
		const provider = locals.session.oidcProvider ? findProvider(locals.session.oidcProvider) : undefined;
		if (provider) providerLogout = await endSessionUrl(provider, locals.session.oidcIdToken, `${config.origin}/login`);
	}
	cookies.delete(SESSION_COOKIE.name, { path: '/', secure: config.production });
	if (providerLogout) cookies.set(PROVIDER_LOGOUT_COOKIE.name, providerLogout.href, PROVIDER_LOGOUT_COOKIE.options);
	redirect(303, '/login');
};
