import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { can } from '$lib/server/auth/authorize';
import { listTenants } from '$lib/server/tenants/tenants';
import { tenantListQuerySchema } from '$lib/schemas/tenant';
import { pageNumber } from '$lib/schemas/fields';

const PAGE_SIZE = 25;

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'tenant.list');
	const params = Object.fromEntries(event.url.searchParams);
	const filter = tenantListQuerySchema.parse(params);
	const page = pageNumber.parse(params.page);
	const { tenants, total } = listTenants(db(), {
		query: filter.q,
		stage: filter.stage,
		archived: filter.archived === '1',
		page,
		pageSize: PAGE_SIZE
	});
	return {
		filter,
		page,
		pageSize: PAGE_SIZE,
		total,
		tenants: tenants.map((t) => ({ id: t.id, name: t.name, businessId: t.businessId, city: t.city, stage: t.stage })),
		canCreate: can(user, 'tenant.create'),
		canImport: can(user, 'tenant.import'),
		// Archived tenants get no new agreements.
		canCampaign: can(user, 'campaign.manage') && filter.archived !== '1'
	};
};
