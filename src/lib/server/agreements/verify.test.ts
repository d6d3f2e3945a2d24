import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { doubleFlateBomb } from '../../../../tests/fixtures/pdf-bombs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// config.ts reads the environment once, when first imported: point DATA_DIR at a fresh folder
// before any module that imports it is loaded (vi.hoisted runs ahead of the imports below).
const { dataDir } = await vi.hoisted(async () => {
	const { mkdtempSync } = await import('node:fs');
	const { tmpdir } = await import('node:os');
	const path = await import('node:path');
	const dir = mkdtempSync(path.join(tmpdir(), 'liitos-sealing-'));
	process.env.DATA_DIR = dir;
	delete process.env.SEAL_P12_PATH;
	process.env.LIITOS_SECRET_KEY = Buffer.alloc(32, 3).toString('base64');
	return { dataDir: dir };
});

import type { Db } from '../db';
import { agreement, auditEntry } from '../db/schema';
import { config } from '../config';
import { hashPassword } from '../auth/password';
import { listEntriesForTarget, verifyAuditChain } from '../audit/audit-log';
import { DRAFT_CHOICES, freshDb, setUpAgreementWorld, type AgreementWorld } from '../test-support';
import { createDraft, getAgreement, sendForSignature, signAgreement, updateDraft } from './agreements';
import { loadSealCredentials, sealAgreement } from './sealing';
import { verifyPdf } from './verify';
import { renderAgreementPdf } from './pdf';
import { buildPdfInput } from './document';

afterAll(() => {
	rmSync(dataDir, { recursive: true, force: true });
	delete process.env.LIITOS_SECRET_KEY;
});

const PASSWORD = 'oikea-hevonen-akku-niitti';
const SEALED_AT = new Date('2026-03-05T10:00:00Z');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let db: Db;
let w: AgreementWorld;
let id: string;
let path: string;

function draft(): string {
	const created = createDraft(db, w.admin, { tenantId: w.tenantId, templateId: w.templateId });
	if (!created.ok) throw new Error(created.reason);
	updateDraft(db, w.admin, created.id, DRAFT_CHOICES);
	return created.id;
}

beforeAll(async () => {
	const passwordHash = await hashPassword(PASSWORD);
	db = freshDb();
	w = setUpAgreementWorld(db, passwordHash, { tenant: { name: 'Åland Ärrä Öljy Oy' }, tenantSignerName: 'Åsa Öhman' });
	id = draft();
	sendForSignature(db, w.admin, id);
	const client = { ipAddress: '192.0.2.9', userAgent: 'vitest' };
	await signAgreement(db, w.tenantSigner, id, { typedName: 'Åsa Öhman', title: 'Toimitusjohtaja', password: PASSWORD }, client);
	await signAgreement(db, w.mainSigner, id, { typedName: 'Sakari Signer', title: 'Johtaja', password: PASSWORD }, client);
	expect(getAgreement(db, id)!.status).toBe('in_force');
	await sealAgreement(db, id, SEALED_AT);
	path = join(dataDir, 'agreements', `${id}.pdf`);
});

describe('sealAgreement', () => {
	it('writes the sealed PDF under DATA_DIR once and records its SHA-256', () => {
		expect(config.dataDir).toBe(dataDir);
		expect(existsSync(path)).toBe(true);
		const bytes = readFileSync(path);
		expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(getAgreement(db, id)).toMatchObject({
			sealedPath: path,
			sealedSha256: sha256(bytes),
			sealedAt: SEALED_AT,
			sealSelfSigned: true
		});
		const seals = listEntriesForTarget(db, id).filter((e) => e.action === 'agreement.seal');
		expect(seals).toHaveLength(1);
		expect(seals[0].summary).toBe(`sha256 ${sha256(bytes)}`);
		expect(verifyAuditChain(db).ok).toBe(true);
	});

	it('does nothing the second time: same bytes, same file, no new audit entry', async () => {
		const before = readFileSync(path);
		const mtime = statSync(path).mtimeMs;
		await new Promise((resolve) => setTimeout(resolve, 20));
		await sealAgreement(db, id, new Date('2026-03-06T10:00:00Z'));
		expect(readFileSync(path).equals(before)).toBe(true);
		expect(statSync(path).mtimeMs).toBe(mtime);
		expect(getAgreement(db, id)).toMatchObject({ sealedSha256: sha256(before), sealedAt: SEALED_AT });
		expect(listEntriesForTarget(db, id).filter((e) => e.action === 'agreement.seal')).toHaveLength(1);
	});

	it('keeps a file left by an interrupted attempt instead of overwriting it', async () => {
		const before = readFileSync(path);
		// As if the process died after writing the file but before recording it.
		db.update(agreement).set({ sealedPath: null, sealedSha256: null, sealedAt: null }).where(eq(agreement.id, id)).run();
		await sealAgreement(db, id, SEALED_AT);
		expect(readFileSync(path).equals(before)).toBe(true);
		expect(getAgreement(db, id)).toMatchObject({ sealedPath: path, sealedSha256: sha256(before) });
	});

	it('does not seal an agreement that is not in force', async () => {
		const other = draft();
		await sealAgreement(db, other);
		expect(existsSync(join(dataDir, 'agreements', `${other}.pdf`))).toBe(false);
		expect(getAgreement(db, other)).toMatchObject({ sealedPath: null, sealedSha256: null });
	});

	it('generates the self-signed seal once and reuses it', () => {
		const first = loadSealCredentials(db);
		const second = loadSealCredentials(db);
		expect(first.selfSigned).toBe(true);
		expect(second.p12.equals(first.p12)).toBe(true);
		expect(second.passphrase).toBe(first.passphrase);
		expect(statSync(join(dataDir, 'seal', 'self-signed.p12')).mode & 0o777).toBe(0o600);
		// With LIITOS_SECRET_KEY set, DATA_DIR holds the passphrase only sealed.
		const passFile = join(dataDir, 'seal', 'self-signed.passphrase');
		expect(readFileSync(passFile, 'utf8')).toMatch(/^sealed:v1:/);
		expect(readFileSync(passFile, 'utf8')).not.toContain(first.passphrase);

		// A passphrase written in plain (before the key was set) is sealed on the next use.
		writeFileSync(passFile, first.passphrase);
		expect(loadSealCredentials(db).passphrase).toBe(first.passphrase);
		expect(readFileSync(passFile, 'utf8')).toMatch(/^sealed:v1:/);
		expect(
			db
				.select()
				.from(auditEntry)
				.all()
				.filter((e) => e.action === 'agreement.seal_passphrase_sealed')
		).toHaveLength(1);
	});

	it('pdfsig validates the seal over the whole document, and the text is the signed agreement', () => {
		const out = spawnSync('/usr/bin/pdfsig', [path], { encoding: 'utf8' }).stdout;
		expect(out).toContain('Signature is Valid.');
		expect(out).toContain('Total document signed');
		const text = spawnSync('/usr/bin/pdftotext', [path, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
		expect(text).toContain('Åland Ärrä Öljy Oy');
		expect(text).toContain('Åsa Öhman');
		expect(text).toContain('Sakari Signer');
	});
});

describe('verifyPdf', () => {
	it('recognises the sealed original', async () => {
		const bytes = readFileSync(path);
		const result = await verifyPdf(db, bytes);
		expect(result.result).toBe('identical');
		expect(result.sha256).toBe(sha256(bytes));
		expect(result.result === 'identical' && result.agreement.id).toBe(id);
	});

	it('names the agreement a changed copy claims to be, and says it was modified', async () => {
		const copy = Buffer.from(readFileSync(path));
		const middle = Math.floor(copy.length / 2);
		copy[middle] = copy[middle] ^ 0x01;
		const result = await verifyPdf(db, copy);
		expect(result.result).toBe('modified');
		expect(result.sha256).toBe(sha256(copy));
		expect(result.result === 'modified' && result.agreement.id).toBe(id);

		// The change is also one pdfsig notices: the seal no longer verifies.
		const file = join(dataDir, 'changed.pdf');
		writeFileSync(file, copy);
		expect(spawnSync('/usr/bin/pdfsig', [file], { encoding: 'utf8' }).stdout).not.toContain('Signature is Valid.');
	});

	it('knows nothing of an unrelated PDF, or of one naming an agreement that does not exist', async () => {
		const unrelated = await PDFDocument.create();
		unrelated.addPage().drawText('Ei sopimus');
		expect(await verifyPdf(db, await unrelated.save())).toMatchObject({ result: 'unknown' });

		const input = buildPdfInput(db, getAgreement(db, id)!, { final: true });
		const stranger = await renderAgreementPdf({
			...input,
			agreementId: crypto.randomUUID(),
			metadata: { ...input.metadata, keywords: [`liitos-agreement:${crypto.randomUUID()}`] }
		});
		expect(await verifyPdf(db, stranger)).toMatchObject({ result: 'unknown' });
	});

	it('names a copy re-saved by another program that compressed its keywords into an object stream', async () => {
		const resaved = await PDFDocument.load(readFileSync(path), { updateMetadata: false });
		const bytes = await resaved.save({ useObjectStreams: true });
		expect(Buffer.from(bytes).toString('latin1')).not.toContain('liitos-agreement:');
		const result = await verifyPdf(db, bytes);
		expect(result.result === 'modified' && result.agreement.id).toBe(id);
	});

	it('refuses a PDF whose object stream is a decompression bomb, without naming an agreement', async () => {
		const result = await verifyPdf(db, new Uint8Array(doubleFlateBomb()));
		expect(result).toMatchObject({ result: 'refused', reason: 'too_much_data' });
	});

	it('an unsealed rendering of the same agreement is not the original', async () => {
		const rendered = await renderAgreementPdf(buildPdfInput(db, getAgreement(db, id)!, { final: true }));
		const result = await verifyPdf(db, rendered);
		expect(result.result).toBe('modified');
		expect(result.result === 'modified' && result.agreement.id).toBe(id);
	});
});
