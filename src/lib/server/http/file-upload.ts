import * as m from '$lib/paraglide/messages.js';
import { config } from '$lib/server/config';
import { checkEvidenceFile, safeFileName, type FileCheck } from '$lib/server/evidence/file-check';
import { storeFile } from '$lib/server/evidence/file-store';
import { refusalMessage } from './untrusted-refusal';

/** A stored file; `mimeType` is the type checked from its content, kept so a download need not check again. */
export type Upload = { name: string; path: string; sha256: string; mimeType: string };

/** No file chosen, a stored file, or why it was refused (already in the reader's language). */
export type UploadResult = { ok: true; file: Upload | null } | { ok: false; error: string };

/** Why an evidence file was refused, in the reader's language. `pdfOnly` as below. */
export function evidenceProblem(reason: Extract<FileCheck, { ok: false }>['reason'], pdfOnly = false): string {
	switch (reason) {
		case 'empty':
			return m.evidence_empty();
		case 'too_large':
			return m.evidence_too_large({ mb: Math.round(config.evidenceMaxBytes / 1048576) });
		case 'type_not_allowed':
			return pdfOnly ? m.instruction_pdf_only() : m.evidence_type_not_allowed();
		case 'type_mismatch':
			return m.evidence_type_mismatch();
		case 'legacy_office':
			return pdfOnly ? m.instruction_pdf_only() : m.evidence_legacy_office();
		default:
			return refusalMessage(reason);
	}
}

/**
 * An optional file field of a multipart form, checked by its content and stored under `folder`.
 * `pdfOnly` refuses every other accepted evidence type (instruction attachments are PDFs).
 */
export async function storeOptionalUpload(form: FormData, field: string, folder: string, pdfOnly = false): Promise<UploadResult> {
	const file = form.get(field);
	if (!(file instanceof File) || (file.size === 0 && file.name === '')) return { ok: true, file: null };
	if (file.size > config.evidenceMaxBytes) return { ok: false, error: evidenceProblem('too_large') };
	const bytes = new Uint8Array(await file.arrayBuffer());
	const check = await checkEvidenceFile(bytes, file.name, config.evidenceMaxBytes);
	if (!check.ok) return { ok: false, error: evidenceProblem(check.reason, pdfOnly) };
	if (pdfOnly && check.mimeType !== 'application/pdf') return { ok: false, error: m.instruction_pdf_only() };
	const stored = storeFile(config.dataDir, folder, bytes);
	return { ok: true, file: { name: safeFileName(file.name), path: stored.storagePath, sha256: stored.sha256, mimeType: check.mimeType } };
}
