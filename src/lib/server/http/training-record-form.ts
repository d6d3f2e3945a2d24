import * as m from '$lib/paraglide/messages.js';
import { todayInHelsinki } from '$lib/time';
import type { FieldErrors } from './forms';
import { storeOptionalUpload, type Upload } from './file-upload';

/**
 * The parts of a completion form the schema cannot judge: a completion day not in the future,
 * and the optional evidence file (any accepted evidence type), stored only when all else is right.
 */
export async function completionEvidence(
	form: FormData,
	completedOn: string
): Promise<{ ok: true; evidence: Upload | null } | { ok: false; errors: FieldErrors }> {
	if (completedOn > todayInHelsinki()) return { ok: false, errors: { completedOn: m.training_error_future() } };
	const upload = await storeOptionalUpload(form, 'evidence', 'training');
	if (!upload.ok) return { ok: false, errors: { evidence: upload.error } };
	return { ok: true, evidence: upload.file };
}
