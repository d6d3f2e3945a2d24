import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentDisposition, readStoredFile, storeFile } from './file-store';

let root: string;
let dataDir: string;

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'liitos-store-'));
	dataDir = join(root, 'data');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('storeFile and readStoredFile', () => {
	it('stores bytes under a random name and reads them back unchanged', () => {
		const content = new TextEncoder().encode('Lääkärin todistus\n');
		const stored = storeFile(dataDir, 'evidence', content);

		expect(stored.size).toBe(content.byteLength);
		expect(stored.sha256).toBe(createHash('sha256').update(content).digest('hex'));
		const back = readStoredFile(dataDir, stored.storagePath);
		expect(createHash('sha256').update(back).digest('hex')).toBe(stored.sha256);
		expect(new Uint8Array(back)).toEqual(content);
	});

	it('lays files out as <folder>/<2 hex>/<uuid> with private permissions', () => {
		const stored = storeFile(dataDir, 'evidence/certificates', new Uint8Array([1, 2, 3]));
		const id = basename(stored.storagePath);

		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		expect(dirname(stored.storagePath)).toBe(join(dataDir, 'evidence', 'certificates', id.slice(0, 2)));
		// Created as 0o640; a stricter umask may only take more away, never add.
		const mode = statSync(stored.storagePath).mode & 0o777;
		expect(mode & ~0o640).toBe(0);
		expect(mode & 0o600).toBe(0o600);
	});

	it('never overwrites an existing file', () => {
		const stored = storeFile(dataDir, 'evidence', new Uint8Array([1]));
		// The same call storeFile makes, aimed at a name that exists: 'wx' must refuse it.
		expect(() => writeFileSync(stored.storagePath, 'x', { flag: 'wx' })).toThrow(/EEXIST/);
		expect([...readStoredFile(dataDir, stored.storagePath)]).toEqual([1]);
	});

	it('gives every stored file its own name', () => {
		const a = storeFile(dataDir, 'evidence', new Uint8Array([1]));
		const b = storeFile(dataDir, 'evidence', new Uint8Array([1]));
		expect(a.storagePath).not.toBe(b.storagePath);
		expect(a.sha256).toBe(b.sha256);
	});

	it('refuses folder names that could leave the data folder', () => {
		expect(() => storeFile(dataDir, '../outside', new Uint8Array([1]))).toThrow();
		expect(() => storeFile(dataDir, '/etc', new Uint8Array([1]))).toThrow();
	});

	it('reads a path given relative to the data folder', () => {
		const stored = storeFile(dataDir, 'evidence', new Uint8Array([7]));
		const relativePath = stored.storagePath.slice(dataDir.length + 1);
		expect([...readStoredFile(dataDir, relativePath)]).toEqual([7]);
	});

	it('refuses paths that resolve outside the data folder', () => {
		storeFile(dataDir, 'evidence', new Uint8Array([1]));
		writeFileSync(join(root, 'outside'), 'secret');

		expect(() => readStoredFile(dataDir, '../outside')).toThrow(/outside the data folder/);
		expect(() => readStoredFile(dataDir, join(root, 'outside'))).toThrow(/outside the data folder/);
		expect(() => readStoredFile(dataDir, 'evidence/../../outside')).toThrow(/outside the data folder/);
		expect(() => readStoredFile(dataDir, '/etc/passwd')).toThrow(/outside the data folder/);
		expect(() => readStoredFile(dataDir, dataDir)).toThrow(/outside the data folder/);
	});

	it('refuses a symbolic link inside the data folder that points outside it', () => {
		storeFile(dataDir, 'evidence', new Uint8Array([1]));
		writeFileSync(join(root, 'outside'), 'secret');
		symlinkSync(join(root, 'outside'), join(dataDir, 'evidence', 'link'));

		expect(() => readStoredFile(dataDir, join(dataDir, 'evidence', 'link'))).toThrow(/outside the data folder/);
	});
});

describe('contentDisposition', () => {
	it('gives an ASCII fallback and the exact UTF-8 name', () => {
		expect(contentDisposition('attachment', 'Lääkärin todistus "x".pdf')).toBe(
			`attachment; filename="Laakarin todistus x.pdf"; ` + `filename*=UTF-8''L%C3%A4%C3%A4k%C3%A4rin%20todistus%20%22x%22.pdf`
		);
	});

	it('supports inline and replaces characters with no ASCII base', () => {
		expect(contentDisposition('inline', 'Ω\\raportti.pdf')).toBe(
			`inline; filename="_raportti.pdf"; filename*=UTF-8''%CE%A9%5Craportti.pdf`
		);
	});

	it('encodes the characters RFC 5987 does not allow bare', () => {
		expect(contentDisposition('attachment', "it's (1)*.txt")).toContain(`filename*=UTF-8''it%27s%20%281%29%2A.txt`);
	});

	it('cannot be used to inject a header line', () => {
		const header = contentDisposition('attachment', 'a\r\nSet-Cookie: x=1.pdf');
		expect(header).not.toMatch(/[\r\n]/);
		expect(header).toContain('filename="aSet-Cookie: x=1.pdf"');
	});

	it('never produces an empty file name', () => {
		expect(contentDisposition('attachment', '\u0000')).toBe(`attachment; filename="file"; filename*=UTF-8''file`);
	});
});
