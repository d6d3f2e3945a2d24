import { contentDisposition } from '$lib/server/evidence/file-store';

/**
 * The answers of an information-security plan's exports, the organisation's own (/security-plan) and a
 * tenant's as its readers get it (/tenants/<id>/security-plan) alike: confidential, so never cached.
 */

/** The plan as PDF, named by its approved version, or as a draft while none is approved. */
export function planPdfResponse(exported: { pdf: Uint8Array; version: number | null }): Response {
	const name = exported.version ? `information-security-plan-v${exported.version}.pdf` : 'information-security-plan-draft.pdf';
	return new Response(new Uint8Array(exported.pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition('attachment', name),
			'cache-control': 'private, no-store'
		}
	});
}

/** The risk register as CSV. */
export function riskRegisterResponse(csv: string): Response {
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': contentDisposition('attachment', 'risk-register.csv'),
			'cache-control': 'private, no-store'
		}
	});
}
