import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { listCertificates } from '$lib/server/certificates/registry';
import { todayInHelsinki } from '$lib/time';
import { toCsv } from '$lib/server/csv';
import { certificateKindLabel } from '$lib/i18n/certificate-labels';
import { certificateListQuerySchema } from '$lib/schemas/certificate';

/** A spreadsheet has to stay openable; beyond this the filters narrow the export. */
const MAX_ROWS = 50_000;

/** Calendar days as Finland counts them, in ISO form so spreadsheets sort them. */
const day = (value: Date | null) => (value ? todayInHelsinki(value) : '');

/** The dashboard's rows with the same filters, every page at once. */
export const GET: RequestHandler = (event) => {
	const ownTenant = event.locals.user?.tenantId;
	const user = authorize(event, 'certificate.view', ownTenant ? { tenantId: ownTenant } : undefined);
	const filter = certificateListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const { rows } = listCertificates(db(), {
		tenantId: user.tenantId ?? undefined,
		bucket: filter.bucket,
		kind: filter.kind,
		holderType: filter.holderType,
		query: filter.q,
		page: 1,
		pageSize: MAX_ROWS
	});
	const header = [
		m.cert_holder(),
		m.party_tenant(),
		m.cert_kind(),
		m.cert_subject(),
		m.cert_issuer(),
		m.cert_serial(),
		m.cert_fingerprint(),
		m.cert_valid_from(),
		m.cert_valid_to(),
		m.cert_order_by(),
		m.cert_renewal_ordered_at(),
		m.cert_reference()
	];
	const body = rows.map((r) => [
		r.holderName,
		r.tenantName ?? '',
		certificateKindLabel(r.kind),
		r.subject,
		r.issuer,
		r.serialNumber,
		r.fingerprintSha256 ?? '',
		day(r.validFrom),
		day(r.validTo),
		day(r.orderBy),
		day(r.renewalOrderedAt),
		r.reference
	]);
	return new Response(toCsv([header, ...body]), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="certificates-${todayInHelsinki()}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
