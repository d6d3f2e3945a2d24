import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { authorize } from '$lib/server/http/guard';
import { listAgreements } from '$lib/server/agreements/agreements';
import { agreementListQuerySchema } from '$lib/schemas/agreement';
import { pageNumber } from '$lib/schemas/fields';

const PAGE_SIZE = 25;

/** The main connector's view over every tenant's agreements; tenants see theirs on their own page. */
export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'agreement.view');
	const params = Object.fromEntries(event.url.searchParams);
	const filter = agreementListQuerySchema.parse(params);
	const page = pageNumber.parse(params.page);
	const { rows, total } = listAgreements(db(), { status: filter.status, page, pageSize: PAGE_SIZE });
	return {
		filter,
		page,
		pageSize: PAGE_SIZE,
		total,
		rows: rows.map((r) => ({
			id: r.id,
			tenantName: r.tenantName,
			status: r.status,
			language: r.language,
			createdAt: r.createdAt,
			inForceAt: r.inForceAt
		})),
		may: { create: can(user, 'agreement.manage'), templates: can(user, 'template.manage'), campaigns: can(user, 'campaign.view') }
	};
};
