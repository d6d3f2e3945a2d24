import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute } from '$lib/server/http/api';
import { listTenantPage } from '$lib/server/api/resources';
import { tenantListQuery } from '$lib/server/api/schemas';

/**
 * Tenants by name; filters: stage, search text, archived. A tenant's token lists only its own
 * tenant (it may view that one, and no other: the same `can()` as for its administrators).
 */
export const GET: RequestHandler = apiRoute((api) => {
	const own = api.caller.token.tenantId;
	if (own) api.authorize('tenant.view', { tenantId: own });
	else api.authorize('tenant.list');
	const query = api.query(tenantListQuery);
	return listTenantPage(
		db(),
		{ onlyId: own ?? undefined, stage: query.stage, q: query.q, archived: query.archived === 'true' },
		query.limit,
		api.cursor(query.cursor, 2)
	);
});
