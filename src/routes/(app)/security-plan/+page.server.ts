import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { can } from '$lib/server/auth/authorize';
import { markReviewed, ownPartyOf, ownPlanOf, ownerNames, planOverview } from '$lib/server/security-plan/plan';
import { setSharedWithMainConnector, tenantName } from '$lib/server/security-plan/tenant-plans';
import { reviewedSchema, shareSchema, shareWithMainSchema } from '$lib/schemas/security-plan';
import { bindingChapters, setSectionBinding } from '$lib/server/security-plan/sharing';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
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
			shared: false
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
		shared: overview.plan?.sharedWithMainConnector ?? false
	};
};

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
	shareWithMain: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const parsed = shareWithMainSchema.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success || !setSharedWithMainConnector(db(), actorOf(event), owner, parsed.data.shared)) error(404, m.error_not_found());
		return { sharedWithMain: parsed.data.shared };
	}
};
