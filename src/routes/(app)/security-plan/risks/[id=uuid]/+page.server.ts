import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize, clientOf } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { stepUpErrors } from '$lib/server/http/step-up';
import { hasPassword } from '$lib/server/auth/step-up';
import { isTwoFactorEnabled } from '$lib/server/auth/two-factor';
import { translate } from '$lib/i18n/translate';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { frameworkOfPlan, getPlan, ownPlanOf } from '$lib/server/security-plan/plan';
import { getRisk, isResponsibleDirector, removeRisk, riskChapters, updateRisk } from '$lib/server/security-plan/risks';
import { acceptRiskConfirmed } from '$lib/server/security-plan/risk-acceptance';
import { riskSchema } from '$lib/schemas/security-plan';
import { confirmationSchema } from '$lib/schemas/agreement';

/** Step-up, and the risk's `updatedAt` (epoch ms) on the page the director read. */
const acceptSchema = confirmationSchema.extend({ shown: z.coerce.number().int().nonnegative() });

/** The plan of the person's own organisation (see ../../+page.server.ts): another plan's risk is not found. */

export const load: PageServerLoad = (event) => {
	const owner = ownPlanOf(event.locals.user);
	const user = authorize(event, 'security_plan.read', owner);
	const risk = getRisk(db(), owner, event.params.id);
	if (!risk) error(404, m.error_not_found());
	const language = frameworkLanguage(getLocale());
	const framework = frameworkOfPlan(db(), getPlan(db(), owner));
	const isDirector = can(user, 'security_plan.approve', owner) && isResponsibleDirector(db(), owner, user);
	return {
		risk: { ...risk, chapters: riskChapters(risk) },
		sections: framework?.sections.map((s) => ({ chapter: s.chapter, title: s.title[language] })) ?? [],
		canEdit: can(user, 'security_plan.edit', owner),
		isDirector,
		// Accepting a residual risk is confirmed as approving the plan is (step-up).
		stepUpWithCode: isDirector && isTwoFactorEnabled(db(), user.id),
		stepUpNoPassword: isDirector && !hasPassword(db(), user.id)
	};
};

export const actions = {
	save: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		// Another plan's risk is not found before the form is read.
		if (!getRisk(db(), owner, event.params.id)) error(404, m.error_not_found());
		const parsed = parseForm(riskSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const result = updateRisk(db(), actorOf(event), owner, event.params.id, parsed.data);
		if (!result.ok && result.reason === 'invalid') return invalid({ [result.field]: translate(result.code) }, parsed.values);
		if (!result.ok) error(404, m.error_not_found());
		return { saved: true };
	},
	remove: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		if (!removeRisk(db(), actorOf(event), owner, event.params.id)) error(404, m.error_not_found());
		redirect(303, '/security-plan/risks');
	},
	accept: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		const user = authorize(event, 'security_plan.approve', owner);
		// Another plan's risk is not found before the form is read.
		if (!getRisk(db(), owner, event.params.id)) error(404, m.error_not_found());
		const parsed = parseForm(acceptSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, {}, 'accept');
		const result = await acceptRiskConfirmed(db(), owner, user, parsed.data, event.params.id, parsed.data.shown, clientOf(event));
		if (result.ok) return answer('accept', { accepted: true });
		if (result.reason === 'not_found') error(404, m.error_not_found());
		if (result.reason === 'not_director') error(403, m.security_risk_error_not_director());
		if (result.reason === 'already_accepted') return invalid({ form: m.security_risk_already_accepted() }, {}, 'accept');
		if (result.reason === 'changed_meanwhile') return invalid({ form: m.security_risk_changed_meanwhile() }, {}, 'accept', 409);
		return invalid(stepUpErrors(result), {}, 'accept', result.reason === 'throttled' ? 429 : 400);
	}
} satisfies Actions;
