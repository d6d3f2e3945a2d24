import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute } from '$lib/server/http/api';
import { listTenantPage } from '$lib/server/api/resources';
import { tenantListQuery } from '$lib/server/api/schemas';

/** Tenants by name; filters: stage, search text, archived. */
export const GET: RequestHandler = apiRoute((api) => {
	api.authorize('tenant.list');
	const query = api.query(tenantListQuery);
	return listTenantPage(
		db(),
		{ stage: query.stage, q: query.q, archived: query.archived === 'true' },
		query.limit,
		api.cursor(query.cursor, 2)
	);
});
