import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { listReports, reportRef, reportScope } from '$lib/server/incidents/incidents';
import { decisionDeadline } from '$lib/server/incidents/deadline';
import { incidentListQuerySchema } from '$lib/schemas/incident';
import { pageNumber } from '$lib/schemas/fields';

const PAGE_SIZE = 25;

/** Everyone lists the reports they may see: all, their tenant's, or their own (see reportScope). */
export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'incident.report');
	const params = Object.fromEntries(event.url.searchParams);
	const filter = incidentListQuerySchema.parse(params);
	const page = pageNumber.parse(params.page);
	const scope = reportScope(user);
	const { rows, total } = listReports(db(), scope, {
		kind: filter.kind,
		status: filter.status,
		open: filter.open,
		query: filter.q,
		page,
		pageSize: PAGE_SIZE
	});
	return {
		filter,
		page,
		pageSize: PAGE_SIZE,
		total,
		now: new Date(),
		scope: scope.kind,
		rows: rows.map((r) => ({
			id: r.id,
			ref: reportRef(r.id),
			kind: r.kind,
			status: r.status,
			concerns: [...r.tenants.map((t) => t.name), ...(r.concernsMainConnector ? [null] : [])],
			jointControl: r.jointServices.length > 0,
			reporterName: r.reporterName,
			noticedAt: r.noticedAt,
			createdAt: r.createdAt,
			deadline: r.kind === 'data_breach' ? decisionDeadline(r.noticedAt) : null,
			decided: r.undecided <= 0
		})),
		may: { export: scope.kind !== 'own' }
	};
};
