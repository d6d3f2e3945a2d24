import { describe, expect, it, vi } from 'vitest';
import { checkEvidenceFile, EVIDENCE_TYPES, safeFileName } from './file-check';

// The worker itself is tested in untrusted/sandbox.test.ts; here the content checks run in-process.
vi.mock('../untrusted/sandbox', () => ({
	runUntrusted: async (_task: 'evidenceType', input: { bytes: Uint8Array; fileName: string }) => {
		const { sniffEvidenceFile } = await import('./file-sniff');
		return { ok: true, value: await sniffEvidenceFile(input.bytes, input.fileName) };
	}
}));

const MB = 1024 * 1024;
const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (number[] | string)[]) =>
	Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...utf8(part)] : part)));

const NOT_ALLOWED = { ok: false, reason: 'type_not_allowed' } as const;
const check = (content: Uint8Array, name: string) => checkEvidenceFile(content, name, MB);

const PDF = utf8(
	'%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
		'2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
		'trailer << /Root 1 0 R >>\n%%EOF\n'
);
// A real 1×1 greyscale PNG: signature, IHDR, IDAT, IEND.
const PNG = Uint8Array.from(
	Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')
);
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
const GIF = bytes('GIF89a', [1, 0, 1, 0, 0, 0, 0, 0x3b]);
const ELF = bytes([0x7f], 'ELF', [2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]);
const PE = bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);
const MACHO = bytes([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, 3, 0, 0, 0, 2, 0, 0, 0]);
const CFB = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Array(504).fill(0));

/** CRC-32 as zip wants it; computed here so the test needs no zip tool. */
function crc32(data: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of data) {
		crc ^= byte;
		for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return (crc ^ 0xffffffff) >>> 0;
}

/** A minimal but well-formed zip with uncompressed entries, enough for Office/ODF detection. */
function zip(entries: Record<string, string>): Uint8Array {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const [name, content] of Object.entries(entries)) {
		const nameBytes = Buffer.from(name, 'utf8');
		const data = Buffer.from(content, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4); // version needed
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBytes.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBytes.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, nameBytes, data);
		centrals.push(central, nameBytes);
		offset += local.length + nameBytes.length + data.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(Object.keys(entries).length, 8);
	end.writeUInt16LE(Object.keys(entries).length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const contentTypes = (main: string) =>
	'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
	'<Override PartName="/main.xml" ' +
	`ContentType="application/vnd.openxmlformats-officedocument.${main}.main+xml"/></Types>`;
const DOCX = zip({
	'[Content_Types].xml': contentTypes('wordprocessingml.document'),
	'word/document.xml': '<w:document/>'
});
const XLSX = zip({
	'[Content_Types].xml': contentTypes('spreadsheetml.sheet'),
	'xl/workbook.xml': '<workbook/>'
});
const ODT = zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<office:document-content/>' });
const PLAIN_ZIP = zip({ 'readme.txt': 'hello' });

describe('checkEvidenceFile: types decided by content', () => {
	it.each([
		['todistus.pdf', PDF, 'pdf'],
		['kuva.png', PNG, 'png'],
		['kuva.jpg', JPEG, 'jpg'],
		['kuva.JPEG', JPEG, 'jpg'],
		['anim.gif', GIF, 'gif'],
		['raportti.docx', DOCX, 'docx'],
		['taulukko.xlsx', XLSX, 'xlsx'],
		['muistio.odt', ODT, 'odt']
	])('accepts %s as %s', async (name, content, extension) => {
		const result = await checkEvidenceFile(content, name, MB);
		expect(result).toEqual({
			ok: true,
			extension,
			mimeType: EVIDENCE_TYPES[extension as keyof typeof EVIDENCE_TYPES]
		});
	});

	it('accepts a file without an extension by its content', async () => {
		expect(await checkEvidenceFile(PDF, 'todistus', MB)).toMatchObject({ ok: true, mimeType: 'application/pdf' });
	});

	it('ignores dots inside a name that has no real extension', async () => {
		expect(await checkEvidenceFile(PDF, 'Todistus 12.5.2024', MB)).toMatchObject({ ok: true, extension: 'pdf' });
	});

	it('refuses legacy binary Office files (which may carry macros) with a reason of their own', async () => {
		for (const name of ['vanha.doc', 'vanha.XLS', 'esitys.ppt', 'pohja.dot']) {
			expect(await check(CFB, name)).toEqual({ ok: false, reason: 'legacy_office' });
		}
		expect(await checkEvidenceFile(CFB, 'setup.msi', MB)).toEqual({ ok: false, reason: 'type_not_allowed' });
		expect(await checkEvidenceFile(CFB, 'vanha', MB)).toEqual({ ok: false, reason: 'type_not_allowed' });
		expect(Object.keys(EVIDENCE_TYPES)).not.toContain('doc');
	});

	it('refuses a plain zip archive', async () => {
		expect(await checkEvidenceFile(PLAIN_ZIP, 'liitteet.zip', MB)).toEqual({ ok: false, reason: 'type_not_allowed' });
	});

	it.each([
		['ELF', ELF],
		['PE', PE],
		['Mach-O', MACHO]
	])('refuses a %s executable, even when named like text', async (_kind, content) => {
		expect(await checkEvidenceFile(content, 'ohje.txt', MB)).toEqual({ ok: false, reason: 'type_not_allowed' });
	});
});

describe('checkEvidenceFile: plain text', () => {
	it('accepts UTF-8 text with Nordic letters as text/plain', async () => {
		const result = await check(utf8('Lääkärin lausunto: työkykyinen.\nÅsa Öberg\n'), 'lausunto.txt');
		expect(result).toEqual({ ok: true, mimeType: 'text/plain', extension: 'txt' });
	});

	it('accepts text with a byte order mark', async () => {
		const result = await checkEvidenceFile(bytes([0xef, 0xbb, 0xbf], 'Hei maailma\n'), 'hei.txt', MB);
		expect(result).toMatchObject({ ok: true, mimeType: 'text/plain' });
	});

	it('types text named .csv as text/csv', async () => {
		const result = await checkEvidenceFile(utf8('nimi;pvm\nMäkelä;2026-01-15\n'), 'kurssit.csv', MB);
		expect(result).toEqual({ ok: true, mimeType: 'text/csv', extension: 'csv' });
	});

	it('is lenient between txt, csv and log', async () => {
		expect(await check(utf8('2026-01-15 ok\n'), 'palvelin.log')).toMatchObject({ ok: true, extension: 'txt' });
	});

	it('refuses text that is not valid UTF-8', async () => {
		// Latin-1 "ä" on its own is not a valid UTF-8 sequence.
		expect(await check(bytes('P', [0xe4], 'iv\n'), 'a.txt')).toEqual(NOT_ALLOWED);
	});

	it('refuses unknown binary content with NUL bytes', async () => {
		expect(await check(bytes('abc', [0, 1, 2, 0], 'def'), 'a.txt')).toEqual(NOT_ALLOWED);
	});

	it('refuses text full of control characters', async () => {
		expect(await check(bytes('abc', [1, 2, 3, 4, 5, 6], 'def'), 'a.txt')).toEqual(NOT_ALLOWED);
	});

	it.each([
		['HTML', 'index.txt', '<!DOCTYPE html>\n<HTML><body>hei</body></HTML>'],
		['HTML behind a BOM and blank lines', 'index.txt', '\uFEFF\n\n  <html><script>alert(1)</script></html>'],
		['a bare script', 'notes.txt', '<script>fetch("/api")</script>'],
		['SVG', 'kuva.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
		['SVG with an XML declaration', 'kuva.txt', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'],
		['a shell script', 'run.txt', '#!/bin/sh\nrm -rf /\n']
	])('refuses %s', async (_kind, name, content) => {
		expect(await checkEvidenceFile(utf8(content), name, MB)).toEqual({ ok: false, reason: 'type_not_allowed' });
	});

	it('still accepts text that only mentions a tag further in', async () => {
		const result = await checkEvidenceFile(utf8('Huom: lomakkeessa oli <script>-tagi.\n'), 'huom.txt', MB);
		expect(result).toMatchObject({ ok: true, mimeType: 'text/plain' });
	});
});

describe('checkEvidenceFile: name and size', () => {
	it('reports a PNG named .pdf as a type mismatch', async () => {
		expect(await checkEvidenceFile(PNG, 'report.pdf', MB)).toEqual({ ok: false, reason: 'type_mismatch' });
	});

	it('reports a Word document named .xlsx as a type mismatch', async () => {
		expect(await checkEvidenceFile(DOCX, 'taulukko.xlsx', MB)).toEqual({ ok: false, reason: 'type_mismatch' });
	});

	it('reports plain text named .html as a type mismatch', async () => {
		expect(await checkEvidenceFile(utf8('hei\n'), 'hei.html', MB)).toEqual({ ok: false, reason: 'type_mismatch' });
	});

	it('refuses a file over the size limit before looking at it', async () => {
		expect(await checkEvidenceFile(PDF, 'iso.pdf', PDF.byteLength - 1)).toEqual({ ok: false, reason: 'too_large' });
		expect(await checkEvidenceFile(PDF, 'juuri.pdf', PDF.byteLength)).toMatchObject({ ok: true });
	});

	it('refuses an empty file', async () => {
		expect(await checkEvidenceFile(new Uint8Array(0), 'tyhja.txt', MB)).toEqual({ ok: false, reason: 'empty' });
	});
});

describe('safeFileName', () => {
	it('keeps only the last path segment', () => {
		expect(safeFileName('../../etc/passwd')).toBe('passwd');
		expect(safeFileName('C:\\x\\raport.pdf')).toBe('raport.pdf');
		expect(safeFileName('/var/tmp/')).toBe('tmp');
	});

	it('keeps Nordic letters, digits, dot, dash, underscore and spaces', () => {
		expect(safeFileName('Lääkärin todistus_2026-01 ÅÄÖ.pdf')).toBe('Lääkärin todistus_2026-01 ÅÄÖ.pdf');
	});

	it('composes decomposed letters as sent by macOS', () => {
		expect(safeFileName('La\u0308a\u0308ka\u0308ri.pdf')).toBe('Lääkäri.pdf');
	});

	it('replaces other characters and control characters without leaving gaps before the extension', () => {
		expect(safeFileName('Todistus "x"\r\n<b>.pdf')).toBe('Todistus x b.pdf');
		expect(safeFileName('report(1).pdf')).toBe('report 1.pdf');
		expect(safeFileName('fdp\u202Eexe.pdf')).toBe('fdp exe.pdf');
	});

	it('strips leading dots and trailing dots and spaces', () => {
		expect(safeFileName('..hidden.txt')).toBe('hidden.txt');
		expect(safeFileName('.env')).toBe('env');
		expect(safeFileName('name.pdf. . ')).toBe('name.pdf');
	});

	it('shortens a long name to 120 characters and keeps the extension', () => {
		const result = safeFileName(`${'ä'.repeat(300)}.docx`);
		expect(Array.from(result)).toHaveLength(120);
		expect(result.endsWith('ä.docx')).toBe(true);
	});

	it('never returns an empty name', () => {
		expect(safeFileName('')).toBe('file');
		expect(safeFileName('../..')).toBe('file');
		expect(safeFileName('\u0000\u0001')).toBe('file');
		expect(safeFileName('???')).toBe('file');
	});
});
