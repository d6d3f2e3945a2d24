import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { certificateExportChunks, type CertificateExportRow } from '$lib/server/certificates/registry';
import { CERTIFICATE_KINDS } from '$lib/domain';
import { todayInHelsinki } from '$lib/time';
import { csvHeaders, csvStream } from '$lib/server/csv';
import { certificateKindLabel } from '$lib/i18n/certificate-labels';
import { certificateListQuerySchema } from '$lib/schemas/certificate';

/** A spreadsheet has to stay openable; beyond this the filters narrow the export. */
const MAX_ROWS = 50_000;
/** Rows read and sent at a time. */
const CHUNK_ROWS = 2_000;

/** Calendar days as Finland counts them, in ISO form so spreadsheets sort them. */
const day = (value: Date | null) => (value ? todayInHelsinki(value) : '');

/** The dashboard's rows with the same filters, every page at once. */
export const GET: RequestHandler = (event) => {
	const ownTenant = event.locals.user?.tenantId;
	const user = authorize(event, 'certificate.view', ownTenant ? { tenantId: ownTenant } : undefined);
	const filter = certificateListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const chunks = certificateExportChunks(
		db(),
		{ tenantId: user.tenantId ?? undefined, bucket: filter.bucket, kind: filter.kind, holderType: filter.holderType, query: filter.q },
		{ chunk: CHUNK_ROWS, max: MAX_ROWS }
	);
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
	const kindLabels = new Map(CERTIFICATE_KINDS.map((kind) => [kind, certificateKindLabel(kind)]));
	const line = (r: CertificateExportRow) => [
		r.holderName,
		r.tenantName ?? '',
		kindLabels.get(r.kind) ?? r.kind,
		r.subject,
		r.issuer,
		r.serialNumber,
		r.fingerprintSha256 ?? '',
		day(r.validFrom),
		day(r.validTo),
		day(r.orderBy),
		day(r.renewalOrderedAt),
		r.reference
	];
	// Sent as it is read, a part at a time with a turn of the event loop between parts: the whole file
	// is megabytes, and building it at once kept every other request waiting. Labels are made above,
	// while the request's locale holds.
	const parts = (function* () {
		for (const rows of chunks) yield rows.map(line);
	})();
	return new Response(csvStream(header, parts), { headers: csvHeaders(`certificates-${todayInHelsinki()}.csv`) });
};
