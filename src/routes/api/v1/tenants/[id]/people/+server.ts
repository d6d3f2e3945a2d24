import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute } from '$lib/server/http/api';
import { listPeoplePage } from '$lib/server/api/resources';
import { pageQuery } from '$lib/server/api/schemas';

/** The tenant's people by name, with their roles. */
export const GET: RequestHandler = apiRoute((api) => {
	const id = api.id('id');
	api.authorize('tenant.people.view', { tenantId: id });
	const query = api.query(pageQuery);
	return listPeoplePage(db(), id, query.limit, api.cursor(query.cursor, 2));
});
