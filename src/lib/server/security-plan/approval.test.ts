import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry, notification, securityPlanVersion, type User } from '../db/schema';
import { describeNotification } from '../reminders/reminders';
import type { Actor } from '../actor';
import { freshDb, insertTenantRow, insertUser, setUpMainConnector } from '../test-support';
import { hashPassword } from '../auth/password';
import { syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, saveRequirement } from './plan';
import { setSectionBinding } from './sharing';
import { acceptRisk, addRisk, designateDirector, listRisks, removeRisk, updateRisk, type RiskInput } from './risks';
import {
	approvePlan,
	currentSnapshot,
	diffSnapshots,
	getVersion,
	hasUnapprovedChanges,
	isIntact,
	listVersions,
	parseSnapshot,
	snapshotHash
} from './versions';
import {
	acknowledgeVersion,
	acknowledgementOverview,
	acknowledgementOverviewPage,
	acknowledgementsOf,
	tenantView
} from './acknowledgements';
import { riskSchema } from '../../schemas/security-plan';
import { planEntry as entry } from './test-entries';

const DIR = join(process.cwd(), 'templates', 'security-plan');
const NOW = new Date('2026-03-10T10:00:00Z');
const PASSWORD = 'correct horse battery staple';

let passwordHash: string;
let db: Db;
let admin: Actor;
let director: User;
let directorActor: Actor;

const risk = (overrides: Partial<RiskInput> = {}): RiskInput => ({
	title: 'Patient system unavailable',
	systems: 'Demo EHR',
	chapters: ['6.2', '5'],
	likelihood: 'moderate',
	impact: 'high',
	treatment: 'Paper forms and a continuity drill every year.',
	residual: 'low',
	...overrides
});

const audits = () =>
	db
		.select({ action: auditEntry.action, summary: auditEntry.summary, tenantId: auditEntry.tenantId })
		.from(auditEntry)
		.where(like(auditEntry.action, 'security_plan.%'))
		.all();

/** The current content's hash, as the approval page shows it to the director. */
const shownHash = () => snapshotHash(JSON.stringify(currentSnapshot(db, MAIN_PLAN)));

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	syncBundledFrameworks(db, DIR);
	director = insertUser(db, { name: 'Ville Vastaava', roles: ['mc_signatory'], passwordHash });
	directorActor = { id: director.id, label: director.email, ipAddress: '192.0.2.7' };
});

describe('the risk register', () => {
	it('adds, edits and removes risks, keeping chapters in the regulation’s order, and audits each step', () => {
		const added = addRisk(db, admin, MAIN_PLAN, risk(), NOW);
		expect(added.ok).toBe(true);
		const id = (added as { id: string }).id;
		expect(listRisks(db, MAIN_PLAN)).toMatchObject([{ id, title: 'Patient system unavailable', chapters: '5,6.2', residual: 'low' }]);
		expect(updateRisk(db, admin, MAIN_PLAN, id, risk({ impact: 'very_high' }), NOW)).toEqual({ ok: true, id });
		expect(listRisks(db, MAIN_PLAN)[0].impact).toBe('very_high');
		expect(removeRisk(db, admin, MAIN_PLAN, id)).toBe(true);
		expect(listRisks(db, MAIN_PLAN)).toEqual([]);
		expect(removeRisk(db, admin, MAIN_PLAN, id)).toBe(false);
		expect(audits().map((a) => a.action)).toEqual([
			'security_plan.create',
			'security_plan.risk_add',
			'security_plan.risk_update',
			'security_plan.risk_remove'
		]);
		expect(audits()[2].summary).toBe('Patient system unavailable: impact');
	});

	it('refuses a chapter the framework does not have, and the form refuses an unknown level and an empty treatment', () => {
		expect(addRisk(db, admin, MAIN_PLAN, risk({ chapters: ['9.9'] }), NOW)).toMatchObject({ ok: false, field: 'chapters' });
		expect(listRisks(db, MAIN_PLAN)).toEqual([]);
		const parsed = riskSchema.safeParse({ title: 'x', likelihood: 'huge', impact: 'low', residual: 'low', treatment: '' });
		expect(parsed.success).toBe(false);
		expect(parsed.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['likelihood', 'treatment']);
	});

	it('lets only the designated responsible director accept a residual risk, and a changed assessment withdraws it', () => {
		const { id } = addRisk(db, admin, MAIN_PLAN, risk(), NOW) as { id: string };
		expect(acceptRisk(db, directorActor, MAIN_PLAN, id, NOW.getTime(), NOW)).toEqual({ ok: false, reason: 'not_director' });
		expect(designateDirector(db, admin, MAIN_PLAN, director.id, NOW)).toBe(true);
		expect(acceptRisk(db, admin, MAIN_PLAN, id, NOW.getTime(), NOW)).toEqual({ ok: false, reason: 'not_director' });
		expect(acceptRisk(db, directorActor, MAIN_PLAN, id, NOW.getTime(), NOW)).toEqual({ ok: true });
		expect(listRisks(db, MAIN_PLAN)[0]).toMatchObject({ acceptedBy: director.id, acceptedByName: 'Ville Vastaava', acceptedAt: NOW });
		// Saved unchanged: still accepted. Residual raised: no longer.
		updateRisk(db, admin, MAIN_PLAN, id, risk(), NOW);
		expect(listRisks(db, MAIN_PLAN)[0].acceptedAt).toEqual(NOW);
		updateRisk(db, admin, MAIN_PLAN, id, risk({ residual: 'moderate' }), NOW);
		expect(listRisks(db, MAIN_PLAN)[0]).toMatchObject({ acceptedBy: null, acceptedAt: null });
		expect(audits().at(-1)!.summary).toBe('Patient system unavailable: residual; acceptance withdrawn');
	});

	it('designates only an active person of the main connector', () => {
		const tenantPerson = insertUser(db, { tenantId: insertTenantRow(db), roles: ['tenant_admin'] });
		expect(designateDirector(db, admin, MAIN_PLAN, tenantPerson.id, NOW)).toBe(false);
		expect(designateDirector(db, admin, MAIN_PLAN, crypto.randomUUID(), NOW)).toBe(false);
	});
});

describe('approval and versions', () => {
	beforeEach(() => {
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry(), NOW);
		addRisk(db, admin, MAIN_PLAN, risk(), NOW);
		designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
	});

	it('approves with the director’s password, freezing the content with its hash; later edits leave the version untouched', async () => {
		const hash = shownHash();
		const result = await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, hash, { ipAddress: '192.0.2.7' }, NOW);
		expect(result).toEqual({ ok: true, version: 1, contentHash: hash });
		const v1 = getVersion(db, MAIN_PLAN, 1)!;
		expect(v1).toMatchObject({ approverName: 'Ville Vastaava', method: 'password-step-up', approvedAt: NOW });
		expect(isIntact(v1)).toBe(true);
		expect(parseSnapshot(v1)).toMatchObject({
			responsibleDirector: 'Ville Vastaava',
			requirements: [{ id: '6.2-1', description: 'Described in the quality handbook.' }],
			risks: [{ title: 'Patient system unavailable', chapters: ['5', '6.2'] }]
		});
		expect(hasUnapprovedChanges(db, MAIN_PLAN)).toBe(false);
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry({ description: 'Rewritten.' }), NOW);
		expect(hasUnapprovedChanges(db, MAIN_PLAN)).toBe(true);
		expect(parseSnapshot(getVersion(db, MAIN_PLAN, 1)!).requirements[0].description).toBe('Described in the quality handbook.');
		expect(audits().filter((a) => a.action === 'security_plan.approve')[0].summary).toBe(
			`version 1 approved by Ville Vastaava, sha256 ${hash}`
		);
		// A stored snapshot altered afterwards no longer matches its hash.
		db.update(securityPlanVersion)
			.set({ snapshot: v1.snapshot.replace('quality', 'other') })
			.where(eq(securityPlanVersion.id, v1.id))
			.run();
		expect(isIntact(getVersion(db, MAIN_PLAN, 1)!)).toBe(false);
	});

	it('refuses anyone but the director, a wrong password, content changed since it was shown, and an unchanged plan', async () => {
		const hash = shownHash();
		const adminUser = insertUser(db, { roles: ['mc_admin'], passwordHash });
		expect(await approvePlan(db, MAIN_PLAN, adminUser, { password: PASSWORD }, hash, { ipAddress: '' }, NOW)).toEqual({
			ok: false,
			reason: 'not_director'
		});
		expect(await approvePlan(db, MAIN_PLAN, director, { password: 'wrong' }, hash, { ipAddress: '' }, NOW)).toEqual({
			ok: false,
			reason: 'wrong_password'
		});
		saveRequirement(db, admin, MAIN_PLAN, '6.2-2', entry(), NOW);
		expect(await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, hash, { ipAddress: '' }, NOW)).toEqual({
			ok: false,
			reason: 'changed_meanwhile'
		});
		expect(listVersions(db, MAIN_PLAN)).toEqual([]);
		expect((await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, shownHash(), { ipAddress: '' }, NOW)).ok).toBe(true);
		expect(await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, shownHash(), { ipAddress: '' }, NOW)).toEqual({
			ok: false,
			reason: 'unchanged'
		});
	});

	it('shows per requirement and risk what was added, removed and changed between two versions', async () => {
		await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, shownHash(), { ipAddress: '' }, NOW);
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry({ description: 'Described in the new handbook.', status: 'implemented' }), NOW);
		saveRequirement(db, admin, MAIN_PLAN, '6.3-1', entry(), NOW);
		removeRisk(db, admin, MAIN_PLAN, listRisks(db, MAIN_PLAN)[0].id);
		addRisk(db, admin, MAIN_PLAN, risk({ title: 'Stolen laptop', chapters: ['6.9'] }), NOW);
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, shownHash(), { ipAddress: '' }, NOW);
		const diff = diffSnapshots(parseSnapshot(getVersion(db, MAIN_PLAN, 1)!), parseSnapshot(getVersion(db, MAIN_PLAN, 2)!));
		expect(diff.requirements.map((c) => [c.kind, c.id])).toEqual([
			['changed', '6.2-1'],
			['added', '6.3-1']
		]);
		const changed = diff.requirements[0];
		expect(changed.fields.map((f) => f.field)).toEqual(['status', 'description']);
		expect(changed.fields[1].parts).toContainEqual({ kind: 'removed', text: 'quality' });
		expect(changed.fields[1].parts).toContainEqual({ kind: 'added', text: 'new' });
		expect(diff.risks.map((c) => [c.kind, c.label])).toEqual([
			['added', 'Stolen laptop'],
			['removed', 'Patient system unavailable']
		]);
		expect(diff.binding).toEqual({ added: ['6.9'], removed: [] });
	});
});

describe('tenant acknowledgement', () => {
	let tenantId: string;
	let tenantAdmin: User;
	const tenantActor = () => ({ id: tenantAdmin.id, label: tenantAdmin.email, ipAddress: '' });

	beforeEach(async () => {
		tenantId = insertTenantRow(db);
		tenantAdmin = insertUser(db, { name: 'Tuula Tenant', tenantId, roles: ['tenant_admin'] });
		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry(), NOW);
		designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
	});

	it('has nothing to acknowledge while the approved version binds no section', async () => {
		await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, shownHash(), { ipAddress: '' }, NOW);
		expect(acknowledgeVersion(db, tenantActor(), { id: tenantAdmin.id, tenantId }, 1, NOW)).toEqual({
			ok: false,
			reason: 'nothing_binding'
		});
	});

	it('records one acknowledgement per tenant and version, only of the newest version, and shows it to the main connector', async () => {
		setSectionBinding(db, admin, '6.9', true, NOW);
		await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, shownHash(), { ipAddress: '' }, NOW);
		expect(acknowledgementOverview(db)).toMatchObject([{ tenantId, version: null }]);
		// The tenant's administrators were told that a version binding them awaits acknowledgement.
		const told = db.select().from(notification).where(eq(notification.kind, 'security_plan_version_approved')).all();
		expect(told.map((n) => [n.userId, n.link])).toEqual([[tenantAdmin.id, '/security-plan/binding']]);
		expect(describeNotification(told[0], 'fi')).toBe(
			'Tietoturvasuunnitelman versio 1 on hyväksytty. Teitä sitovat osiot 6.9: lukekaa ja kuitatkaa.'
		);
		expect(acknowledgeVersion(db, tenantActor(), { id: tenantAdmin.id, tenantId }, 1, NOW)).toEqual({ ok: true });
		expect(acknowledgeVersion(db, tenantActor(), { id: tenantAdmin.id, tenantId }, 1, NOW)).toEqual({ ok: false, reason: 'already' });
		expect(acknowledgementOverview(db)).toMatchObject([{ tenantId, version: 1, userName: 'Tuula Tenant', acknowledgedAt: NOW }]);
		expect(audits().filter((a) => a.action === 'security_plan.acknowledge')).toEqual([
			{ action: 'security_plan.acknowledge', summary: 'version 1, binding sections 6.9', tenantId }
		]);

		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry({ description: 'Doors locked.' }), NOW);
		await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, shownHash(), { ipAddress: '' }, NOW);
		expect(acknowledgeVersion(db, tenantActor(), { id: tenantAdmin.id, tenantId }, 1, NOW)).toEqual({ ok: false, reason: 'not_latest' });
		expect(acknowledgeVersion(db, tenantActor(), { id: tenantAdmin.id, tenantId }, 3, NOW)).toEqual({ ok: false, reason: 'not_found' });
		expect(acknowledgementsOf(db, tenantId).map((a) => a.version)).toEqual([1]);
		// Another tenant's acknowledgement is its own.
		expect(acknowledgementsOf(db, insertTenantRow(db, undefined, '1234567-1'))).toEqual([]);
		// The page shows the overview a page at a time, tenants by name, each with its own newest version.
		for (const businessId of ['2345678-2', '3456789-3', '4567890-4']) insertTenantRow(db, undefined, businessId);
		const whole = acknowledgementOverview(db);
		expect(whole).toHaveLength(5);
		const pages = [1, 2, 3].map((page) => acknowledgementOverviewPage(db, page, 2));
		expect(pages.map((p) => p.total)).toEqual([5, 5, 5]);
		expect(pages.flatMap((p) => p.rows)).toEqual(whole);
		expect(pages.flatMap((p) => p.rows).find((r) => r.tenantId === tenantId)).toMatchObject({ version: 1, userName: 'Tuula Tenant' });
	});
});

describe('what a tenant is shown to acknowledge', () => {
	it('lists the binding descriptions of the newest version, then only what changed since the acknowledged one, never owners or dates', async () => {
		const tenantId = insertTenantRow(db);
		const person = insertUser(db, { tenantId, roles: ['tenant_admin'] });
		designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry({ description: 'Doors are locked.' }), NOW);
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry({ description: 'Not binding.' }), NOW);
		setSectionBinding(db, admin, '6.9', true, NOW);
		expect(tenantView(db, tenantId)).toBeNull();
		await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, shownHash(), { ipAddress: '' }, NOW);
		const first = tenantView(db, tenantId)!;
		expect(first.latest).toMatchObject({ version: 1, binding: ['6.9'] });
		expect(first.changes.map((c) => [c.kind, c.id, c.fields.map((f) => f.field)])).toEqual([['added', '6.9-1', ['description']]]);
		acknowledgeVersion(db, { id: person.id, label: person.email, ipAddress: '' }, { id: person.id, tenantId }, 1, NOW);
		expect(tenantView(db, tenantId)!.changes).toEqual([]);

		saveRequirement(db, admin, MAIN_PLAN, '6.9-1', entry({ description: 'Doors are locked and logged.', status: 'verified' }), NOW);
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry({ description: 'Still not binding.' }), NOW);
		await approvePlan(db, MAIN_PLAN, director, { password: PASSWORD }, shownHash(), { ipAddress: '' }, NOW);
		const second = tenantView(db, tenantId)!;
		expect(second.acknowledged?.version).toBe(1);
		expect(second.read.map((v) => v.version)).toEqual([1, 2]);
		expect(second.changes).toHaveLength(1);
		expect(second.changes[0].fields.map((f) => f.field)).toEqual(['description']);
		expect(second.changes[0].fields[0].parts!.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toContain('and logged');
	});
});
