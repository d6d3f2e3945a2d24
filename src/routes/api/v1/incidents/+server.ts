import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute, ApiProblem } from '$lib/server/http/api';
import { incidentCreateBody } from '$lib/server/api/schemas';
import { createReport } from '$lib/server/incidents/incidents';

/**
 * Reports an incident through the same domain command as the form: the same people are told and
 * the same 72-hour clock starts for a suspected breach. The report is filed in the name of the
 * token's creator, with the token named in the audit log.
 */
export const POST: RequestHandler = apiRoute(async (api) => {
	api.authorize('incident.report');
	const { tenantIds, mainConnector, noticedAt, ...input } = await api.json(incidentCreateBody);
	const result = await createReport(db(), api.caller.actor, api.caller.user, {
		...input,
		noticedAt: new Date(noticedAt),
		concerns: { tenantIds, mainConnector }
	});
	if (!result.ok)
		throw new ApiProblem(422, 'Name at least one current tenant or the main connector.', {
			errors: [{ path: 'tenantIds', message: 'No party concerned' }]
		});
	const { report } = result;
	return Response.json(
		{
			id: report.id,
			kind: report.kind,
			status: report.status,
			noticedAt: report.noticedAt.toISOString(),
			createdAt: report.createdAt.toISOString()
		},
		{ status: 201, headers: { 'cache-control': 'no-store' } }
	);
});
