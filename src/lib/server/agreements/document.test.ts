import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { hashPassword } from '../auth/password';
import { getTenant, updateTenant } from '../tenants/tenants';
import { addDesignatedPerson } from '../organisation/organisation';
import { DRAFT_CHOICES, freshDb, setUpAgreementWorld, tenantInput, type AgreementWorld } from '../test-support';
import { createDraft, getAgreement, sendForSignature, signAgreement, updateDraft } from './agreements';
import { buildPdfInput } from './document';
import { renderAgreementPdf } from './pdf';

const PASSWORD = 'oikea-hevonen-akku-niitti';
const TENANT_NAME = 'Åland Ärrä Öljy Oy';
const TENANT_BUSINESS_ID = '3141592-6';
const T0 = new Date('2026-03-02T08:00:00Z');

const dir = mkdtempSync(join(tmpdir(), 'liitos-document-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
async function render(db: Db, id: string, options: { final: boolean; now?: Date }): Promise<{ file: string; pages: number }> {
	const bytes = await renderAgreementPdf(buildPdfInput(db, getAgreement(db, id)!, options));
	const file = join(dir, `agreement-${++files}.pdf`);
	writeFileSync(file, bytes);
	return { file, pages: (await PDFDocument.load(bytes)).getPageCount() };
}

function pdftotext(file: string, args: string[] = []): string {
	const result = spawnSync('/usr/bin/pdftotext', [...args, file, '-'], { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`pdftotext failed: ${result.stderr}`);
	return result.stdout;
}

/** Collapses whitespace (and words wrapped at line ends) so sentences compare with the source. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

let passwordHash: string;
beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

const SECOND_DPO = {
	role: 'data_protection_officer' as const,
	name: 'Toivo Toinen',
	title: 'Tietosuojavastaava',
	email: 'toivo@mc.example.fi',
	phone: ''
};

function world(db: Db, tenant: Parameters<typeof tenantInput>[0] = {}): AgreementWorld {
	const w = setUpAgreementWorld(db, passwordHash, {
		tenant: { name: TENANT_NAME, businessId: TENANT_BUSINESS_ID, ...tenant },
		tenantSignerName: 'Åsa Öhman-Ärling',
		services: ['patient_data_repository', 'data_management_service', 'will_expression']
	});
	addDesignatedPerson(db, w.admin, SECOND_DPO);
	return w;
}

function draftFor(db: Db, w: AgreementWorld): string {
	const created = createDraft(db, w.admin, { tenantId: w.tenantId, templateId: w.templateId }, T0);
	if (!created.ok) throw new Error(created.reason);
	updateDraft(db, w.admin, created.id, DRAFT_CHOICES, T0);
	return created.id;
}

describe('buildPdfInput + renderAgreementPdf', () => {
	let db: Db;
	let w: AgreementWorld;
	let id: string;
	beforeAll(async () => {
		db = freshDb();
		w = world(db);
		id = draftFor(db, w);
	});

	it('a draft preview carries the watermark on every page, and no signature or audit page', async () => {
		const input = buildPdfInput(db, getAgreement(db, id)!, { final: false, now: T0 });
		expect(input.draftWatermark).toBe('LUONNOS');
		expect(input.signaturePage).toBeUndefined();
		expect(input.auditPage).toBeUndefined();
		expect(input.metadata.keywords).toEqual([`liitos-agreement:${id}`, 'content-sha256:draft']);

		const { file, pages } = await render(db, id, { final: false, now: T0 });
		expect(pages).toBeGreaterThan(2);
		for (let p = 1; p <= pages; p++) {
			// The rotated watermark comes out letter by letter; -raw keeps them in drawing order.
			expect(pdftotext(file, ['-raw', '-f', String(p), '-l', String(p)]).replace(/\s/g, '')).toContain('LUONNOS');
		}
		const text = flat(pdftotext(file));
		expect(text).toContain(TENANT_NAME);
		expect(text).not.toContain('Tapahtumahistoria');
		expect(text).not.toContain('Tehtävänimike');
	});

	it('the final document: parties, Annex 1 in Finnish, page numbers, signatures and audit page, no gaps', async () => {
		expect(sendForSignature(db, w.admin, id, T0)).toEqual({ ok: true });
		// Changes to the records after sending must not reach the signed document.
		const tenant = getTenant(db, w.tenantId)!;
		updateTenant(db, w.admin, w.tenantId, tenantInput({ name: 'Myöhemmin Muutettu Oy', businessId: tenant.businessId, serviceIds: [] }));
		const client = { ipAddress: '192.0.2.44', userAgent: 'vitest' };
		expect(
			await signAgreement(db, w.tenantSigner, id, { typedName: 'åsa  öhman-ärling', title: 'Toimitusjohtaja', password: PASSWORD }, client)
		).toMatchObject({ ok: true });
		expect(
			await signAgreement(
				db,
				w.mainSigner,
				id,
				{ typedName: 'Sakari Signer', title: 'Hallituksen puheenjohtaja', password: PASSWORD },
				client
			)
		).toMatchObject({ ok: true, status: 'in_force' });

		const current = getAgreement(db, id)!;
		const input = buildPdfInput(db, current, { final: true });
		expect(input.draftWatermark).toBeUndefined();
		expect(input.metadata.keywords).toEqual([`liitos-agreement:${id}`, `content-sha256:${current.contentHash}`]);
		expect(input.metadata.creationDate).toEqual(current.inForceAt);
		expect(input.annex1.rows).toEqual([
			['1', 'Potilastiedon arkisto'],
			['2', 'Tiedonhallintapalvelu'],
			['3', 'Tahdonilmaisupalvelu']
		]);

		const { file, pages } = await render(db, id, { final: true });
		const raw = pdftotext(file);
		const text = flat(raw);
		expect(text).toContain(TENANT_NAME);
		expect(text).not.toContain('Myöhemmin Muutettu');
		expect(text).toContain(`Y-tunnus ${TENANT_BUSINESS_ID}`);
		expect(text).toContain('Y-tunnus 2617416-4'); // the main connector
		expect(text).toContain('Pääliittyjä Terveys Oy');
		expect(text).toContain('Arja Arkisto');
		for (const service of ['Potilastiedon arkisto', 'Tiedonhallintapalvelu', 'Tahdonilmaisupalvelu']) expect(text).toContain(service);
		expect(text).not.toContain('Patient Data Management Service');
		expect(text).not.toContain('Viljeyttringstjänsten');
		// Every designated data protection officer is printed (§17 allows several), not only the first.
		for (const officer of ['Tiina Tietosuoja', SECOND_DPO.name]) expect(text).toContain(officer);
		expect(text).toContain('sivu 1 /');
		expect(text).toContain(`sivu ${pages} / ${pages}`);
		expect(raw).not.toContain('{{');
		expect(raw).not.toContain('}}');
		expect(raw).not.toMatch(/\[(tenant|main|contact)\./);

		// The signature page, then the audit page, are the last ones.
		const signaturePage = flat(pdftotext(file, ['-f', String(pages - 1), '-l', String(pages - 1)]));
		expect(signaturePage).toContain('Allekirjoitukset');
		expect(signaturePage).toContain('åsa öhman-ärling');
		expect(signaturePage).toContain('Sakari Signer');
		expect(signaturePage).toContain(`Organisaatio ${TENANT_NAME}`);
		expect(signaturePage).not.toContain('Myöhemmin Muutettu');
		expect(signaturePage).toContain('Vuokralainen');
		expect(signaturePage).toContain('Hallituksen puheenjohtaja');
		expect(signaturePage).toContain('(Europe/Helsinki)');
		const auditPage = flat(pdftotext(file, ['-f', String(pages), '-l', String(pages)]));
		expect(auditPage).toContain('Tapahtumahistoria');
		for (const event of ['Luonnos luotu', 'Lähetetty allekirjoitettavaksi', 'Vuokralainen allekirjoitti', 'Pääliittyjä allekirjoitti']) {
			expect(auditPage).toContain(event);
		}
		expect(auditPage).toContain(w.tenantSigner.email);
		expect(auditPage).toContain(w.mainSigner.email);
	});
});

describe('draft previews with values still missing', () => {
	it('prints the gaps by name instead of refusing', async () => {
		const db = freshDb();
		const w = world(db, { soteriRegistration: '' });
		const id = draftFor(db, w);
		expect(sendForSignature(db, w.admin, id)).toEqual({ ok: false, missing: ['tenant.soteri'] });
		const { file } = await render(db, id, { final: false, now: T0 });
		const text = flat(pdftotext(file));
		expect(text).toContain('Soteri-rekisteröinti [tenant.soteri]');
		expect(text).toContain(TENANT_NAME);
	});
});
