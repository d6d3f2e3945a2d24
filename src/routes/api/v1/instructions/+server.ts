import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute } from '$lib/server/http/api';
import { listInstructionPage } from '$lib/server/api/resources';
import { pageQuery } from '$lib/server/api/schemas';

/** Current instructions with acknowledgement coverage (a tenant's token: its own people's). */
export const GET: RequestHandler = apiRoute((api) => {
	const tenantId = api.caller.token.tenantId;
	api.authorize('instruction.coverage', tenantId ? { tenantId } : undefined);
	const query = api.query(pageQuery);
	return listInstructionPage(db(), tenantId, query.limit, api.cursor(query.cursor, 1));
});
