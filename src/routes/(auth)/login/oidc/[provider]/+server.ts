import { error, redirect, type RequestHandler } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { findProvider } from '$lib/server/auth/oidc-providers';
import { beginSignInTransaction } from '$lib/server/auth/oidc-transaction';
import { clientOf } from '$lib/server/http/guard';
import { authorizationUrl, oidcRedirectUri } from '$lib/server/auth/oidc-client';
import { OIDC_COOKIE } from '$lib/server/http/cookies';

import { safeNext } from '$lib/server/http/session-cookie';

/** Starts signing in at a provider: a stored transaction, its cookie, and the redirect there. */
export const GET: RequestHandler = async (event) => {
	const { params, url, cookies, locals } = event;
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	const provider = findProvider(params.provider ?? '');
	if (!provider) error(404, 'Not found');
	const begun = beginSignInTransaction(
		db(),
		{ provider: provider.id, context: safeNext(url.searchParams.get('next')) },
		clientOf(event).ipAddress
	);
	// Too many sign-ins begun from this address: back to the form, which says so.
	if (!begun.ok) redirect(303, '/login?oidc=throttled');
	const { token, row } = begun;
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
