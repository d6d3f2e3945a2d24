import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n/translate';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { frameworkOfPlan, getMainPlan } from '$lib/server/security-plan/plan';
import { addRisk, isResponsibleDirector, listRisks, responsibleDirector, riskChapters } from '$lib/server/security-plan/risks';
import { riskSchema } from '$lib/schemas/security-plan';

/** The main connector's plan: confidential, so `tenantId: null` keeps every tenant's people out (404). */
const PLAN = { tenantId: null };

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'security_plan.read', PLAN);
	const framework = frameworkOfPlan(db(), getMainPlan(db()));
	const language = frameworkLanguage(getLocale());
	return {
		risks: listRisks(db()).map((r) => ({ ...r, chapters: riskChapters(r) })),
		sections: framework?.sections.map((s) => ({ chapter: s.chapter, title: s.title[language] })) ?? [],
		director: responsibleDirector(db())?.name ?? null,
		canEdit: can(user, 'security_plan.edit', PLAN),
		isDirector: can(user, 'security_plan.approve', PLAN) && isResponsibleDirector(db(), user)
	};
};

export const actions: Actions = {
	add: async (event) => {
		authorize(event, 'security_plan.edit', PLAN);
		const parsed = parseForm(riskSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const result = addRisk(db(), actorOf(event), parsed.data);
		if (!result.ok && result.reason === 'invalid') return invalid({ [result.field]: translate(result.code) }, parsed.values);
		if (!result.ok) error(404, m.error_not_found());
		return { added: parsed.data.title };
	}
};
