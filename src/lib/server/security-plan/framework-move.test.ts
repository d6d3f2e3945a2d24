import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, setUpMainConnector } from '../test-support';
import { addUploadedFramework, syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, getPlan, planOverview, requirementDetail, saveRequirement } from './plan';
import { addDocument, listDocuments } from './documents';
import { availableMove, moveToFramework } from './framework-move';
import { currentSnapshot, hasUnapprovedChanges } from './versions';
import { planEntry } from './test-entries';

const DIR = join(process.cwd(), 'templates', 'security-plan');
const SHIPPED = readFileSync(join(DIR, 'thl-3-2024.v1.json'), 'utf8');
const NOW = new Date('2026-03-10T10:00:00Z');

let db: Db;
let admin: Actor;

const entry = (description: string) => planEntry({ description });

/** Version 2 as THL might revise it: 6.1-2 dropped, 6.1-1 reworded, 6.1-9 new. */
function version2(): string {
	const data = JSON.parse(SHIPPED);
	data.version = 2;
	data.replaces = 1;
	const section = data.sections.find((s: { chapter: string }) => s.chapter === '6.1');
	section.requirements = section.requirements.filter((r: { id: string }) => r.id !== '6.1-2');
	section.requirements[0].en += ' (revised)';
	section.requirements.push({ id: '6.1-9', fi: 'Uusi vaatimus.', sv: 'Nytt krav.', en: 'A new requirement.' });
	return JSON.stringify(data, null, '\t');
}

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	syncBundledFrameworks(db, DIR);
	saveRequirement(db, admin, MAIN_PLAN, '6.1-1', entry('Kept as written.'), NOW);
	saveRequirement(db, admin, MAIN_PLAN, '6.1-2', entry('About a dropped requirement.'), NOW);
	addDocument(db, admin, MAIN_PLAN, '6.1-2', { title: 'Old policy', url: 'https://intra.example.fi/old' }, NOW);
});

describe('moving a plan onto a later framework version', () => {
	it('offers nothing while the plan is on the newest version', () => {
		expect(availableMove(db, MAIN_PLAN)).toBeNull();
		expect(moveToFramework(db, admin, MAIN_PLAN, 1, NOW)).toEqual({ ok: false, reason: 'not_newer' });
		expect(moveToFramework(db, admin, MAIN_PLAN, 7, NOW)).toEqual({ ok: false, reason: 'not_found' });
	});

	it('shows what changes, keeps what the plan says of kept requirements, and drops the rest from the live plan only', () => {
		expect(addUploadedFramework(db, admin, version2()).ok).toBe(true);
		const offer = availableMove(db, MAIN_PLAN)!;
		expect(offer.framework.version).toBe(2);
		expect(offer.changes).toEqual({ added: ['6.1-9'], removed: ['6.1-2'], reworded: ['6.1-1'] });
		expect(offer.dropped).toEqual(['6.1-2']);
		// A plan made before the move keeps its version: new plans only are made on the newest.
		expect(getPlan(db, MAIN_PLAN)!.frameworkVersion).toBe(1);

		expect(moveToFramework(db, admin, MAIN_PLAN, 2, NOW)).toMatchObject({ ok: true });
		expect(getPlan(db, MAIN_PLAN)!.frameworkVersion).toBe(2);
		expect(availableMove(db, MAIN_PLAN)).toBeNull();
		expect(requirementDetail(db, MAIN_PLAN, '6.1-1')!.entry!.description).toBe('Kept as written.');
		expect(requirementDetail(db, MAIN_PLAN, '6.1-9')!.entry).toBeNull();
		expect(requirementDetail(db, MAIN_PLAN, '6.1-2')).toBeNull();
		expect(listDocuments(db, MAIN_PLAN)).toEqual([]);
		const requirements = planOverview(db, MAIN_PLAN, NOW)!.sections.find((s) => s.section.chapter === '6.1')!.requirements;
		expect(requirements.map((r) => r.requirement.id)).toContain('6.1-9');
		expect(currentSnapshot(db, MAIN_PLAN)).toMatchObject({ framework: { version: 2 }, requirements: [{ id: '6.1-1' }] });
		// A changed plan: the director approves again.
		expect(hasUnapprovedChanges(db, MAIN_PLAN)).toBe(true);
		const audited = db.select().from(auditEntry).where(eq(auditEntry.action, 'security_plan.framework_move')).all();
		expect(audited.map((a) => a.summary)).toEqual(['thl-3-2024 v1 → v2: 1 added, 1 removed, 1 reworded; left the plan: 6.1-2']);
	});
});
