import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { authorize } from '$lib/server/http/guard';
import { getEvidenceFile } from '$lib/server/prerequisites/checklist';
import { contentDisposition, readStoredFile } from '$lib/server/evidence/file-store';

/** Evidence is always downloaded as an attachment, and only by people who may see that tenant's checklist. */
export const GET: RequestHandler = (event) => {
	const file = getEvidenceFile(db(), event.params.id);
	authorize(event, 'checklist.view', { tenantId: file?.tenantId ?? '' });
	if (!file) error(404, 'Not found');
	return new Response(new Uint8Array(readStoredFile(config.dataDir, file.storagePath)), {
		headers: {
			'content-type': file.mimeType,
			'content-disposition': contentDisposition('attachment', file.fileName),
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
