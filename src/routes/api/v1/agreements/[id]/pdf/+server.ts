import { readFileSync } from 'node:fs';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute, ApiProblem } from '$lib/server/http/api';
import { getAgreement } from '$lib/server/agreements/agreements';
import { contentDisposition } from '$lib/server/evidence/file-store';

/** The sealed PDF, byte for byte; 404 until the agreement has been sealed (drafts are not served here). */
export const GET: RequestHandler = apiRoute((api) => {
	const current = getAgreement(db(), api.id('id'));
	api.authorize('agreement.view', { tenantId: current?.tenantId ?? '' });
	if (!current) throw new ApiProblem(404, 'No such resource.');
	if (!current.sealedPath) throw new ApiProblem(404, 'The agreement has no sealed PDF yet.');
	return new Response(new Uint8Array(readFileSync(current.sealedPath)), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition('attachment', `agreement-${current.id}.pdf`),
			'cache-control': 'private, no-store',
			...(current.sealedSha256 ? { etag: `"${current.sealedSha256}"` } : {})
		}
	});
});
