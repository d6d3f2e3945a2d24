import { error, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { deactivatePerson, getPersonInScope, invitePerson, reactivatePerson, resendInvitation, setRoles } from '$lib/server/people/people';
import { sendMail } from '$lib/server/mail/mailer';
import { getMainConnector } from '$lib/server/organisation/organisation';
import { resetOthersTwoFactor } from '$lib/server/auth/two-factor';
import { sendSecurityNotice } from '$lib/server/auth/security-notice';
import { sendRoleGrantNotices } from '$lib/server/people/role-grant-notice';
import { inviteSchema, rolesSchema, secondFactorSchema } from '$lib/schemas/auth';
import { codeRefused } from './second-factor';
import { actorOf } from './guard';
import { answer, invalid, parseForm } from './forms';

/**
 * Inviting and deactivating people works the same for the main connector's own people
 * (`tenantId` null) and a tenant's. The caller has already authorised the action for `tenantId`.
 */
export async function mailInvitation(person: { email: string; name: string }, token: string) {
	const link = `${config.origin}/invitation/${token}`;
	await sendMail(db(), {
		to: person.email,
		subject: m.mail_invitation_subject({ organisation: getMainConnector(db())?.name ?? m.app_name() }),
		body: m.mail_invitation_body({ name: person.name, link }),
		oneTimeLink: link
	});
}

/** How the role-grant notice names the administrator who granted it. */
function grantedBy(event: RequestEvent): string {
	const user = event.locals.user;
	return user ? `${user.name} <${user.email}>` : actorOf(event).label;
}

export async function invite(event: RequestEvent, tenantId: string | null) {
	const parsed = parseForm(inviteSchema, await event.request.formData());
	if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'people');
	const result = invitePerson(db(), actorOf(event), { ...parsed.data, tenantId });
	if (!result.ok)
		return result.reason === 'email_taken'
			? invalid({ email: m.error_email_taken() }, parsed.values, 'people')
			: invalid({ roles: m.error_choose_role() }, parsed.values, 'people');
	await mailInvitation(parsed.data, result.token);
	await sendRoleGrantNotices(db(), { ...parsed.data, tenantId }, parsed.data.roles, grantedBy(event));
	return answer('people', { invited: parsed.data.email });
}

/** The person named in the form, if they belong to `tenantId`; otherwise 404. */
async function personInScope(event: RequestEvent, tenantId: string | null, form?: FormData) {
	const id = String((form ?? (await event.request.formData())).get('userId') ?? '');
	return getPersonInScope(db(), id, { tenantId }) ?? error(404, m.error_not_found());
}

export async function deactivate(event: RequestEvent, tenantId: string | null) {
	const person = await personInScope(event, tenantId);
	if (!deactivatePerson(db(), actorOf(event), person).ok) return invalid({ people: m.error_cannot_deactivate_self() }, {}, 'people');
	return answer('people', { deactivated: person.email });
}

export async function reactivate(event: RequestEvent, tenantId: string | null) {
	const person = await personInScope(event, tenantId);
	if (person.status !== 'deactivated') return invalid({ people: m.error_invalid_value() }, {}, 'people');
	const token = reactivatePerson(db(), actorOf(event), person);
	await mailInvitation(person, token);
	return answer('people', { invited: person.email });
}

/** For a lost phone: the person's authenticator, recovery codes, sessions and calendar address go. */
export async function resetTwoFactor(event: RequestEvent, tenantId: string | null) {
	const form = await event.request.formData();
	const person = await personInScope(event, tenantId, form);
	const administrator = event.locals.user!;
	const parsed = parseForm(secondFactorSchema, form);
	if (!parsed.ok) return invalid({ people: m.two_factor_code_wrong() }, {}, 'people');
	const result = resetOthersTwoFactor(db(), actorOf(event), administrator, person, parsed.data.code);
	if (!result.ok) {
		if (result.reason === 'invalid' || result.reason === 'throttled') return codeRefused(result, 'people', 'people');
		return invalid(
			{ people: result.reason === 'no_own_factor' ? m.people_two_factor_reset_needs_own() : m.error_invalid_value() },
			{},
			'people'
		);
	}
	await sendSecurityNotice(db(), person.id, 'two_factor_reset');
	return answer('people', { twoFactorReset: person.email });
}

export async function resend(event: RequestEvent, tenantId: string | null) {
	const person = await personInScope(event, tenantId);
	const token = resendInvitation(db(), actorOf(event), person);
	if (!token) return invalid({ people: m.error_invalid_value() }, {}, 'people');
	await mailInvitation(person, token);
	return answer('people', { invited: person.email });
}

export async function changeRoles(event: RequestEvent, tenantId: string | null) {
	const form = await event.request.formData();
	const person = await personInScope(event, tenantId, form);
	const parsed = parseForm(rolesSchema, form);
	if (!parsed.ok) return invalid({ people: m.error_choose_role() }, {}, 'people');
	const result = setRoles(db(), actorOf(event), person, parsed.data.roles);
	if (!result.ok)
		return invalid({ people: result.reason === 'own_roles' ? m.error_cannot_change_own_roles() : m.error_choose_role() }, {}, 'people');
	await sendRoleGrantNotices(db(), person, result.added, grantedBy(event));
	return answer('people', { rolesChanged: person.email });
}
