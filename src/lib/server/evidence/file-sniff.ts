import { fileTypeFromBuffer } from 'file-type';

/**
 * Evidence uploads we accept, keyed by the canonical extension. The key is what we report back
 * as `extension`; the value is the MIME type we store and later serve.
 */
export const EVIDENCE_TYPES = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	odt: 'application/vnd.oasis.opendocument.text',
	ods: 'application/vnd.oasis.opendocument.spreadsheet',
	txt: 'text/plain',
	csv: 'text/csv'
} as const;

export type EvidenceExtension = keyof typeof EVIDENCE_TYPES;

export type FileProblem = 'empty' | 'too_large' | 'type_not_allowed' | 'type_mismatch' | 'legacy_office';

/** What the content says, before the worker's own refusals (time, memory) are added. */
export type SniffResult = { ok: true; mimeType: string; extension: string } | { ok: false; reason: FileProblem };

/**
 * Name extensions that may honestly carry each detected type. Anything else that looks like an
 * extension is a contradiction: the original name is offered again on download, so a PNG called
 * `.pdf` (or plain text called `.html`) would open in the wrong program on the reader's machine.
 */
const NAME_EXTENSIONS: Record<EvidenceExtension, readonly string[]> = {
	pdf: ['pdf'],
	png: ['png'],
	jpg: ['jpg', 'jpeg', 'jpe', 'jfif'],
	gif: ['gif'],
	webp: ['webp'],
	docx: ['docx'],
	xlsx: ['xlsx'],
	pptx: ['pptx'],
	odt: ['odt'],
	ods: ['ods'],
	txt: ['txt', 'text', 'log', 'csv'],
	csv: ['csv', 'txt', 'text', 'log']
};

/** file-type's own extension names for the binary formats we take. */
const DETECTED = new Map<string, EvidenceExtension>(
	(['pdf', 'png', 'jpg', 'gif', 'webp', 'docx', 'xlsx', 'pptx', 'odt', 'ods'] as const).map((ext) => [ext, ext])
);

/**
 * Legacy binary Office files (.doc, .xls, .ppt) may carry macros that run when the reader opens
 * them; they are OLE compound files (file-type's 'cfb'), a container also used by .msi installers.
 * They get a refusal of their own that points to PDF or the modern formats.
 */
const LEGACY_OFFICE_EXTENSIONS = new Set(['doc', 'dot', 'xls', 'xlt', 'ppt', 'pot', 'pps']);

/** Markers of markup a browser would render or run; such "text" is refused even as an attachment. */
const ACTIVE_MARKUP = ['<html', '<svg', '<script', '<!doctype html', '<body', '<iframe', '<?xml'];

/**
 * Decides the file's type from its bytes. The name is only trusted as far as it must agree with
 * what the content is. Runs in the untrusted-file worker (see `untrusted/tasks.ts`).
 */
export async function sniffEvidenceFile(bytes: Uint8Array, fileName: string): Promise<SniffResult> {
	if (bytes.byteLength === 0) return { ok: false, reason: 'empty' };
	const nameExtension = extensionOf(fileName);
	const detected = await fileTypeFromBuffer(bytes);

	let kind: EvidenceExtension | undefined;
	if (detected) {
		if (detected.ext === 'cfb' || LEGACY_OFFICE_EXTENSIONS.has(detected.ext)) {
			return { ok: false, reason: LEGACY_OFFICE_EXTENSIONS.has(nameExtension ?? '') ? 'legacy_office' : 'type_not_allowed' };
		}
		// Executables, archives, XML/SVG and every other recognised format end here.
		kind = DETECTED.get(detected.ext);
		if (!kind) return { ok: false, reason: 'type_not_allowed' };
	} else {
		// No magic number: only honest plain text is left to accept.
		if (!isPlainText(bytes)) return { ok: false, reason: 'type_not_allowed' };
		kind = nameExtension === 'csv' ? 'csv' : 'txt';
	}

	if (nameExtension && !NAME_EXTENSIONS[kind].includes(nameExtension)) {
		return { ok: false, reason: 'type_mismatch' };
	}
	return { ok: true, mimeType: EVIDENCE_TYPES[kind], extension: kind };
}

/**
 * The lower-cased extension, or undefined when the name has none. Only a short alphanumeric
 * suffix containing a letter counts, so "Todistus 12.5.2024" or "Lausunto Dr.Virtanen" are
 * treated as names without an extension rather than as contradictions.
 */
function extensionOf(fileName: string): string | undefined {
	const base = fileName.split(/[\\/]/).pop() ?? '';
	const dot = base.lastIndexOf('.');
	if (dot <= 0) return undefined;
	const suffix = base
		.slice(dot + 1)
		.trim()
		.toLowerCase();
	return /^[a-z0-9]{1,5}$/.test(suffix) && /[a-z]/.test(suffix) ? suffix : undefined;
}

/** Characters below U+0020 that ordinary text files contain (tab, newline, carriage return, form feed). */
const ORDINARY_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

/**
 * Plain text here means valid UTF-8, no NUL bytes (binary formats nearly always contain them),
 * at most 1 % stray control characters, and not markup or a script in disguise.
 */
function isPlainText(bytes: Uint8Array): boolean {
	if (bytes.includes(0)) return false;

	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		return false;
	}

	let controls = 0;
	let length = 0;
	for (const char of text) {
		const code = char.codePointAt(0) ?? 0;
		length++;
		if ((code < 0x20 && !ORDINARY_CONTROLS.has(code)) || (code >= 0x7f && code <= 0x9f)) controls++;
	}
	if (controls * 100 > length) return false;

	const start = text.replace(/^\uFEFF/, '').trimStart();
	// A shebang marks a script; there is no reason to hand one to other people as evidence.
	if (start.startsWith('#!')) return false;
	if (start.startsWith('<')) {
		const lower = text.toLowerCase();
		if (ACTIVE_MARKUP.some((marker) => lower.includes(marker))) return false;
	}
	return true;
}
