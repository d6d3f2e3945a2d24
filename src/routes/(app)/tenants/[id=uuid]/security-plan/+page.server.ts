import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { getTenant } from '$lib/server/tenants/tenants';
import { renderMarkdown } from '$lib/server/instructions/markdown';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { ownerNames, planOverview } from '$lib/server/security-plan/plan';
import { listRisks, responsibleDirector, riskChapters } from '$lib/server/security-plan/risks';
import { latestVersion } from '$lib/server/security-plan/versions';
import { auditSharedRead, readableTenantPlan } from '$lib/server/security-plan/tenant-plans';

/**
 * A tenant's own plan, read only: for the main connector's plan readers while the tenant shares it,
 * and for the tenant's own readers. Anyone else, or an unshared plan, is not found (404).
 */
export const load: PageServerLoad = (event) => {
	const tenantId = event.params.id;
	const user = authorize(event, 'security_plan.read', { tenantId });
	const tenant = getTenant(db(), tenantId);
	const plan = tenant && readableTenantPlan(db(), user, tenantId);
	if (!tenant || !plan) error(404, m.error_not_found());
	const owner = { tenantId };
	const overview = planOverview(db(), owner);
	if (!overview) error(404, m.error_not_found());
	auditSharedRead(db(), actorOf(event), plan, user.tenantId === tenantId ? 'read by the tenant' : 'read by the main connector');
	const owners = ownerNames(db(), owner);
	const approved = latestVersion(db(), owner);
	return {
		tenant: { id: tenant.id, name: tenant.name },
		language: frameworkLanguage(getLocale()),
		director: responsibleDirector(db(), owner)?.name ?? null,
		approved: approved ? { version: approved.version, approverName: approved.approverName, approvedAt: approved.approvedAt } : null,
		sections: overview.sections.map((view) => ({
			chapter: view.section.chapter,
			title: view.section.title,
			requirements: view.requirements.map(({ requirement, entry, due }) => ({
				requirement,
				status: entry?.status ?? 'not_described',
				owner: (entry?.ownerId && owners.get(entry.ownerId)) || '',
				responsibleParty: entry?.responsibleParty ?? 'tenant',
				responsibleName: entry?.responsibleName ?? '',
				nextReviewOn: entry?.nextReviewOn ?? null,
				due,
				html: entry?.description ? renderMarkdown(entry.description) : ''
			}))
		})),
		risks: listRisks(db(), owner).map((r) => ({
			id: r.id,
			title: r.title,
			chapters: riskChapters(r),
			likelihood: r.likelihood,
			impact: r.impact,
			residual: r.residual,
			treatment: r.treatment,
			acceptedByName: r.acceptedByName,
			acceptedAt: r.acceptedAt
		}))
	};
};
