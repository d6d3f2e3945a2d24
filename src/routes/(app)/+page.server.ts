import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { parseForm } from '$lib/server/http/forms';
import { completeLeaverTask, listOpenLeaverTasks } from '$lib/server/people/leavers';
import { leaverTaskSchema } from '$lib/schemas/leaver';
import { can } from '$lib/server/auth/authorize';
import { countTenantsByStage, getTenant } from '$lib/server/tenants/tenants';
import { countPeople, listPeople } from '$lib/server/people/people';
import { getChecklist } from '$lib/server/prerequisites/checklist';
import { getMainConnector } from '$lib/server/organisation/organisation';
import { listExpiredUnreplaced, listToOrder } from '$lib/server/certificates/registry';
import { listActiveAnnouncementsFor } from '$lib/server/incidents/announcements';
import { dueReviewCount, ownPlanOf } from '$lib/server/security-plan/plan';
import { dashboardAggregates, instructionCoverageSummary, tenantGlance, tenantStagesByMonth } from '$lib/server/overview/overview';
import { getLocale } from '$lib/paraglide/runtime';

/** The instruction coverage chart: titles in the reader's language (English only where written). */
function coverageChart(now: Date) {
	const locale = getLocale();
	const { bars, countedAt } = instructionCoverageSummary(db(), 8, now);
	return {
		countedAt,
		bars: bars.map((b) => ({
			id: b.id,
			title: locale === 'en' && b.titles.en ? b.titles.en : locale === 'sv' ? b.titles.sv : b.titles.fi,
			acknowledged: b.acknowledged,
			total: b.total
		}))
	};
}

function expiredSummary() {
	const { rows, total } = listExpiredUnreplaced(db());
	return { total, rows: rows.map((c) => ({ id: c.id, holderName: c.holderName, tenantName: c.tenantName, validTo: c.validTo })) };
}

/** Rows of a tenant's people on its home page: a large tenant has thousands (its pages list them all). */
const DASHBOARD_ROWS = 25;

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'dashboard.view');
	// The main connector's active disturbance notices that concern this person (all of them on its own side).
	const announcements = listActiveAnnouncementsFor(db(), user.tenantId).map((a) => ({
		id: a.id,
		title: a.title,
		body: a.body,
		createdAt: a.createdAt,
		updatedAt: a.updatedAt
	}));
	if (user.tenantId === null) {
		const now = new Date();
		const organisationName = getMainConnector(db())?.name ?? '';
		// Counted over every certificate and checklist item, so kept for a minute (the page shows when counted).
		const aggregates = can(user, 'checklist.view') || can(user, 'certificate.view') ? dashboardAggregates(db(), now) : null;
		return {
			kind: 'main_connector' as const,
			announcements,
			organisationName,
			// People whose rights in the information system are still to be removed (agreement §6).
			leavers: can(user, 'leaver_task.handle')
				? listOpenLeaverTasks(db()).map((t) => ({
						id: t.id,
						name: t.personName,
						email: t.personEmail,
						organisation: t.tenantName ?? organisationName,
						since: t.createdAt
					}))
				: null,
			stageCounts: can(user, 'tenant.list') ? countTenantsByStage(db()) : null,
			attention: can(user, 'checklist.view') && aggregates ? aggregates.attention : [],
			toOrder: can(user, 'certificate.view')
				? listToOrder(db()).map((c) => ({
						id: c.id,
						holderName: c.holderName,
						tenantName: c.tenantName,
						kind: c.kind,
						orderBy: c.orderBy,
						validTo: c.validTo
					}))
				: null,
			expired: can(user, 'certificate.view') ? expiredSummary() : null,
			// Only for those who may read their organisation's confidential plan; the count says nothing of its content.
			securityReviewsDue: can(user, 'security_plan.read', ownPlanOf(user)) ? dueReviewCount(db(), ownPlanOf(user)) : 0,
			canCreateTenant: can(user, 'tenant.create'),
			// The charts: each only for those who may open the list behind it.
			expiries: can(user, 'certificate.view') && aggregates ? aggregates.expiries : null,
			aggregatesCountedAt: aggregates?.countedAt ?? null,
			stageHistory: can(user, 'tenant.list') ? tenantStagesByMonth(db(), now).months : null,
			coverage: can(user, 'instruction.coverage') && can(user, 'instruction.manage') ? coverageChart(now) : null
		};
	}
	const tenantId = user.tenantId;
	authorize(event, 'tenant.view', { tenantId });
	const tenant = getTenant(db(), tenantId);
	return {
		kind: 'tenant' as const,
		announcements,
		tenant: tenant ? { id: tenant.id, name: tenant.name, businessId: tenant.businessId, stage: tenant.stage, city: tenant.city } : null,
		checklist: can(user, 'checklist.view', { tenantId }) ? getChecklist(db(), tenantId, new Date(), { detail: false }).progress : null,
		// Training and card validity per person, for those who keep the training records.
		glance: can(user, 'training.records', { tenantId })
			? {
					...tenantGlance(db(), tenantId, DASHBOARD_ROWS),
					cards: can(user, 'certificate.view', { tenantId })
				}
			: null,
		// The first people by name; the tenant page lists them all, a page at a time.
		people: can(user, 'tenant.people.view', { tenantId })
			? listPeople(db(), tenantId, { pageSize: DASHBOARD_ROWS }).map((p) => ({
					id: p.id,
					name: p.name,
					email: p.email,
					status: p.status,
					roles: p.roles
				}))
			: [],
		peopleTotal: can(user, 'tenant.people.view', { tenantId }) ? countPeople(db(), tenantId) : 0
	};
};

export const actions = {
	leaverDone: async (event) => {
		authorize(event, 'leaver_task.handle');
		const parsed = parseForm(leaverTaskSchema, await event.request.formData());
		if (!parsed.ok) error(404, m.error_not_found());
		const result = completeLeaverTask(db(), actorOf(event), parsed.data.taskId);
		if (!result.ok) error(404, m.error_not_found());
		return { leaverDone: result.personEmail };
	}
} satisfies Actions;
