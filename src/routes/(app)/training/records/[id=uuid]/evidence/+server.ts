import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { authorizeOwnership } from '$lib/server/http/guard';
import { canReadTrainingEvidence } from '$lib/server/auth/authorize';
import { getTrainingRecord } from '$lib/server/training/training';
import { checkEvidenceFile } from '$lib/server/evidence/file-check';
import { contentDisposition, readStoredFile } from '$lib/server/evidence/file-store';

/** A training record's evidence: for the person it belongs to and their tenant's administrators. */
export const GET: RequestHandler = async (event) => {
	const record = getTrainingRecord(db(), event.params.id);
	authorizeOwnership(event, (user) => canReadTrainingEvidence(user, record));
	if (!record?.evidencePath) error(404, 'Not found');
	const bytes = new Uint8Array(readStoredFile(config.dataDir, record.evidencePath));
	// The type was checked from the content on upload; check again rather than store it twice.
	const check = await checkEvidenceFile(bytes, record.evidenceName ?? '', Number.MAX_SAFE_INTEGER);
	return new Response(bytes, {
		headers: {
			'content-type': check.ok ? check.mimeType : 'application/octet-stream',
			'content-disposition': contentDisposition('attachment', record.evidenceName ?? 'evidence'),
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
