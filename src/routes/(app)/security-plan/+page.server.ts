import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { can } from '$lib/server/auth/authorize';
import { markReviewed, ownerChoices, planOverview } from '$lib/server/security-plan/plan';
import { reviewedSchema, shareSchema } from '$lib/schemas/security-plan';
import { bindingChapters, setSectionBinding } from '$lib/server/security-plan/sharing';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { getLocale } from '$lib/paraglide/runtime';
import { hasUnapprovedChanges, latestVersion } from '$lib/server/security-plan/versions';
import { bindingChangesPending } from '$lib/server/security-plan/acknowledgements';

/** The main connector's plan: confidential, so `tenantId: null` keeps every tenant's people out (404). */
const PLAN = { tenantId: null };

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'security_plan.read', PLAN);
	const overview = planOverview(db());
	const owners = new Map(ownerChoices(db()).map((p) => [p.id, p.name]));
	const language = frameworkLanguage(getLocale());
	if (!overview)
		return { overview: null, language, canEdit: false, owners: {}, binding: [], approved: null, pending: false, bindingPending: false };
	const canEdit = can(user, 'security_plan.edit', PLAN);
	return {
		overview,
		language,
		canEdit,
		owners: Object.fromEntries(owners),
		binding: [...bindingChapters(db())],
		approved: latestVersion(db())?.version ?? null,
		pending: hasUnapprovedChanges(db()),
		// Tenants see the binding sections as last approved: the editors are told when that lags behind.
		bindingPending: canEdit && bindingChangesPending(db())
	};
};

export const actions: Actions = {
	reviewed: async (event) => {
		authorize(event, 'security_plan.edit', PLAN);
		const parsed = reviewedSchema.safeParse(Object.fromEntries(await event.request.formData()));
		const next = parsed.success ? markReviewed(db(), actorOf(event), parsed.data.requirementId) : null;
		if (!parsed.success || !next) error(404, m.error_not_found());
		return { reviewed: parsed.data.requirementId, next };
	},
	share: async (event) => {
		authorize(event, 'security_plan.edit', PLAN);
		const parsed = shareSchema.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success || !setSectionBinding(db(), actorOf(event), parsed.data.chapter, parsed.data.binds))
			error(404, m.error_not_found());
		return { shared: parsed.data.chapter, binds: parsed.data.binds };
	}
};
