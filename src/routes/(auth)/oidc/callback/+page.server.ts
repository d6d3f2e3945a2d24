import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { findProvider } from '$lib/server/auth/oidc-providers';
import { takeTransaction } from '$lib/server/auth/oidc-transaction';
import { OidcCallbackError, redeemCallback } from '$lib/server/auth/oidc-client';
import { completeOidcSignIn, recordRefusedCallback, type OidcRefusal } from '$lib/server/auth/oidc-sign-in';
import { completeIdentifiedSignature, type IdentifiedSignatureResult } from '$lib/server/agreements/identified-signature';
import { carryOutAgreementFollowUp } from '$lib/server/agreements/follow-up';
import { OIDC_COOKIE } from '$lib/server/http/cookies';
import { clientOf } from '$lib/server/http/guard';
import { safeNext, setSessionCookie } from '$lib/server/http/session-cookie';

const refusalMessage = (reason: OidcRefusal) =>
	reason === 'email_unverified'
		? m.oidc_email_unverified()
		: reason === 'linked_elsewhere'
			? m.oidc_linked_elsewhere()
			: m.oidc_no_account();

function signatureRefusal(result: Exclude<IdentifiedSignatureResult, { ok: true }>): string {
	if (result.reason === 'identification_refused')
		return result.why === 'acr'
			? m.agreement_identification_refused_acr()
			: result.why === 'subject'
				? m.agreement_identification_refused_subject()
				: m.agreement_identification_refused_other();
	if (result.reason === 'wrong_state') return m.agreement_wrong_state();
	if (result.reason === 'name_mismatch') return m.agreement_name_mismatch();
	return m.agreement_identification_refused_other();
}

/**
 * Where every provider sends the browser back, for signing in and for signing an agreement. The
 * transaction is taken (and so removed) first: a replayed or forged callback, or one without our
 * cookie, ends on this page with the reason, in the reader's language.
 */
export const load: PageServerLoad = async (event) => {
	const token = event.cookies.get(OIDC_COOKIE.name);
	event.cookies.delete(OIDC_COOKIE.name, { path: '/', secure: OIDC_COOKIE.options.secure });
	const tx = takeTransaction(db(), token);
	const provider = tx ? findProvider(tx.provider) : undefined;
	const title = tx?.purpose === 'signature' ? m.agreement_identification_title() : m.oidc_failed_title();
	if (!tx || !provider) return { title, failure: m.oidc_expired() };
	const client = clientOf(event);
	let identity;
	try {
		// A signature asked for max_age=0: auth_time must then be present (and signAgreement checks it is fresh).
		identity = await redeemCallback(provider, tx, event.url, tx.purpose === 'signature' ? 3600 : undefined);
	} catch (e) {
		recordRefusedCallback(db(), provider.id, e instanceof OidcCallbackError ? e.message : 'provider unreachable', client);
		return { title, failure: e instanceof OidcCallbackError ? m.oidc_refused() : m.oidc_unavailable() };
	}
	if (tx.purpose === 'signature') {
		const user = event.locals.user;
		if (!user) redirect(303, '/login');
		const { agreementId, result } = await completeIdentifiedSignature(db(), user, tx, identity, client);
		if (!result.ok) return { title, failure: signatureRefusal(result) };
		// Sealing and the mails; whatever fails is retried by the scheduler, the signature stands.
		await carryOutAgreementFollowUp(db(), agreementId ?? undefined);
		redirect(303, `/agreements/${agreementId}?signed=1`);
	}
	const result = completeOidcSignIn(db(), identity, client);
	if (!result.ok) return { title, failure: refusalMessage(result.reason) };
	setSessionCookie(event.cookies, result.token);
	redirect(303, safeNext(tx.context));
};
