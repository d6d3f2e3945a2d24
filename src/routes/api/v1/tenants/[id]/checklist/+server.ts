import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute, ApiProblem } from '$lib/server/http/api';
import { checklistOf } from '$lib/server/api/resources';
import { getTenant } from '$lib/server/tenants/tenants';

/** The tenant's prerequisite checklist: readiness, progress and every item's status. */
export const GET: RequestHandler = apiRoute((api) => {
	const id = api.id('id');
	api.authorize('checklist.view', { tenantId: id });
	if (!getTenant(db(), id)) throw new ApiProblem(404, 'No such resource.');
	return checklistOf(db(), id);
});
