import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, setUpMainConnector } from '../test-support';
import { syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, saveRequirement } from './plan';
import { addRisk } from './risks';
import { planCsv, risksCsv } from './export-csv';

const NOW = new Date('2026-03-10T10:00:00Z');
let db: Db;
let admin: Actor;

const lines = (csv: string) =>
	csv
		.replace(/^\uFEFF/, '')
		.split('\r\n')
		.filter(Boolean);

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
});

describe('CSV exports of the plan', () => {
	it('lists every requirement with its status and review dates, in the reader’s language, and audits the export', () => {
		saveRequirement(
			db,
			admin,
			MAIN_PLAN,
			'6.3-2',
			{
				description: '=HYPERLINK("http://evil")',
				ownerId: admin.id,
				status: 'implemented',
				lastReviewedOn: '2026-01-05',
				nextReviewOn: null,
				responsibleParty: 'system_supplier',
				responsibleName: 'Toimittaja Oy',
				agreementReference: 'Ylläpitosopimus'
			},
			NOW
		);
		const rows = lines(planCsv(db, admin, MAIN_PLAN, 'fi', NOW)!);
		expect(rows[0]).toMatch(/^Luku,Vaatimus,/);
		const row = rows.find((r) => r.startsWith('6.3,6.3-2,'))!;
		// A description that looks like a formula is neutralised.
		expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
		expect(row).toContain('Toteutettu');
		expect(row).toContain('Järjestelmätoimittaja,Toimittaja Oy,Ylläpitosopimus,2026-01-05,2027-01-05');
		expect(rows.length - 1).toBeGreaterThan(40);
		expect(lines(planCsv(db, admin, MAIN_PLAN, 'sv', NOW)!)[0]).toMatch(/^Kapitel,Krav,/);
		const audits = db.select().from(auditEntry).where(like(auditEntry.action, 'security_plan.export')).all();
		expect(audits.map((a) => a.summary)).toEqual(['CSV plan (fi)', 'CSV plan (sv)']);
	});

	it('lists the risk register with levels by their labels', () => {
		addRisk(
			db,
			admin,
			MAIN_PLAN,
			{
				title: 'Katkos',
				systems: 'EHR',
				chapters: ['6.2'],
				likelihood: 'high',
				impact: 'very_high',
				treatment: 'Varajärjestely',
				residual: 'low'
			},
			NOW
		);
		const rows = lines(risksCsv(db, admin, MAIN_PLAN, 'fi'));
		expect(rows).toHaveLength(2);
		expect(rows[1]).toBe('Katkos,EHR,6.2,Korkea,Erittäin korkea,Varajärjestely,Matala,,');
	});
});
