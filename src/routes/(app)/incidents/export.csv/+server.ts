import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { listReports, reportScope } from '$lib/server/incidents/incidents';
import { reportCsvRows } from '$lib/server/incidents/report-csv';
import { todayInHelsinki } from '$lib/time';
import { toCsv } from '$lib/server/csv';
import { incidentListQuerySchema } from '$lib/schemas/incident';

/** A spreadsheet has to stay openable; beyond this the filters narrow the export. */
const MAX_ROWS = 50_000;

/** The list's rows with the same filters, for the yearly review: the main connector's and a tenant administrator's. */
export const GET: RequestHandler = (event) => {
	const ownTenant = event.locals.user?.tenantId;
	const user = authorize(event, 'incident.view', ownTenant ? { tenantId: ownTenant } : undefined);
	const filter = incidentListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const { rows } = listReports(db(), reportScope(user), {
		kind: filter.kind,
		status: filter.status,
		open: filter.open,
		query: filter.q,
		page: 1,
		pageSize: MAX_ROWS
	});
	return new Response(toCsv(reportCsvRows(db(), rows, getLocale(), user.tenantId)), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="incident-reports-${todayInHelsinki()}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
