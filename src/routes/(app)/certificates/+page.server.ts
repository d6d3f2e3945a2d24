import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { authorize } from '$lib/server/http/guard';
import { EXPIRY_BUCKETS } from '$lib/domain';
import { countByBucket, listCertificates, type CertificateRow } from '$lib/server/certificates/registry';
import { todayInHelsinki } from '$lib/time';
import { certificateListQuerySchema } from '$lib/schemas/certificate';
import { pageNumber } from '$lib/schemas/fields';

const PAGE_SIZE = 25;

/** What the badge says: an expired certificate stays expired even when its renewal is on order. */
function statusOf(row: CertificateRow): 'expired' | 'renewal_ordered' | 'expiring' | 'valid' {
	if (row.bucket === 'expired') return 'expired';
	if (row.renewalOrderedAt) return 'renewal_ordered';
	return row.bucket === 'later' ? 'valid' : 'expiring';
}

/** The expiry dashboard: every certificate for the main connector, a tenant's own for its administrator. */
export const load: PageServerLoad = (event) => {
	const ownTenant = event.locals.user?.tenantId;
	const user = authorize(event, 'certificate.view', ownTenant ? { tenantId: ownTenant } : undefined);
	const params = Object.fromEntries(event.url.searchParams);
	const filter = certificateListQuerySchema.parse(params);
	const page = pageNumber.parse(params.page);
	const now = new Date();
	const today = todayInHelsinki(now);
	const scope = {
		tenantId: user.tenantId ?? undefined,
		kind: filter.kind,
		holderType: filter.holderType,
		query: filter.q,
		month: filter.month
	};
	const counts = countByBucket(db(), scope, now);
	const { rows, total } = listCertificates(db(), { ...scope, bucket: filter.bucket, page, pageSize: PAGE_SIZE }, now);
	return {
		filter,
		page,
		pageSize: PAGE_SIZE,
		total,
		buckets: EXPIRY_BUCKETS.map((bucket) => ({ bucket, count: counts[bucket] })),
		rows: rows.map((r) => ({
			id: r.id,
			kind: r.kind,
			holderType: r.holderType,
			holderName: r.holderName,
			tenantName: r.tenantName,
			subject: r.subject,
			reference: r.reference,
			validTo: r.validTo,
			orderBy: r.orderBy,
			// Compared as Finnish calendar days: the order-by day itself is still in time.
			orderOverdue: !r.renewalOrderedAt && today > todayInHelsinki(r.orderBy),
			status: statusOf(r)
		})),
		may: { manage: can(user, 'certificate.manage') }
	};
};
