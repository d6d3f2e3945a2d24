import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { can } from '$lib/server/auth/authorize';
import { authorize } from '$lib/server/http/guard';
import { getInstruction, instructionVisibleTo, listVersions } from '$lib/server/instructions/instructions';
import { contentDisposition, readStoredFile } from '$lib/server/evidence/file-store';

/** A version's PDF, for everyone the instruction is meant for (and its administrators); anyone else learns nothing (404). */
export const GET: RequestHandler = (event) => {
	const user = authorize(event, 'instruction.read');
	const item = getInstruction(db(), event.params.id);
	if (!item || !(can(user, 'instruction.manage') || instructionVisibleTo(db(), item, user))) error(404, 'Not found');
	const version = listVersions(db(), item.id).find((v) => String(v.version) === event.params.version);
	if (!version?.attachmentPath) error(404, 'Not found');
	return new Response(new Uint8Array(readStoredFile(config.dataDir, version.attachmentPath)), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition('attachment', version.attachmentName ?? 'instruction.pdf'),
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
