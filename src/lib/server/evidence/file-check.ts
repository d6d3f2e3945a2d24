import { runUntrusted, type Refusal } from '../untrusted/sandbox';
import type { FileProblem } from './file-sniff';

export { EVIDENCE_TYPES, type EvidenceExtension, type FileProblem } from './file-sniff';

export type FileCheck = { ok: true; mimeType: string; extension: string } | { ok: false; reason: FileProblem | Refusal };

/**
 * Decides the file's type from its bytes. The name and the browser-supplied MIME type are only
 * trusted as far as they must agree with what the content is. The content is read in the
 * untrusted-file worker, so a hostile file cannot hold up other requests.
 */
export async function checkEvidenceFile(bytes: Uint8Array, fileName: string, maxBytes: number): Promise<FileCheck> {
	if (bytes.byteLength === 0) return { ok: false, reason: 'empty' };
	if (bytes.byteLength > maxBytes) return { ok: false, reason: 'too_large' };
	const sniffed = await runUntrusted('evidenceType', { bytes, fileName });
	return sniffed.ok ? sniffed.value : sniffed;
}

const MAX_NAME_LENGTH = 120;

/**
 * A file name safe to store and to offer back on download: the last path segment only, letters
 * of any script, digits, dot, dash, underscore and single spaces. Never empty.
 */
export function safeFileName(name: string): string {
	// Browsers send a bare name, but old ones (and scripts) send full Windows or Unix paths.
	const lastSegment =
		name
			.split(/[\\/]/)
			.filter((part) => part.trim() !== '')
			.pop() ?? '';

	const cleaned = lastSegment
		// macOS sends decomposed å/ä/ö; compose them so the letter survives the filter below.
		.normalize('NFC')
		// \p{M} keeps combining marks NFC could not compose (e.g. in non-Latin scripts).
		.replace(/[^\p{L}\p{M}\p{N}._\- ]+/gu, ' ')
		.replace(/\s+/g, ' ')
		// `report(1).pdf` becomes `report 1.pdf`, not `report 1 .pdf`.
		.replace(/ \./g, '.')
		// Leading dots hide files and form `..`; trailing dots and spaces are dropped by Windows.
		.replace(/^[\s.]+/, '')
		.replace(/[\s.]+$/, '');

	const shortened = shorten(cleaned);
	return shortened === '' ? 'file' : shortened;
}

/** Cuts the name to the length limit (in characters, not UTF-16 units) while keeping the extension. */
function shorten(name: string): string {
	const chars = Array.from(name);
	if (chars.length <= MAX_NAME_LENGTH) return name;

	const dot = name.lastIndexOf('.');
	const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
	// A "extension" longer than a few characters is just part of the name.
	const keep = extension.length > 1 && extension.length <= 10 ? extension : [];
	const stem = chars
		.slice(0, MAX_NAME_LENGTH - keep.length)
		.join('')
		.replace(/[\s.]+$/, '');
	return stem + keep.join('');
}
