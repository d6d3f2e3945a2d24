import type { FieldErrors } from './forms';
import { storeOptionalUpload, type Upload } from './file-upload';

/**
 * The optional evidence file of a completion form (any accepted evidence type). The completion's
 * rules (person, module, day) are the domain's: see `trainingRecordRefusal`.
 */
export async function storeCompletionEvidence(
	form: FormData
): Promise<{ ok: true; evidence: Upload | null } | { ok: false; errors: FieldErrors }> {
	const upload = await storeOptionalUpload(form, 'evidence', 'training');
	if (!upload.ok) return { ok: false, errors: { evidence: upload.error } };
	return { ok: true, evidence: upload.file };
}
