import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute } from '$lib/server/http/api';
import { securityPlanStatus } from '$lib/server/api/resources';

/** The plan's status (counts, progress): the main connector's tokens only, as its pages. */
export const GET: RequestHandler = apiRoute((api) => {
	api.authorize('security_plan.read');
	return securityPlanStatus(db());
});
