import { fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { getUser } from '$lib/server/auth/accounts';
import { changePassword } from '$lib/server/people/people';
import { hashPassword } from '$lib/server/auth/password';
import { confirmPassword } from '$lib/server/auth/step-up';
import { formatTime } from '$lib/i18n/format';
import { changePasswordSchema } from '$lib/schemas/account';
import { secondFactorSchema } from '$lib/schemas/auth';
import { removeTwoFactor, renewRecoveryCodes, requiresTwoFactor, twoFactorSummary, verifySecondFactor } from '$lib/server/auth/two-factor';
import type { SessionUser } from '$lib/server/auth/session';
import { sendSecurityNotice } from '$lib/server/auth/security-notice';
import { codeRefused } from '$lib/server/http/second-factor';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { passwordProblem } from '$lib/server/http/set-password';
import { config } from '$lib/server/config';
import { createCalendarToken, hasCalendarToken, revokeCalendarToken } from '$lib/server/calendar/feed';

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'account.manage');
	return {
		account: { name: user.name, email: user.email, roles: user.roles },
		hasCalendar: hasCalendarToken(db(), user.id),
		twoFactor: { ...twoFactorSummary(db(), user.id), required: requiresTwoFactor(user.roles) }
	};
};

/** Changing the second factor asks for a current code, so a session left open is not enough. */
async function checkCode(event: RequestEvent, user: SessionUser) {
	const parsed = parseForm(secondFactorSchema, await event.request.formData());
	if (!parsed.ok) return { failure: invalid(parsed.errors, {}, 'twoFactor') };
	const result = verifySecondFactor(db(), actorOf(event), user, parsed.data.code, 'settings');
	return { failure: result.ok ? null : codeRefused(result, 'code', 'twoFactor') };
}

export const actions = {
	recoveryCodes: async (event) => {
		const user = authorize(event, 'account.manage');
		const { failure } = await checkCode(event, user);
		if (failure) return failure;
		const recoveryCodes = renewRecoveryCodes(db(), actorOf(event), user);
		await sendSecurityNotice(db(), user.id, 'recovery_codes_renewed');
		return answer('twoFactor', { recoveryCodes });
	},
	disableTwoFactor: async (event) => {
		const user = authorize(event, 'account.manage');
		if (requiresTwoFactor(user.roles)) return invalid({ code: m.two_factor_cannot_disable() }, {}, 'twoFactor');
		const { failure } = await checkCode(event, user);
		if (failure) return failure;
		removeTwoFactor(db(), actorOf(event), user, 'self');
		await sendSecurityNotice(db(), user.id, 'two_factor_disabled');
		return answer('twoFactor', { twoFactorDisabled: true });
	},
	calendar: (event) => {
		const user = authorize(event, 'account.manage');
		const token = createCalendarToken(db(), actorOf(event), user.id);
		return { calendarUrl: `${config.origin}/calendar/${token}.ics` };
	},
	revokeCalendar: (event) => {
		const user = authorize(event, 'account.manage');
		revokeCalendarToken(db(), actorOf(event), user.id);
		return { calendarRevoked: true };
	},
	password: async (event) => {
		const user = authorize(event, 'account.manage');
		const parsed = parseForm(changePasswordSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const confirmed = await confirmPassword(db(), actorOf(event), user, parsed.data.currentPassword, 'password_change');
		if (!confirmed.ok) {
			const message =
				confirmed.reason === 'throttled' ? m.login_throttled({ time: formatTime(confirmed.retryAt) }) : m.error_current_password_wrong();
			return fail(confirmed.reason === 'throttled' ? 429 : 400, { errors: { currentPassword: message }, values: parsed.values });
		}
		const person = getUser(db(), user.id)!;
		const problem = passwordProblem(parsed.data.password, parsed.data.passwordConfirm, person);
		if (problem) return fail(400, { errors: { [problem.field]: problem.message }, values: parsed.values });
		changePassword(db(), actorOf(event), person, await hashPassword(parsed.data.password), event.locals.session!.id);
		await sendSecurityNotice(db(), person.id, 'password_changed');
		return { passwordChanged: true };
	}
} satisfies Actions;
