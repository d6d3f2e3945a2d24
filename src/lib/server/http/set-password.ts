import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import type { TokenPurpose } from '$lib/domain';
import { db } from '$lib/server/db';
import { findTokenHolder, redeemToken } from '$lib/server/auth/email-links';
import { hashPassword } from '$lib/server/auth/password';
import { checkPassword } from '$lib/server/auth/password-policy';
import { createSession, generateSessionToken } from '$lib/server/auth/session';
import { passwordRefusedFor } from '$lib/server/auth/oidc-policy';
import { listProviders } from '$lib/server/auth/oidc-providers';
import { providerOrganisation } from '$lib/server/auth/oidc-sign-in';
import { newPasswordSchema } from '$lib/schemas/auth';
import { clientOf } from './guard';
import { invalid, parseForm } from './forms';
import { setSessionCookie } from './session-cookie';

const POLICY_MESSAGES = {
	too_short: m.error_password_too_short,
	too_long: m.error_password_too_long,
	too_common: m.error_password_too_common
} as const;

/** Validates a new password against the policy; a translated message or null. */
export function passwordProblem(
	password: string,
	confirm: string,
	context: { email?: string; name?: string }
): { field: string; message: string } | null {
	const problem = checkPassword(password, context);
	if (problem) return { field: 'password', message: POLICY_MESSAGES[problem]() };
	if (password !== confirm) return { field: 'passwordConfirm', message: m.error_password_mismatch() };
	return null;
}

/**
 * Shared by invitation and password-reset links: who the link is for, or 404 for a dead link. For
 * an organisation that signs in only through its provider, `ssoOnly` and the providers to use
 * instead of a password form.
 */
export function loadTokenHolder(token: string, purpose: TokenPurpose) {
	const holder = findTokenHolder(db(), token, purpose);
	if (!holder) error(404, m.link_invalid());
	const ssoOnly = passwordRefusedFor(db(), holder);
	const providers = ssoOnly
		? listProviders()
				.filter((p) => providerOrganisation(db(), p) === holder.tenantId)
				.map((p) => ({ name: p.displayName, href: `/login/oidc/${p.id}` }))
		: [];
	return { name: holder.name, email: holder.email, ssoOnly, providers };
}

/** Sets the password from a link, then signs the person in. */
export async function setPasswordFromLink(event: RequestEvent, purpose: TokenPurpose) {
	const token = event.params.token ?? '';
	const holder = findTokenHolder(db(), token, purpose);
	if (!holder) error(404, m.link_invalid());
	if (passwordRefusedFor(db(), holder)) return fail(403, { errors: { form: m.set_password_sso_only() }, values: {} });
	const parsed = parseForm(newPasswordSchema, await event.request.formData());
	if (!parsed.ok) return invalid(parsed.errors, parsed.values);
	const problem = passwordProblem(parsed.data.password, parsed.data.passwordConfirm, holder);
	if (problem) return fail(400, { errors: { [problem.field]: problem.message }, values: parsed.values });

	const passwordHash = await hashPassword(parsed.data.password);
	const client = clientOf(event);
	const person = redeemToken(db(), token, purpose, passwordHash, { ...client, locale: getLocale() });
	if (!person) error(404, m.link_invalid());
	const sessionToken = generateSessionToken();
	createSession(db(), sessionToken, person.id, client);
	setSessionCookie(event.cookies, sessionToken);
	redirect(303, '/');
}
