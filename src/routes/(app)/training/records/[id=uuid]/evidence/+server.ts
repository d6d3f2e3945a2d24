import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { authorizeOwnership } from '$lib/server/http/guard';
import { canReadTrainingEvidence } from '$lib/server/auth/authorize';
import { getTrainingRecord, trainingEvidenceType } from '$lib/server/training/training';
import { contentDisposition, readStoredFile } from '$lib/server/evidence/file-store';

/** A training record's evidence: for the person it belongs to and their tenant's administrators. */
export const GET: RequestHandler = async (event) => {
	const record = getTrainingRecord(db(), event.params.id);
	authorizeOwnership(event, (user) => canReadTrainingEvidence(user, record));
	if (!record?.evidencePath) error(404, 'Not found');
	const bytes = new Uint8Array(readStoredFile(config.dataDir, record.evidencePath));
	// The type was checked from the content on upload and stored with the record.
	const mimeType = await trainingEvidenceType(db(), record, bytes);
	return new Response(bytes, {
		headers: {
			'content-type': mimeType,
			'content-disposition': contentDisposition('attachment', record.evidenceName ?? 'evidence'),
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
