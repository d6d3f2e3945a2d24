import { error } from '@sveltejs/kit';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { getAgreement } from '$lib/server/agreements/agreements';
import { buildPdfInput } from '$lib/server/agreements/document';
import { renderAgreementPdf } from '$lib/server/agreements/pdf';
import { getTenant } from '$lib/server/tenants/tenants';
import { contentDisposition } from '$lib/server/evidence/file-store';

/** The sealed original once it exists; before that a watermarked preview rendered on request. */
export const GET: RequestHandler = async (event) => {
	const current = getAgreement(db(), event.params.id);
	authorize(event, 'agreement.view', { tenantId: current?.tenantId ?? '' });
	if (!current) error(404, 'Not found');
	const tenantName = getTenant(db(), current.tenantId)?.name ?? 'tenant';
	const sealed = current.sealedPath ? readFileSync(current.sealedPath) : null;
	const body = sealed ?? (await renderAgreementPdf(buildPdfInput(db(), current, { final: false })));
	const name = `${sealed ? 'agreement' : 'draft'}-${tenantName}-${current.id.slice(0, 8)}.pdf`;
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition(event.url.searchParams.has('download') ? 'attachment' : 'inline', name),
			'cache-control': 'private, no-store'
		}
	});
};
