import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { can } from '$lib/server/auth/authorize';
import { markReviewed, ownPartyOf, ownPlanOf, ownerNames, planOverview, type PlanOwner } from '$lib/server/security-plan/plan';
import { availableMove, moveToFramework } from '$lib/server/security-plan/framework-move';
import { setSharedWithMainConnector, tenantName } from '$lib/server/security-plan/tenant-plans';
import { moveSchema, reviewedSchema, shareSchema, shareWithMainSchema } from '$lib/schemas/security-plan';
import { bindingChapters, setSectionBinding } from '$lib/server/security-plan/sharing';
import { frameworkLanguage, type FrameworkLanguage } from '$lib/server/security-plan/framework';
import { getLocale } from '$lib/paraglide/runtime';
import { hasUnapprovedChanges, latestVersion } from '$lib/server/security-plan/versions';
import { bindingChangesPending } from '$lib/server/security-plan/acknowledgements';

/**
 * The plan of the person's own organisation: the main connector's for its people, a tenant's own for
 * the tenant's people (confidential: `can()` lets each organisation's plan roles reach only their own).
 */

export const load: PageServerLoad = (event) => {
	const owner = ownPlanOf(event.locals.user);
	const user = authorize(event, 'security_plan.read', owner);
	const overview = planOverview(db(), owner);
	const owners = ownerNames(db(), owner);
	const language = frameworkLanguage(getLocale());
	const tenantPlan = owner.tenantId !== null;
	const ownParty = ownPartyOf(owner);
	const organisation = owner.tenantId ? tenantName(db(), owner.tenantId) : '';
	if (!overview)
		return {
			overview: null,
			language,
			canEdit: false,
			owners: {},
			binding: [],
			approved: null,
			pending: false,
			bindingPending: false,
			tenantPlan,
			ownParty,
			organisation,
			shared: false,
			canManageFramework: false,
			move: null
		};
	const canEdit = can(user, 'security_plan.edit', owner);
	return {
		overview,
		language,
		canEdit,
		// Framework versions are the installation's, not one plan's: the main connector's administrators.
		canManageFramework: can(user, 'security_framework.manage'),
		owners: Object.fromEntries(owners),
		// Only the main connector's plan binds tenants (agreement §2).
		binding: tenantPlan ? [] : [...bindingChapters(db())],
		approved: latestVersion(db(), owner)?.version ?? null,
		pending: hasUnapprovedChanges(db(), owner),
		// Tenants see the binding sections as last approved: the editors are told when that lags behind.
		bindingPending: !tenantPlan && canEdit && bindingChangesPending(db()),
		tenantPlan,
		ownParty,
		organisation,
		shared: overview.plan?.sharedWithMainConnector ?? false,
		// THL revised the regulation and a later framework version is stored: the editors may move the plan onto it.
		move: canEdit ? moveOffer(owner, language) : null
	};
};

function moveOffer(owner: PlanOwner, language: FrameworkLanguage) {
	const offer = availableMove(db(), owner);
	return offer && { version: offer.framework.version, title: offer.framework.title[language], ...offer.changes, dropped: offer.dropped };
}

export const actions: Actions = {
	reviewed: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const parsed = reviewedSchema.safeParse(Object.fromEntries(await event.request.formData()));
		const next = parsed.success ? markReviewed(db(), actorOf(event), owner, parsed.data.requirementId) : null;
		if (!parsed.success || !next) error(404, m.error_not_found());
		return { reviewed: parsed.data.requirementId, next };
	},
	share: async (event) => {
		// Sections bind tenants only in the main connector's plan.
		authorize(event, 'security_plan.edit', { tenantId: null });
		const parsed = shareSchema.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success || !setSectionBinding(db(), actorOf(event), parsed.data.chapter, parsed.data.binds))
			error(404, m.error_not_found());
		return { shared: parsed.data.chapter, binds: parsed.data.binds };
	},
	moveFramework: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const parsed = moveSchema.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { moveError: m.error_invalid_value() });
		const offer = availableMove(db(), owner);
		// What the person confirmed must still be what happens: the version offered, and the requirements that leave.
		if (!offer || offer.framework.version !== parsed.data.version) return fail(409, { moveError: m.security_plan_move_changed() });
		if (offer.dropped.length && parsed.data.confirm !== 'on') return fail(400, { moveError: m.security_plan_move_confirm_needed() });
		const result = moveToFramework(db(), actorOf(event), owner, parsed.data.version);
		if (!result.ok) return fail(409, { moveError: m.security_plan_move_changed() });
		return { moved: parsed.data.version };
	},
	shareWithMain: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const parsed = shareWithMainSchema.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success || !setSharedWithMainConnector(db(), actorOf(event), owner, parsed.data.shared)) error(404, m.error_not_found());
		return { sharedWithMain: parsed.data.shared };
	}
};
