import type { PageServerLoad } from './$types';
import { z } from 'zod';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { listAuditEntries } from '$lib/server/audit/audit-log';
import { pageNumber } from '$lib/schemas/fields';
import { addDays, startOfHelsinkiDay } from '$lib/time';

const PAGE_SIZE = 50;
const date = z.iso.date().optional().catch(undefined);
const filterSchema = z.object({
	action: z.string().trim().max(60).catch(''),
	actor: z.string().trim().max(100).catch(''),
	from: date,
	to: date
});

/** Main connector administrators see every entry; a tenant administrator only their tenant's. */
export const load: PageServerLoad = (event) => {
	const user = event.locals.user;
	const tenantId = user?.tenantId ?? undefined;
	authorize(event, 'audit.view', tenantId ? { tenantId } : undefined);
	const params = Object.fromEntries(event.url.searchParams);
	const filter = filterSchema.parse(params);
	const page = pageNumber.parse(params.page);
	const { entries, total } = listAuditEntries(db(), {
		tenantId,
		action: filter.action || undefined,
		actor: filter.actor || undefined,
		from: filter.from ? startOfHelsinkiDay(filter.from) : undefined,
		to: filter.to ? startOfHelsinkiDay(addDays(filter.to, 1)) : undefined,
		page,
		pageSize: PAGE_SIZE
	});
	return { entries, total, page, pageSize: PAGE_SIZE, filter };
};
