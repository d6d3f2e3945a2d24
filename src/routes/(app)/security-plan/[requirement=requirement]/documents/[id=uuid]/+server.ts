import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { actorOf, authorize } from '$lib/server/http/guard';
import { checkEvidenceFile } from '$lib/server/evidence/file-check';
import { contentDisposition, readStoredFile } from '$lib/server/evidence/file-store';
import { auditDocumentRead, getDocument } from '$lib/server/security-plan/documents';
import { ownPlanOf } from '$lib/server/security-plan/plan';

async function typeOf(bytes: Uint8Array, fileName: string): Promise<string> {
	const check = await checkEvidenceFile(bytes, fileName, Number.MAX_SAFE_INTEGER);
	return check.ok ? check.mimeType : 'application/octet-stream';
}

/** A file beside a requirement of the plan: confidential, so only the plan's readers, and each read audited. */
export const GET: RequestHandler = async (event) => {
	const owner = ownPlanOf(event.locals.user);
	authorize(event, 'security_plan.read', owner);
	const document = getDocument(db(), owner, event.params.requirement, event.params.id);
	if (!document?.storagePath) error(404, 'Not found');
	const bytes = new Uint8Array(readStoredFile(config.dataDir, document.storagePath));
	// The type was found from the content on upload and kept; files stored before it was kept are checked again.
	const mimeType = document.mimeType ?? (await typeOf(bytes, document.fileName));
	auditDocumentRead(db(), actorOf(event), owner, document);
	return new Response(bytes, {
		headers: {
			'content-type': mimeType,
			'content-disposition': contentDisposition('attachment', document.fileName || 'document'),
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
