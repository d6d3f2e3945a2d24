import type { Actions, PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n/translate';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { frameworkOfPlan, getPlan, ownPlanOf } from '$lib/server/security-plan/plan';
import { listChecks, recordCheck } from '$lib/server/security-plan/follow-up';
import { planCheckSchema } from '$lib/schemas/security-plan';
import { pageNumber } from '$lib/schemas/fields';
import { todayInHelsinki } from '$lib/time';

const PAGE_SIZE = 50;

/** The follow-up log of the person's own organisation's plan (see ../+page.server.ts). */
export const load: PageServerLoad = (event) => {
	const owner = ownPlanOf(event.locals.user);
	const user = authorize(event, 'security_plan.read', owner);
	const page = pageNumber.parse(event.url.searchParams.get('page'));
	const { rows, total } = listChecks(db(), owner, page, PAGE_SIZE);
	const language = frameworkLanguage(getLocale());
	return {
		checks: rows.map((r) => ({
			id: r.id,
			checkedOn: r.checkedOn,
			checkedByName: r.checkedByName,
			chapters: r.chapters ? r.chapters.split(',') : [],
			requirementId: r.requirementId,
			what: r.what,
			findings: r.findings
		})),
		page,
		pageSize: PAGE_SIZE,
		total,
		today: todayInHelsinki(),
		sections: frameworkOfPlan(db(), getPlan(db(), owner))?.sections.map((s) => ({ chapter: s.chapter, title: s.title[language] })) ?? [],
		canRecord: can(user, 'security_plan.edit', owner)
	};
};

export const actions = {
	record: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const parsed = parseForm(planCheckSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const result = recordCheck(db(), actorOf(event), owner, parsed.data);
		if (!result.ok) return invalid({ [result.field]: translate(result.code) }, parsed.values);
		return answer('recorded', { recorded: true });
	}
} satisfies Actions;
