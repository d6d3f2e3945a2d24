import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, setUpMainConnector } from '../test-support';
import { syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, saveRequirement } from './plan';
import { exportPlanPdf, markdownToLines, renderPlanPdf } from './pdf';
import { acceptRisk, addRisk, designateDirector } from './risks';
import { approvePlan, currentSnapshot, snapshotHash } from './versions';
import { hashPassword } from '../auth/password';
import { insertUser } from '../test-support';
import { planEntry } from './test-entries';

const NOW = new Date('2026-03-10T10:00:00Z');
let db: Db;
let actor: Actor;

function text(pdf: Uint8Array): string {
	const file = join(mkdtempSync(join(tmpdir(), 'plan-pdf-')), 'plan.pdf');
	writeFileSync(file, pdf);
	const result = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(result.stderr);
	return result.stdout.replace(/\s+/g, ' ');
}

beforeEach(() => {
	db = freshDb();
	actor = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
	saveRequirement(
		db,
		actor,
		MAIN_PLAN,
		'6.3-1',
		{
			description: 'Perehdytys **ensimmäisellä viikolla**.\n\n- kertaus vuosittain\n- kirjaus koulutusrekisteriin',
			ownerId: actor.id,
			status: 'implemented',
			lastReviewedOn: '2025-01-15',
			nextReviewOn: '2026-01-15',
			responsibleParty: 'it_service_provider',
			responsibleName: 'Palvelin Oy',
			agreementReference: 'IT-sopimus 2024 § 7'
		},
		NOW
	);
});

describe('renderPlanPdf', () => {
	it('holds every section, the requirements, the description as text, the owner, responsibility and review dates', async () => {
		const pdf = text((await renderPlanPdf(db, MAIN_PLAN, 'fi', NOW))!);
		for (let n = 1; n <= 12; n++) expect(pdf).toContain(`THL:n määräys 3/2024, luku 6.${n}`);
		expect(pdf).toContain('Henkilöstön koulutus ja osaamisen ylläpito');
		expect(pdf).toContain('Perehdytys ensimmäisellä viikolla.');
		expect(pdf).not.toContain('**');
		expect(pdf).toContain('• kertaus vuosittain');
		expect(pdf).toContain('Aino Admin');
		expect(pdf).toContain('IT-palveluntuottaja: Palvelin Oy. Sopimus: IT-sopimus 2024 § 7');
		expect(pdf).toContain('2026-01-15 (Tarkistettava)');
		expect(pdf).toContain('LUOTTAMUKSELLINEN');
	});

	it('holds the risk register with the director’s acceptance, and says the plan is not approved yet', async () => {
		designateDirector(db, actor, MAIN_PLAN, actor.id, NOW);
		const { id } = addRisk(
			db,
			actor,
			MAIN_PLAN,
			{
				title: 'Tietokatko',
				systems: 'Potilastieto',
				chapters: ['6.2'],
				likelihood: 'moderate',
				impact: 'very_high',
				treatment: 'Varayhteys',
				residual: 'low'
			},
			NOW
		) as { id: string };
		acceptRisk(db, actor, MAIN_PLAN, id, NOW.getTime(), NOW);
		const pdf = text((await renderPlanPdf(db, MAIN_PLAN, 'fi', NOW))!);
		expect(pdf).toContain('Vastuullinen johtaja: Aino Admin');
		expect(pdf).toContain('Suunnitelmaa ei ole vielä hyväksytty.');
		expect(pdf).toContain('Riskirekisteri');
		expect(pdf).toContain('Tietokatko · Potilastieto · 6.2');
		expect(pdf).toContain('Erittäin korkea');
		expect(pdf).toContain('Aino Admin 2026-03-10');
	});

	it('speaks Swedish for a Swedish reader', async () => {
		const pdf = text((await renderPlanPdf(db, MAIN_PLAN, 'sv', NOW))!);
		expect(pdf).toContain('THL:s föreskrift 3/2024, kapitel 6.12');
		expect(pdf).toContain('Genomfört');
	});

	it('records who exported the plan', async () => {
		await exportPlanPdf(db, actor, MAIN_PLAN, 'fi', NOW);
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'security_plan.export')).all()).toMatchObject([
			{ summary: 'PDF (fi), draft' }
		]);
	});

	it('prints the plan as a draft, marked on every page, while no version is approved', async () => {
		const pdf = text((await renderPlanPdf(db, MAIN_PLAN, 'fi', NOW))!);
		expect(pdf).toContain('LUONNOS – suunnitelma sellaisena kuin se nyt on, ei hyväksytty versio');
		expect(pdf.match(/LUOTTAMUKSELLINEN – tietoturvasuunnitelma · LUONNOS/g)!.length).toBeGreaterThan(12);
		expect(pdf).not.toContain('Eheys');
	});
});

describe('the approved version in print', () => {
	const PASSWORD = 'correct horse battery staple';
	let passwordHash: string;

	beforeAll(async () => {
		passwordHash = await hashPassword(PASSWORD);
	});

	async function approveAsDirector() {
		const director = insertUser(db, { name: 'Ville Vastaava', roles: ['mc_signatory'], passwordHash });
		designateDirector(db, actor, MAIN_PLAN, director.id, NOW);
		const hash = snapshotHash(JSON.stringify(currentSnapshot(db, MAIN_PLAN)));
		const result = await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, hash, { ipAddress: '' }, NOW);
		if (!result.ok) throw new Error(result.reason);
		return hash;
	}

	it('prints the newest approved version from its frozen content, with its approval page, not later edits', async () => {
		const hash = await approveAsDirector();
		saveRequirement(db, actor, MAIN_PLAN, '6.3-1', planEntry({ description: 'Muutettu hyväksynnän jälkeen.' }), NOW);
		const approved = text((await renderPlanPdf(db, MAIN_PLAN, 'fi', NOW))!);
		expect(approved).toContain('Perehdytys ensimmäisellä viikolla.');
		expect(approved).not.toContain('Muutettu hyväksynnän jälkeen.');
		expect(approved).toContain('Aino Admin');
		expect(approved).not.toContain('LUONNOS');
		// The approval page.
		expect(approved).toContain(`Sisällön tiiviste (SHA-256) ${hash}`);
		expect(approved).toContain('Hyväksyjä Ville Vastaava');
		expect(approved).toContain('Salasanavahvistus Liitoksessa');
		expect(approved).toContain('Tulostettu sisältö vastaa hyväksynnässä otettua tiivistettä.');
		expect(approved).toContain('LUOTTAMUKSELLINEN – tietoturvasuunnitelma · Versio 1');

		// The draft shows the edit and says which version it builds on.
		const draft = text((await renderPlanPdf(db, MAIN_PLAN, 'fi', NOW, 'draft'))!);
		expect(draft).toContain('Muutettu hyväksynnän jälkeen.');
		expect(draft).toContain('LUONNOS – suunnitelma sellaisena kuin se nyt on');
		expect(draft).toContain('Uusin hyväksytty versio on 1 (2026-03-10)');

		const exported = await exportPlanPdf(db, actor, MAIN_PLAN, 'fi', NOW);
		expect(exported?.version).toBe(1);
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'security_plan.export')).all().at(-1)).toMatchObject({
			summary: 'PDF (fi), version 1',
			targetType: 'security_plan_version'
		});
	});
});

describe('markdownToLines', () => {
	it('keeps the words of paragraphs and list items, not the markup; raw HTML stays text', () => {
		expect(markdownToLines('A [link](https://example.fi) and `code`.\n\n* one\n* two\n\n<b>x</b>')).toEqual([
			{ kind: 'paragraph', text: 'A link and code.' },
			{ kind: 'item', text: 'one' },
			{ kind: 'item', text: 'two' },
			{ kind: 'paragraph', text: '<b>x</b>' }
		]);
	});
});
