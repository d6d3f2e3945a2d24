import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute, ApiProblem } from '$lib/server/http/api';
import { toTenantOut } from '$lib/server/api/resources';
import { getTenant } from '$lib/server/tenants/tenants';

export const GET: RequestHandler = apiRoute((api) => {
	const id = api.id('id');
	api.authorize('tenant.view', { tenantId: id });
	const found = getTenant(db(), id);
	if (!found) throw new ApiProblem(404, 'No such resource.');
	return toTenantOut(found);
});
