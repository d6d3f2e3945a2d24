import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import type { User } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, insertTenantRow, insertUser, setUpMainConnector } from '../test-support';
import { hashPassword } from '../auth/password';
import { syncBundledFrameworks } from './framework-store';
import { saveRequirement, MAIN_PLAN } from './plan';
import { setSectionBinding } from './sharing';
import { designateDirector } from './risks';
import { approvePlan, currentSnapshot, snapshotHash } from './versions';
import { bindingChangesPending, bindingPage } from './acknowledgements';
import { planEntry } from './test-entries';

const NOW = new Date('2026-03-10T10:00:00Z');
const PASSWORD = 'correct horse battery staple';

let passwordHash: string;
let db: Db;
let admin: Actor;
let director: User;
let tenantId: string;

const entry = (description: string) => planEntry({ description });

async function approve() {
	const result = await approvePlan(
		db,
		MAIN_PLAN,
		director,
		{ password: PASSWORD },
		snapshotHash(JSON.stringify(currentSnapshot(db, MAIN_PLAN))),
		{ ipAddress: '' },
		NOW
	);
	if (!result.ok) throw new Error(`approval refused: ${result.reason}`);
}

/** The description tenants are shown for one requirement. */
const shown = (id: string, tenant: string | null = tenantId) =>
	bindingPage(db, tenant)
		.sections.flatMap((s) => s.requirements)
		.find((r) => r.requirement.id === id)?.description;

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
	director = insertUser(db, { name: 'Ville Vastaava', roles: ['mc_signatory'], passwordHash });
	designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
	tenantId = insertTenantRow(db);
	saveRequirement(db, admin, MAIN_PLAN, '6.9-3', entry('Printouts go to a **locked bin**.'), NOW);
	saveRequirement(db, admin, MAIN_PLAN, '6.7-5', entry('Internal: admin accounts.'), NOW);
	setSectionBinding(db, admin, '6.9', true, NOW);
});

describe('the binding page shows the newest approved version, not the live plan', () => {
	it('shows nothing of the plan before a version is approved, and tells the main connector that changes await approval', () => {
		expect(bindingPage(db, tenantId)).toEqual({ approved: null, sections: [], view: null, read: [] });
		expect(bindingChangesPending(db)).toBe(true);
	});

	it('shows the approved text, number and date; an edit saved afterwards reaches tenants only once approved', async () => {
		await approve();
		const page = bindingPage(db, tenantId);
		expect(page.approved).toEqual({ version: 1, approvedAt: NOW });
		expect(page.sections.map((s) => s.section.chapter)).toEqual(['6.9']);
		expect(shown('6.9-3')).toBe('Printouts go to a **locked bin**.');
		// Only the binding sections' descriptions travel: no owners, dates or other sections.
		expect(JSON.stringify(page.sections)).not.toContain('admin accounts');
		expect(Object.keys(page.sections[0].requirements[0]).sort()).toEqual(['description', 'requirement']);
		expect(page.read.map((v) => v.version)).toEqual([1]);
		expect(bindingChangesPending(db)).toBe(false);

		// A change outside the binding sections is not a change tenants would see.
		saveRequirement(db, admin, MAIN_PLAN, '6.7-5', entry('Internal: admin accounts, reviewed.'), NOW);
		expect(bindingChangesPending(db)).toBe(false);

		saveRequirement(db, admin, MAIN_PLAN, '6.9-3', entry('Printouts are shredded on site.'), NOW);
		expect(shown('6.9-3')).toBe('Printouts go to a **locked bin**.');
		expect(shown('6.9-3', null)).toBe('Printouts go to a **locked bin**.');
		expect(bindingChangesPending(db)).toBe(true);

		await approve();
		expect(bindingPage(db, tenantId).approved?.version).toBe(2);
		expect(shown('6.9-3')).toBe('Printouts are shredded on site.');
		expect(bindingChangesPending(db)).toBe(false);
	});

	it('keeps showing a section unmarked in the live plan until that change is approved', async () => {
		await approve();
		setSectionBinding(db, admin, '6.9', false, NOW);
		expect(bindingChangesPending(db)).toBe(true);
		expect(bindingPage(db, tenantId).sections.map((s) => s.section.chapter)).toEqual(['6.9']);
		await approve();
		expect(bindingPage(db, tenantId).sections).toEqual([]);
	});
});
