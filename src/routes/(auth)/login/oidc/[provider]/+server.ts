import { error, redirect, type RequestHandler } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { findProvider } from '$lib/server/auth/oidc-providers';
import { beginTransaction } from '$lib/server/auth/oidc-transaction';
import { authorizationUrl, oidcRedirectUri } from '$lib/server/auth/oidc-client';
import { OIDC_COOKIE } from '$lib/server/http/cookies';

import { safeNext } from '$lib/server/http/session-cookie';

/** Starts signing in at a provider: a stored transaction, its cookie, and the redirect there. */
export const GET: RequestHandler = async ({ params, url, cookies, locals }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	const provider = findProvider(params.provider ?? '');
	if (!provider) error(404, 'Not found');
	const { token, row } = beginTransaction(db(), {
		provider: provider.id,
		purpose: 'sign_in',
		context: safeNext(url.searchParams.get('next'))
	});
	let target: URL;
	try {
		target = await authorizationUrl(provider, row, oidcRedirectUri());
	} catch {
		// Discovery failed (the provider is down or misconfigured): back to the form, which says so.
		redirect(303, '/login?oidc=unavailable');
	}
	cookies.set(OIDC_COOKIE.name, token, OIDC_COOKIE.options);
	redirect(303, target.href);
};
