import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { acknowledgement, auditEntry, instruction, instructionVersion, securityPlanVersion, type User } from '../db/schema';
import type { Actor } from '../actor';
import { addTenant, freshDb, insertUser, setUpMainConnector } from '../test-support';
import { hashPassword } from '../auth/password';
import { toSessionUser } from '../auth/session';
import {
	SYSTEM_INSTRUCTIONS,
	SystemInstructionError,
	acknowledge,
	archiveInstruction,
	coverage,
	coverageCounts,
	currentVersion,
	instructionsFor,
	listVersions,
	publishVersion,
	systemInstruction,
	textFor,
	updateInstructionSettings
} from '../instructions/instructions';
import { textDiff } from '../instructions/diff';
import { syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, saveRequirement } from './plan';
import { setSectionBinding } from './sharing';
import { designateDirector } from './risks';
import { approvePlan, currentSnapshot, getVersion, listVersions as listPlanVersions, snapshotHash } from './versions';
import { acknowledgeVersion, personalAcknowledgement } from './acknowledgements';
import { backfillBindingInstruction } from './binding-instruction';
import { planEntry } from './test-entries';

const NOW = new Date('2026-03-10T10:00:00Z');
const LATER = new Date('2026-03-11T10:00:00Z');
const PASSWORD = 'correct horse battery staple';
const CLIENT = { ipAddress: '192.0.2.5', userAgent: 'test' };

let passwordHash: string;
let db: Db;
let admin: Actor;
let director: User;
let tenantId: string;

const entry = (description: string) => planEntry({ description });

async function approve(at = NOW) {
	const hash = snapshotHash(JSON.stringify(currentSnapshot(db, MAIN_PLAN)));
	const result = await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, hash, { ipAddress: '192.0.2.7' }, at);
	if (!result.ok) throw new Error(`approval refused: ${result.reason}`);
	return result.version;
}

const planInstruction = () => systemInstruction(db, SYSTEM_INSTRUCTIONS.securityPlan);
const versionsOfInstruction = () => {
	const item = planInstruction();
	return item ? listVersions(db, item.id).reverse() : [];
};
const auditActions = () =>
	db
		.select({ action: auditEntry.action, summary: auditEntry.summary })
		.from(auditEntry)
		.where(
			inArray(auditEntry.action, [
				'security_plan.approve',
				'instruction.create',
				'instruction.publish',
				'instruction.archive',
				'instruction.restore'
			])
		)
		.orderBy(asc(auditEntry.seq))
		.all();

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
	director = insertUser(db, { name: 'Ville Vastaava', roles: ['mc_signatory'], passwordHash });
	designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
	tenantId = addTenant(db, admin, {}, NOW);
	saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry('Doors are locked when the room is left.'), NOW);
	saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry('Confidential continuity plan, not binding.'), NOW);
});

describe('approving the main connector’s plan publishes its binding sections as an instruction', () => {
	it('publishes nothing while no section binds tenants', async () => {
		await approve();
		expect(planInstruction()).toBeUndefined();
		expect(db.select().from(instructionVersion).all()).toEqual([]);
	});

	it('publishes exactly one version with the approved binding text, in fi, sv and en, with audit entries', async () => {
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approve();
		const item = planInstruction()!;
		expect(item).toMatchObject({
			category: 'security_policy',
			allTenants: true,
			audience: 'all_staff',
			requiresAck: true,
			archivedAt: null
		});
		const versions = versionsOfInstruction();
		expect(versions).toHaveLength(1);
		const [v1] = versions;
		expect(v1).toMatchObject({ version: 1, material: true, securityPlanVersionId: getVersion(db, MAIN_PLAN, 1)!.id, publishedAt: NOW });
		expect(v1.titleFi).toBe('Tietoturvasuunnitelma: mikä teitä sitoo');
		expect(v1.titleSv).toBe('Informationssäkerhetsplanen: det som binder er');
		expect(v1.titleEn).toBe('Information-security plan: what binds you');
		for (const body of [v1.bodyFi, v1.bodySv, v1.bodyEn!]) {
			expect(body).toContain('### 6.9 ');
			expect(body).toContain('#### 6.9-1 ');
			expect(body).toContain('Doors are locked when the room is left.');
			// Only the binding sections: the rest of the plan stays confidential.
			expect(body).not.toContain('not binding');
			expect(body).not.toContain('6.2-1');
		}
		expect(v1.changeSummary).toContain('versio 1');
		expect(auditActions().map((a) => a.action)).toEqual(['security_plan.approve', 'instruction.create', 'instruction.publish']);
		// An unapproved edit changes nothing tenants read.
		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry('Unapproved rewrite.'), NOW);
		expect(textFor(currentVersion(db, item.id)!, 'fi').body).not.toContain('Unapproved');
	});

	it('publishes a second version when the binding text changes, whose diff shows what changed, and none when it does not', async () => {
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approve();
		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry('Doors are locked and logged when the room is left.'), LATER);
		await approve(LATER);
		const [v1, v2] = versionsOfInstruction();
		expect(v2).toMatchObject({ version: 2, material: true, securityPlanVersionId: getVersion(db, MAIN_PLAN, 2)!.id });
		const parts = textDiff(textFor(v1, 'en').body, textFor(v2, 'en').body);
		expect(parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['and logged']);
		expect(parts.filter((p) => p.kind === 'removed')).toEqual([]);

		// A version changing only what does not bind tenants asks nobody to acknowledge again.
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry('Rewritten continuity plan.'), LATER);
		expect(await approve(LATER)).toBe(3);
		expect(versionsOfInstruction()).toHaveLength(2);
	});

	it('withdraws the instruction when a version binds nothing, and brings it back with a new version when one binds again', async () => {
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approve();
		setSectionBinding(db, admin, '6.9', false, NOW);
		await approve();
		expect(planInstruction()!.archivedAt).toEqual(NOW);
		setSectionBinding(db, admin, '6.9', true, LATER);
		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry('Doors are locked, always.'), LATER);
		await approve(LATER);
		expect(planInstruction()!.archivedAt).toBeNull();
		expect(versionsOfInstruction().map((v) => v.version)).toEqual([1, 2]);
		expect(auditActions().map((a) => a.action)).toEqual([
			'security_plan.approve',
			'instruction.create',
			'instruction.publish',
			'security_plan.approve',
			'instruction.archive',
			'security_plan.approve',
			'instruction.restore',
			'instruction.publish'
		]);
	});

	it('approves and publishes in one transaction: when publishing fails, nothing is approved or audited', async () => {
		setSectionBinding(db, admin, '6.9', true, NOW);
		db.$client.exec(`CREATE TRIGGER refuse_version BEFORE INSERT ON instruction_version BEGIN SELECT RAISE(ABORT, 'refused'); END`);
		await expect(approve()).rejects.toThrow('refused');
		expect(listPlanVersions(db, MAIN_PLAN)).toEqual([]);
		expect(db.select().from(instruction).all()).toEqual([]);
		expect(auditActions()).toEqual([]);
	});

	it('refuses hand edits of the instruction: no new version, settings or archiving', async () => {
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approve();
		const item = planInstruction()!;
		const content = { titleFi: 'x', bodyFi: 'x', titleSv: 'x', bodySv: 'x', titleEn: null, bodyEn: null };
		expect(() => publishVersion(db, admin, item.id, { material: true, changeSummary: 'hand edit' }, content, NOW)).toThrow(
			SystemInstructionError
		);
		expect(() =>
			updateInstructionSettings(db, admin, item.id, {
				category: 'other',
				allTenants: false,
				tenantIds: [tenantId],
				audience: 'tenant_admins',
				requiresAck: false
			})
		).toThrow(SystemInstructionError);
		expect(() => archiveInstruction(db, admin, item.id, NOW)).toThrow(SystemInstructionError);
		expect(planInstruction()).toEqual(item);
		expect(versionsOfInstruction()).toHaveLength(1);
	});
});

describe('tenant staff acknowledge the binding sections person by person', () => {
	it('shows the instruction to each of the tenant’s people, records each acknowledgement, and counts it in the coverage reports', async () => {
		const staff = toSessionUser(db, insertUser(db, { tenantId, roles: ['tenant_staff'] }));
		const other = toSessionUser(db, insertUser(db, { tenantId, roles: ['tenant_admin'] }));
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approve();
		const item = planInstruction()!;
		expect(instructionsFor(db, staff).find((i) => i.instruction.id === item.id)).toMatchObject({
			pending: true,
			acknowledgedVersion: null
		});
		expect(personalAcknowledgement(db, staff.id)).toEqual({ instructionId: item.id, version: 1, acknowledgedVersion: null, pending: true });
		expect(acknowledge(db, staff, item.id, currentVersion(db, item.id)!.id, 'sv', CLIENT, NOW)).toBe(true);
		expect(personalAcknowledgement(db, staff.id)).toMatchObject({ acknowledgedVersion: 1, pending: false });
		expect(personalAcknowledgement(db, other.id)).toMatchObject({ pending: true });
		expect(coverage(db, item, tenantId)).toMatchObject({ acknowledged: 1, total: 2 });
		expect(coverageCounts(db, item)).toMatchObject({ acknowledged: 1, total: 2, tenantCount: 1 });

		// A new binding text asks everyone again.
		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry('Doors are locked and logged.'), LATER);
		await approve(LATER);
		expect(personalAcknowledgement(db, staff.id)).toMatchObject({ version: 2, acknowledgedVersion: 1, pending: true });
		expect(coverage(db, item, tenantId)).toMatchObject({ acknowledged: 0, total: 2 });
	});
});

describe('data from before the instruction existed', () => {
	it('publishes the newest binding version once, carrying each administrator’s acknowledgement for the tenant over to that person', async () => {
		const tenantAdmin = insertUser(db, { name: 'Tuula Tenant', tenantId, roles: ['tenant_admin'] });
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approve();
		// As before this change: an approved binding version, no instruction, and the tenant's acknowledgement.
		db.delete(instructionVersion).run();
		db.delete(instruction).run();
		db.delete(auditEntry).where(eq(auditEntry.action, 'instruction.publish')).run();
		expect(
			acknowledgeVersion(db, { id: tenantAdmin.id, label: tenantAdmin.email, ipAddress: '' }, { id: tenantAdmin.id, tenantId }, 1, NOW)
		).toEqual({
			ok: true
		});

		expect(backfillBindingInstruction(db, LATER)).toBe(true);
		const item = planInstruction()!;
		expect(versionsOfInstruction()).toMatchObject([{ version: 1, securityPlanVersionId: getVersion(db, MAIN_PLAN, 1)!.id }]);
		expect(db.select().from(acknowledgement).all()).toMatchObject([
			{ userId: tenantAdmin.id, instructionId: item.id, version: 1, at: NOW }
		]);
		expect(coverage(db, item, tenantId)).toMatchObject({ acknowledged: 1, total: 1 });
		// Once only.
		expect(backfillBindingInstruction(db, LATER)).toBe(false);
		expect(versionsOfInstruction()).toHaveLength(1);
		// The tenant-level row is kept as history.
		expect(db.select().from(securityPlanVersion).all()).toHaveLength(1);
	});
});
