import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { can } from '$lib/server/auth/authorize';
import { countTenantsByStage, getTenant } from '$lib/server/tenants/tenants';
import { listPeople } from '$lib/server/people/people';
import { getChecklist } from '$lib/server/prerequisites/checklist';
import { getMainConnector } from '$lib/server/organisation/organisation';
import { listTenantsNeedingAttention } from '$lib/server/prerequisites/checklist';
import { listExpiredUnreplaced, listToOrder } from '$lib/server/certificates/registry';
import { listActiveAnnouncementsFor } from '$lib/server/incidents/announcements';

function expiredSummary() {
	const { rows, total } = listExpiredUnreplaced(db());
	return { total, rows: rows.map((c) => ({ id: c.id, holderName: c.holderName, tenantName: c.tenantName, validTo: c.validTo })) };
}

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'dashboard.view');
	// The main connector's active disturbance notices that concern this person (all of them on its own side).
	const announcements = listActiveAnnouncementsFor(db(), user.tenantId).map((a) => ({ id: a.id, title: a.title, body: a.body, createdAt: a.createdAt, updatedAt: a.updatedAt }));
	if (user.tenantId === null) {
		return {
			kind: 'main_connector' as const,
			announcements,
			organisationName: getMainConnector(db())?.name ?? '',
			stageCounts: can(user, 'tenant.list') ? countTenantsByStage(db()) : null,
			attention: can(user, 'checklist.view') ? listTenantsNeedingAttention(db()) : [],
			toOrder: can(user, 'certificate.view') ? listToOrder(db()).map((c) => ({ id: c.id, holderName: c.holderName, tenantName: c.tenantName, kind: c.kind, orderBy: c.orderBy, validTo: c.validTo })) : null,
			expired: can(user, 'certificate.view') ? expiredSummary() : null,
			canCreateTenant: can(user, 'tenant.create')
		};
	}
	const tenantId = user.tenantId;
	authorize(event, 'tenant.view', { tenantId });
	const tenant = getTenant(db(), tenantId);
	return {
		kind: 'tenant' as const,
		announcements,
		tenant: tenant ? { id: tenant.id, name: tenant.name, businessId: tenant.businessId, stage: tenant.stage, city: tenant.city } : null,
		checklist: can(user, 'checklist.view', { tenantId }) ? getChecklist(db(), tenantId).progress : null,
		people: can(user, 'tenant.people.view', { tenantId })
			? listPeople(db(), tenantId).map((p) => ({ id: p.id, name: p.name, email: p.email, status: p.status, roles: p.roles }))
			: []
	};
};
