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
import { frameworkOfPlan, getPlan, ownPlanOf } from '$lib/server/security-plan/plan';
import { addRisk, isResponsibleDirector, listRisks, responsibleDirector, riskChapters } from '$lib/server/security-plan/risks';
import { riskSchema } from '$lib/schemas/security-plan';

/** The plan of the person's own organisation (see ../+page.server.ts). */

export const load: PageServerLoad = (event) => {
	const owner = ownPlanOf(event.locals.user);
	const user = authorize(event, 'security_plan.read', owner);
	const framework = frameworkOfPlan(db(), getPlan(db(), owner));
	const language = frameworkLanguage(getLocale());
	return {
		risks: listRisks(db(), owner).map((r) => ({ ...r, chapters: riskChapters(r) })),
		sections: framework?.sections.map((s) => ({ chapter: s.chapter, title: s.title[language] })) ?? [],
		director: responsibleDirector(db(), owner)?.name ?? null,
		canEdit: can(user, 'security_plan.edit', owner),
		isDirector: can(user, 'security_plan.approve', owner) && isResponsibleDirector(db(), owner, user)
	};
};

export const actions: Actions = {
	add: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const parsed = parseForm(riskSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const result = addRisk(db(), actorOf(event), owner, parsed.data);
		if (!result.ok && result.reason === 'invalid') return invalid({ [result.field]: translate(result.code) }, parsed.values);
		if (!result.ok) error(404, m.error_not_found());
		return { added: parsed.data.title };
	}
};
