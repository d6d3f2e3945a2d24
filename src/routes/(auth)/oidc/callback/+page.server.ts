import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { findProvider } from '$lib/server/auth/oidc-providers';
import { takeTransaction } from '$lib/server/auth/oidc-transaction';
import { OidcCallbackError, redeemCallback } from '$lib/server/auth/oidc-client';
import { completeOidcSignIn, recordRefusedCallback, type OidcRefusal } from '$lib/server/auth/oidc-sign-in';
import { OIDC_COOKIE } from '$lib/server/http/cookies';
import { clientOf } from '$lib/server/http/guard';
import { safeNext, setSessionCookie } from '$lib/server/http/session-cookie';

const refusalMessage = (reason: OidcRefusal) =>
	reason === 'email_unverified'
		? m.oidc_email_unverified()
		: reason === 'linked_elsewhere'
			? m.oidc_linked_elsewhere()
			: m.oidc_no_account();

/**
 * Where every provider sends the browser back. The transaction is taken (and so removed) first:
 * a replayed or forged callback, or one without our cookie, ends on this page with the reason.
 */
export const load: PageServerLoad = async (event) => {
	const token = event.cookies.get(OIDC_COOKIE.name);
	event.cookies.delete(OIDC_COOKIE.name, { path: '/', secure: OIDC_COOKIE.options.secure });
	const tx = takeTransaction(db(), token);
	const provider = tx ? findProvider(tx.provider) : undefined;
	if (!tx || !provider) return { failure: m.oidc_expired() };
	const client = clientOf(event);
	let identity;
	try {
		identity = await redeemCallback(provider, tx, event.url);
	} catch (e) {
		recordRefusedCallback(db(), provider.id, e instanceof OidcCallbackError ? e.message : 'provider unreachable', client);
		return { failure: e instanceof OidcCallbackError ? m.oidc_refused() : m.oidc_unavailable() };
	}
	const result = completeOidcSignIn(db(), identity, client);
	if (!result.ok) return { failure: refusalMessage(result.reason) };
	setSessionCookie(event.cookies, result.token);
	redirect(303, safeNext(tx.context));
};
