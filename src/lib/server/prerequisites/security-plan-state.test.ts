import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index';
import { securityPlanVersion, user, type User } from '../db/schema';
import type { Actor } from '../actor';
import { addTenant, freshDb, insertUser, setUpMainConnector } from '../test-support';
import { hashPassword } from '../auth/password';
import { toSessionUser } from '../auth/session';
import { SYSTEM_INSTRUCTIONS, acknowledge, currentVersion, systemInstruction } from '../instructions/instructions';
import { syncBundledFrameworks } from '../security-plan/framework-store';
import { markReviewed, saveRequirement, MAIN_PLAN } from '../security-plan/plan';
import { setSectionBinding } from '../security-plan/sharing';
import { designateDirector } from '../security-plan/risks';
import { approvePlan, currentSnapshot, getVersion, snapshotHash } from '../security-plan/versions';
import { acknowledgeVersion } from '../security-plan/acknowledgements';
import { evaluateDerived } from './derived';
import { getChecklist } from './checklist';
import { planEntry as entry } from '../security-plan/test-entries';

const NOW = new Date('2026-03-10T10:00:00Z');
const PASSWORD = 'correct horse battery staple';
const DAY_MS = 86_400_000;
const CLIENT = { ipAddress: '192.0.2.5', userAgent: 'test' };
const days = (n: number) => new Date(NOW.getTime() + n * DAY_MS);

let passwordHash: string;
let db: Db;
let admin: Actor;
let director: User;
let tenantId: string;

/** The director approves the plan as it stands, as the versions page lets them. */
async function approve(at = NOW) {
	const hash = snapshotHash(JSON.stringify(currentSnapshot(db, MAIN_PLAN)));
	const result = await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, hash, { ipAddress: '' }, at);
	if (!result.ok) throw new Error(`approval refused: ${result.reason}`);
	return result.version;
}

const acknowledgeTenant = (tenant: string, person: User, version: number, at = NOW) =>
	acknowledgeVersion(db, { id: person.id, label: person.email, ipAddress: '' }, { id: person.id, tenantId: tenant }, version, at);

const entryOf = (code: string, now = NOW) => getChecklist(db, tenantId, now).entries.find((e) => e.type.code === code)!;

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
	director = insertUser(db, { name: 'Ville Vastaava', roles: ['mc_signatory'], passwordHash });
	tenantId = addTenant(db, admin, {}, NOW);
});

describe('security_plan_in_place (the main connector’s plan in place)', () => {
	const state = (now = NOW) => evaluateDerived(db, 'security_plan_in_place', tenantId, now);

	it('is not met without a plan, nor while the plan has never been approved', () => {
		expect(state()).toEqual({ met: false, problem: 'plan_not_approved' });
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry(), NOW);
		designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
		expect(state()).toEqual({ met: false, problem: 'plan_not_approved' });
		expect(entryOf('security_plan')).toMatchObject({ status: 'not_started', done: false, derived: { problem: 'plan_not_approved' } });
	});

	it('is met once approved and reviewed on time, falls due with a review date, and is met again once reviewed', async () => {
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry(), NOW);
		saveRequirement(db, admin, MAIN_PLAN, '6.3-1', entry({ lastReviewedOn: '2025-09-10' }), NOW); // next review 2026-09-10
		designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
		await approve();
		expect(state()).toEqual({ met: true });
		expect(entryOf('security_plan')).toMatchObject({ status: 'verified', done: true });

		// A later, unapproved edit does not take away the approved version.
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry({ description: 'Rewritten, not yet approved.' }), NOW);
		expect(state().met).toBe(true);

		// The day before 6.3-1's review date the plan is current; on the date it is not.
		expect(state(new Date('2026-09-09T10:00:00Z')).met).toBe(true);
		const due = new Date('2026-09-10T10:00:00Z');
		expect(state(due)).toEqual({ met: false, problem: 'plan_review_due', missing: ['6.3-1'] });
		expect(entryOf('security_plan', due)).toMatchObject({ done: false, derived: { problem: 'plan_review_due' } });

		// Reviewing the requirement puts the plan back in place; re-approval is not needed for that.
		markReviewed(db, admin, MAIN_PLAN, '6.3-1', due);
		expect(state(due)).toEqual({ met: true });
	});

	it('is not met when the newest approved version no longer matches its hash', async () => {
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry(), NOW);
		designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
		await approve();
		const v1 = getVersion(db, MAIN_PLAN, 1)!;
		db.update(securityPlanVersion)
			.set({ snapshot: v1.snapshot.replace('quality', 'other') })
			.where(eq(securityPlanVersion.id, v1.id))
			.run();
		expect(state()).toEqual({ met: false, problem: 'plan_altered' });
	});

	it('is the main connector’s item on every tenant’s checklist, and the tenant cannot hand in evidence for it', () => {
		expect(entryOf('security_plan').type).toMatchObject({
			responsibleParty: 'main_connector',
			evidenceKind: 'derived',
			derivedRule: 'security_plan_in_place',
			renewalMonths: null
		});
	});
});

describe('security_plan_acknowledged (the tenant’s staff follow the plan)', () => {
	let tenantAdmin: User;
	let staff: User;
	const state = (tenant = tenantId) => evaluateDerived(db, 'security_plan_acknowledged', tenant, NOW);
	/** The person acknowledges the current version of the plan's instruction, as on their instructions page. */
	const acknowledgePersonally = (person: User, at = NOW) => {
		const item = systemInstruction(db, SYSTEM_INSTRUCTIONS.securityPlan)!;
		return acknowledge(db, toSessionUser(db, person), item.id, currentVersion(db, item.id)!.id, 'fi', CLIENT, at);
	};

	beforeEach(() => {
		tenantAdmin = insertUser(db, { name: 'Tuula Tenant', tenantId, roles: ['tenant_admin'] });
		staff = insertUser(db, { name: 'Sami Staff', tenantId, roles: ['tenant_staff'] });
		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry({ description: 'Doors are locked.' }), NOW);
		designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
	});

	it('is not met while no version is approved, nor while the approved version binds no section', async () => {
		setSectionBinding(db, admin, '6.9', true, NOW);
		expect(state()).toEqual({ met: false, problem: 'plan_not_approved' });
		setSectionBinding(db, admin, '6.9', false, NOW);
		await approve();
		expect(state()).toEqual({ met: false, problem: 'plan_nothing_binding' });
	});

	it('follows per-person coverage: met once every active person has acknowledged, saying how many have until then', async () => {
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approve();
		expect(state()).toEqual({
			met: false,
			problem: 'plan_not_acknowledged',
			counts: { acknowledged: 0, total: 2, version: 1 },
			missing: ['Sami Staff', 'Tuula Tenant']
		});
		// The administrator's confirmation for the tenant is kept, but does not stand in for the people.
		expect(acknowledgeTenant(tenantId, tenantAdmin, 1)).toEqual({ ok: true });
		expect(state()).toMatchObject({ met: false, counts: { acknowledged: 0, total: 2 } });
		expect(acknowledgePersonally(tenantAdmin)).toBe(true);
		expect(state()).toEqual({
			met: false,
			problem: 'plan_not_acknowledged',
			counts: { acknowledged: 1, total: 2, version: 1 },
			missing: ['Sami Staff']
		});
		expect(entryOf('security_plan_followed')).toMatchObject({ done: false, derived: { problem: 'plan_not_acknowledged' } });
		// Without detail (large tenants), the people are counted but not named.
		expect(evaluateDerived(db, 'security_plan_acknowledged', tenantId, NOW, false)).toEqual({
			met: false,
			problem: 'plan_not_acknowledged',
			counts: { acknowledged: 1, total: 2, version: 1 }
		});
		expect(acknowledgePersonally(staff)).toBe(true);
		expect(state()).toEqual({ met: true, counts: { acknowledged: 2, total: 2, version: 1 } });
		expect(entryOf('security_plan_followed')).toMatchObject({ status: 'verified', done: true });

		// Another tenant's people are its own; a tenant with nobody in the portal cannot meet it.
		const other = addTenant(db, admin, {}, NOW);
		expect(state(other)).toEqual({ met: false, problem: 'plan_no_people' });
		insertUser(db, { tenantId: other, roles: ['tenant_staff'] });
		expect(state(other)).toMatchObject({ met: false, counts: { acknowledged: 0, total: 1, version: 1 } });

		// A new approved binding text asks everyone again; acknowledgements of the old one no longer count.
		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry({ description: 'Doors are locked and logged.' }), NOW);
		await approve(days(1));
		expect(state()).toMatchObject({ met: false, counts: { acknowledged: 0, total: 2, version: 2 } });
		expect(acknowledgePersonally(tenantAdmin, days(1))).toBe(true);
		expect(acknowledgePersonally(staff, days(1))).toBe(true);
		expect(state()).toEqual({ met: true, counts: { acknowledged: 2, total: 2, version: 2 } });
	});

	it('counts only active people: a deactivated person neither holds the item back nor counts', async () => {
		const leaver = insertUser(db, { name: 'Lauri Leaver', tenantId, roles: ['tenant_staff'] });
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approve();
		expect(acknowledgePersonally(leaver)).toBe(true);
		expect(acknowledgePersonally(tenantAdmin)).toBe(true);
		expect(state()).toMatchObject({ met: false, counts: { acknowledged: 2, total: 3 }, missing: ['Sami Staff'] });
		db.update(user).set({ status: 'deactivated' }).where(eq(user.id, leaver.id)).run();
		expect(state()).toMatchObject({ met: false, counts: { acknowledged: 1, total: 2 } });
		db.update(user).set({ status: 'deactivated' }).where(eq(user.id, staff.id)).run();
		expect(state()).toEqual({ met: true, counts: { acknowledged: 1, total: 1, version: 1 } });
	});
});
