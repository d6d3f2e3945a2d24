import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry, notification, tenant, user, type User } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, insertTenantRow, insertUser, setUpMainConnector } from '../test-support';
import { hashPassword } from '../auth/password';
import { syncBundledFrameworks } from './framework-store';
import {
	MAIN_PLAN,
	dueReviewCount,
	getPlan,
	ownerChoices,
	ownerNames,
	planOverview,
	requirementDetail,
	saveRequirement,
	type PlanEntryInput
} from './plan';
import { setSectionBinding } from './sharing';
import { acceptRisk, addRisk, designateDirector, getRisk, listRisks, responsibleDirector, type RiskInput } from './risks';
import { addDocument, getDocument, listDocuments } from './documents';
import { approvePlan, currentSnapshot, latestVersion, listVersions, snapshotHash } from './versions';
import { planCsv, risksCsv } from './export-csv';
import { scanSecurityPlanReviews } from './reminders';
import { readableTenantPlan, setSharedWithMainConnector } from './tenant-plans';
import { planEntrySchemaFor } from '../../schemas/security-plan';

const DIR = join(process.cwd(), 'templates', 'security-plan');
const NOW = new Date('2026-03-10T10:00:00Z');
const PASSWORD = 'correct horse battery staple';

let passwordHash: string;
let db: Db;
let mcAdmin: Actor;
let tenantA: string;
let tenantB: string;
let adminA: User;
let actorA: Actor;
let directorA: User;
let adminB: User;

const TENANT_A = () => ({ tenantId: tenantA });
const TENANT_B = () => ({ tenantId: tenantB });
const asActor = (u: User): Actor => ({ id: u.id, label: u.email, ipAddress: '' });

const entry = (overrides: Partial<PlanEntryInput> = {}): PlanEntryInput => ({
	description: 'Own description.',
	ownerId: null,
	status: 'described',
	lastReviewedOn: null,
	nextReviewOn: null,
	responsibleParty: 'tenant',
	responsibleName: '',
	agreementReference: '',
	...overrides
});

const risk: RiskInput = {
	title: 'Tablet lost on a home visit',
	systems: 'Tablets',
	chapters: ['6.10'],
	likelihood: 'moderate',
	impact: 'high',
	treatment: 'PIN lock and remote wipe.',
	residual: 'low'
};

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
	db = freshDb();
	mcAdmin = setUpMainConnector(db);
	syncBundledFrameworks(db, DIR);
	tenantA = insertTenantRow(db, crypto.randomUUID(), '1572860-0');
	tenantB = insertTenantRow(db, crypto.randomUUID(), '0737546-2');
	adminA = insertUser(db, { tenantId: tenantA, roles: ['tenant_admin'] });
	actorA = asActor(adminA);
	directorA = insertUser(db, { tenantId: tenantA, roles: ['tenant_signatory'], name: 'Tiina Tenant', passwordHash });
	adminB = insertUser(db, { tenantId: tenantB, roles: ['tenant_admin'] });
});

describe('a plan’s owner keeps it apart from every other plan', () => {
	it('the main connector’s plan and a tenant’s own plan never mix: entries, risks, documents, owners', () => {
		saveRequirement(db, mcAdmin, MAIN_PLAN, '6.3-1', entry({ description: 'Main text.', responsibleParty: 'main_connector' }), NOW);
		expect(saveRequirement(db, actorA, TENANT_A(), '6.3-1', entry({ description: 'Tenant text.' }), NOW)).toEqual({ ok: true });
		addRisk(db, actorA, TENANT_A(), risk, NOW);
		const documentId = addDocument(db, actorA, TENANT_A(), '6.3-1', { title: 'Tenant policy', url: 'https://a.example.fi/p' }, NOW)!;

		expect(getPlan(db, MAIN_PLAN)!.tenantId).toBeNull();
		expect(getPlan(db, TENANT_A())!.tenantId).toBe(tenantA);
		expect(getPlan(db, TENANT_B())).toBeUndefined();
		expect(requirementDetail(db, MAIN_PLAN, '6.3-1')!.entry!.description).toBe('Main text.');
		expect(requirementDetail(db, TENANT_A(), '6.3-1')!.entry!.description).toBe('Tenant text.');
		expect(requirementDetail(db, TENANT_B(), '6.3-1')!.entry).toBeNull();
		expect(listRisks(db, MAIN_PLAN)).toEqual([]);
		expect(listRisks(db, TENANT_A()).map((r) => r.title)).toEqual(['Tablet lost on a home visit']);
		const riskId = listRisks(db, TENANT_A())[0].id;
		expect(getRisk(db, TENANT_B(), riskId)).toBeUndefined();
		expect(getRisk(db, MAIN_PLAN, riskId)).toBeUndefined();
		expect(listDocuments(db, MAIN_PLAN)).toEqual([]);
		expect(getDocument(db, TENANT_B(), '6.3-1', documentId)).toBeUndefined();
		expect(getDocument(db, TENANT_A(), '6.3-1', documentId)?.title).toBe('Tenant policy');
		// The snapshots and exports say only their own plan's words.
		expect(JSON.stringify(currentSnapshot(db, MAIN_PLAN))).not.toContain('Tenant text.');
		expect(JSON.stringify(currentSnapshot(db, TENANT_A()))).not.toContain('Main text.');
		expect(planCsv(db, mcAdmin, MAIN_PLAN, 'en', NOW)).not.toContain('Tenant text.');
		expect(risksCsv(db, actorA, TENANT_B(), 'en')).not.toContain('Tablet');
		// Owners are the plan's own organisation's people only.
		expect(
			ownerChoices(db, TENANT_A())
				.map((p) => p.id)
				.sort()
		).toEqual([adminA.id, directorA.id].sort());
		expect(saveRequirement(db, actorA, TENANT_A(), '6.3-2', entry({ ownerId: adminB.id }), NOW)).toMatchObject({
			ok: false,
			field: 'ownerId'
		});
		// The tenant's changes are in the tenant's audit trail.
		const tenantAudits = db
			.select({ action: auditEntry.action })
			.from(auditEntry)
			.where(and(like(auditEntry.action, 'security_plan.%'), eq(auditEntry.tenantId, tenantA)))
			.all()
			.map((a) => a.action);
		expect(tenantAudits).toEqual(['security_plan.create', 'security_plan.update', 'security_plan.risk_add', 'security_plan.document_add']);
	});

	it('in a tenant’s plan the tenant is the own party; the main connector’s share needs its agreement', () => {
		const schema = planEntrySchemaFor('tenant');
		const form = { description: 'Own description.', status: 'described' };
		expect(schema.safeParse({ ...form, responsibleParty: 'tenant' }).success).toBe(true);
		const refused = schema.safeParse({ ...form, responsibleParty: 'main_connector' });
		expect(refused.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['agreementReference', 'responsibleName']);
		saveRequirement(db, actorA, TENANT_A(), '6.5-1', entry({ responsibleName: 'ignored' }), NOW);
		expect(requirementDetail(db, TENANT_A(), '6.5-1')!.entry!.responsibleName).toBe('');
	});

	it('binding sections belong to the main connector’s plan only', () => {
		saveRequirement(db, mcAdmin, MAIN_PLAN, '6.9-1', entry({ responsibleParty: 'main_connector' }), NOW);
		setSectionBinding(db, mcAdmin, '6.9', true, NOW);
		saveRequirement(db, actorA, TENANT_A(), '6.9-1', entry(), NOW);
		expect(currentSnapshot(db, MAIN_PLAN)!.binding).toEqual(['6.9']);
		expect(currentSnapshot(db, TENANT_A())!.binding).toEqual([]);
	});
});

describe('the tenant’s responsible director', () => {
	beforeEach(() => {
		saveRequirement(db, actorA, TENANT_A(), '6.3-1', entry(), NOW);
		addRisk(db, actorA, TENANT_A(), risk, NOW);
	});

	it('is a person of that tenant: never one of the main connector or another tenant', () => {
		const mcPerson = insertUser(db, { roles: ['mc_admin'] });
		expect(designateDirector(db, actorA, TENANT_A(), mcPerson.id, NOW)).toBe(false);
		expect(designateDirector(db, actorA, TENANT_A(), adminB.id, NOW)).toBe(false);
		expect(designateDirector(db, actorA, TENANT_A(), directorA.id, NOW)).toBe(true);
		expect(responsibleDirector(db, TENANT_A())?.name).toBe('Tiina Tenant');
		expect(responsibleDirector(db, MAIN_PLAN)).toBeNull();
	});

	it('approves the tenant’s plan with step-up and accepts its risks; nobody else can, and no tenant is asked to acknowledge it', async () => {
		designateDirector(db, actorA, TENANT_A(), directorA.id, NOW);
		const hash = snapshotHash(JSON.stringify(currentSnapshot(db, TENANT_A())));
		// The main connector's people and another tenant's people are not this plan's director.
		const mcDirector = insertUser(db, { roles: ['mc_signatory'], passwordHash });
		expect(await approvePlan(db, TENANT_A(), mcDirector, { password: PASSWORD }, hash, { ipAddress: '' }, NOW)).toEqual({
			ok: false,
			reason: 'not_director'
		});
		// The tenant's director cannot approve the main connector's plan through its own designation.
		expect(await approvePlan(db, MAIN_PLAN, directorA, { password: PASSWORD }, hash, { ipAddress: '' }, NOW)).toMatchObject({ ok: false });
		expect(await approvePlan(db, TENANT_A(), directorA, { password: 'wrong' }, hash, { ipAddress: '' }, NOW)).toEqual({
			ok: false,
			reason: 'wrong_password'
		});
		expect(await approvePlan(db, TENANT_A(), directorA, { password: PASSWORD }, hash, { ipAddress: '' }, NOW)).toEqual({
			ok: true,
			version: 1,
			contentHash: hash
		});
		expect(latestVersion(db, TENANT_A())?.approverName).toBe('Tiina Tenant');
		expect(listVersions(db, MAIN_PLAN)).toEqual([]);
		expect(listVersions(db, TENANT_B())).toEqual([]);
		expect(db.select().from(notification).where(eq(notification.kind, 'security_plan_version_approved')).all()).toEqual([]);

		const riskId = listRisks(db, TENANT_A())[0].id;
		expect(acceptRisk(db, asActor(adminB), TENANT_B(), riskId, NOW.getTime(), NOW)).toEqual({ ok: false, reason: 'not_found' });
		expect(acceptRisk(db, actorA, TENANT_A(), riskId, NOW.getTime(), NOW)).toEqual({ ok: false, reason: 'not_director' });
		expect(acceptRisk(db, asActor(directorA), TENANT_A(), riskId, NOW.getTime(), NOW)).toEqual({ ok: true });
	});
});

describe('sharing a tenant’s plan with the main connector', () => {
	beforeEach(() => {
		saveRequirement(db, actorA, TENANT_A(), '6.3-1', entry(), NOW);
	});

	it('is off by default; once on, the main connector reads it; another tenant never does; each change is audited', () => {
		const mc = { tenantId: null };
		expect(readableTenantPlan(db, mc, tenantA)).toBeUndefined();
		expect(readableTenantPlan(db, { tenantId: tenantA }, tenantA)?.tenantId).toBe(tenantA);
		expect(setSharedWithMainConnector(db, actorA, TENANT_A(), true, NOW)).toBe(true);
		expect(readableTenantPlan(db, mc, tenantA)?.tenantId).toBe(tenantA);
		expect(readableTenantPlan(db, { tenantId: tenantB }, tenantA)).toBeUndefined();
		expect(setSharedWithMainConnector(db, actorA, TENANT_A(), false, NOW)).toBe(true);
		expect(readableTenantPlan(db, mc, tenantA)).toBeUndefined();
		// The main connector's own plan is not "shared" with itself.
		expect(setSharedWithMainConnector(db, mcAdmin, MAIN_PLAN, true, NOW)).toBe(false);
		const audits = db
			.select({ summary: auditEntry.summary, tenantId: auditEntry.tenantId })
			.from(auditEntry)
			.where(eq(auditEntry.action, 'security_plan.share_with_main_connector'))
			.all();
		expect(audits).toEqual([
			{ summary: 'shared with the main connector (read only)', tenantId: tenantA },
			{ summary: 'no longer shared with the main connector', tenantId: tenantA }
		]);
	});

	it('a plan never made cannot be read by anyone but reports nothing', () => {
		expect(readableTenantPlan(db, { tenantId: null }, tenantB)).toBeUndefined();
		expect(readableTenantPlan(db, { tenantId: tenantB }, tenantB)).toBeUndefined();
	});
});

describe('follow-up of a tenant’s plan', () => {
	it('counts and reminds the tenant’s own people of its due reviews, never the main connector’s', () => {
		// Staff cannot open the tenant's plan, so they cannot own a requirement of it; a signatory can.
		const staff = insertUser(db, { tenantId: tenantA, roles: ['tenant_staff'] });
		expect(saveRequirement(db, actorA, TENANT_A(), '6.2-3', entry({ ownerId: staff.id }), NOW)).toMatchObject({
			ok: false,
			field: 'ownerId'
		});
		const owner = insertUser(db, { tenantId: tenantA, roles: ['tenant_signatory'] });
		saveRequirement(db, actorA, TENANT_A(), '6.2-3', entry({ ownerId: owner.id, nextReviewOn: '2026-03-01' }), NOW);
		expect(dueReviewCount(db, TENANT_A(), NOW)).toBe(1);
		expect(dueReviewCount(db, MAIN_PLAN, NOW)).toBe(0);
		expect(dueReviewCount(db, TENANT_B(), NOW)).toBe(0);
		expect(planOverview(db, TENANT_A(), NOW)!.due.map((d) => d.requirement.id)).toEqual(['6.2-3']);
		expect(scanSecurityPlanReviews(db, NOW)).toBe(2);
		const reminded = db
			.select({ userId: notification.userId })
			.from(notification)
			.where(eq(notification.kind, 'security_plan_review_due'))
			.all()
			.map((n) => n.userId)
			.sort();
		expect(reminded).toEqual([adminA.id, owner.id].sort());
		expect(scanSecurityPlanReviews(db, NOW)).toBe(0);
	});

	it('reminds nobody of an archived tenant’s plan: the tenant has left the service', () => {
		saveRequirement(db, actorA, TENANT_A(), '6.2-3', entry({ nextReviewOn: '2026-03-01' }), NOW);
		db.update(tenant).set({ archivedAt: NOW }).where(eq(tenant.id, tenantA)).run();
		expect(scanSecurityPlanReviews(db, NOW)).toBe(0);
		db.update(tenant).set({ archivedAt: null }).where(eq(tenant.id, tenantA)).run();
		expect(scanSecurityPlanReviews(db, NOW)).toBe(1);
	});
});

describe('the people of a plan', () => {
	it('makes director only someone of the plan’s organisation who may approve it', () => {
		const staff = insertUser(db, { tenantId: tenantA, roles: ['tenant_staff'] });
		expect(designateDirector(db, actorA, TENANT_A(), staff.id, NOW)).toBe(false);
		expect(designateDirector(db, actorA, TENANT_A(), adminB.id, NOW)).toBe(false);
		const certAdmin = insertUser(db, { roles: ['mc_cert_admin'] });
		expect(designateDirector(db, mcAdmin, MAIN_PLAN, certAdmin.id, NOW)).toBe(false);
		const signatory = insertUser(db, { roles: ['mc_signatory'] });
		expect(designateDirector(db, mcAdmin, MAIN_PLAN, signatory.id, NOW)).toBe(true);
		expect(responsibleDirector(db, MAIN_PLAN)?.id).toBe(signatory.id);
	});

	it('keeps the name of an owner who has since left', () => {
		saveRequirement(db, actorA, TENANT_A(), '6.2-3', entry({ ownerId: directorA.id }), NOW);
		db.update(user).set({ status: 'deactivated' }).where(eq(user.id, directorA.id)).run();
		expect(ownerChoices(db, TENANT_A()).map((p) => p.id)).not.toContain(directorA.id);
		expect(ownerNames(db, TENANT_A()).get(directorA.id)).toBe(directorA.name);
		expect(ownerNames(db, TENANT_B()).size).toBe(0);
	});
});
