import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { confirmEnrolment, isTwoFactorEnabled, keyUri, pendingSecret, verifySecondFactor } from '$lib/server/auth/two-factor';
import { getMainConnector } from '$lib/server/organisation/organisation';
import { sendSecurityNotice } from '$lib/server/auth/security-notice';
import { enrolmentSchema } from '$lib/schemas/auth';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { qrCode } from '$lib/server/http/qr';
import { safeNext } from '$lib/server/http/session-cookie';
import { codeRefused } from '$lib/server/http/second-factor';

/**
 * Who is setting up an authenticator: a signed-in person (optional, or replacing one) or someone
 * whose role requires it and who has just given their password.
 */
function enrolling(event: RequestEvent) {
	const { pending, session } = event.locals;
	if (pending?.step === 'verify') redirect(303, `/two-factor?next=${encodeURIComponent(safeNext(event.url.searchParams.get('next')))}`);
	const person = pending?.step === 'enrol' ? pending.user : authorize(event, 'account.manage');
	return { person, sessionId: session!.id, required: pending !== null };
}

/** Groups of four, as authenticator apps show a key typed in by hand. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)!.join(' ');

export const load: PageServerLoad = (event) => {
	const { person, required } = enrolling(event);
	const secret = pendingSecret(db(), actorOf(event), person);
	// The app lists the key under this name; the organisation tells apart two Liitos installations.
	const organisation = getMainConnector(db())?.name;
	const issuer = organisation ? `${m.app_name()} (${organisation})` : m.app_name();
	return {
		required,
		replacing: isTwoFactorEnabled(db(), person.id),
		secret: grouped(secret),
		qr: qrCode(keyUri(secret, person.email, issuer)),
		next: safeNext(event.url.searchParams.get('next'))
	};
};

export const actions = {
	default: async (event) => {
		const { person, sessionId } = enrolling(event);
		const replacing = isTwoFactorEnabled(db(), person.id);
		const parsed = parseForm(enrolmentSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors);
		// An open session alone must not be enough to move someone's second factor to another phone.
		if (replacing) {
			if (!parsed.data.currentCode) return invalid({ currentCode: m.error_required() });
			const current = verifySecondFactor(db(), actorOf(event), person, parsed.data.currentCode, 'settings');
			if (!current.ok) return codeRefused(current, 'currentCode');
		}
		const result = confirmEnrolment(db(), actorOf(event), person, parsed.data.code, sessionId);
		if (!result.ok) return codeRefused(result);
		await sendSecurityNotice(db(), person.id, replacing ? 'two_factor_replaced' : 'two_factor_enabled');
		return { recoveryCodes: result.recoveryCodes };
	}
} satisfies Actions;
