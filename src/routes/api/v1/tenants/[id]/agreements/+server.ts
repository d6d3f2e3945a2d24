import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute } from '$lib/server/http/api';
import { listAgreementPage } from '$lib/server/api/resources';
import { pageQuery } from '$lib/server/api/schemas';

/** The tenant's agreements, oldest first, with their status. */
export const GET: RequestHandler = apiRoute((api) => {
	const id = api.id('id');
	api.authorize('agreement.view', { tenantId: id });
	const query = api.query(pageQuery);
	return listAgreementPage(db(), id, query.limit, api.cursor(query.cursor, 2));
});
