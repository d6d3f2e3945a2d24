import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/index';
import {
	checklistItem,
	prerequisiteType,
	acknowledgement,
	instruction,
	instructionVersion,
	securityPlan,
	securityPlanVersion,
	tenant,
	user,
	type PrerequisiteType
} from '../db/schema';
import type { Actor } from '../actor';
import { SECURITY_PLAN_INSTRUCTION_KEY } from '../../domain';
import { listAuditEntries } from '../audit/audit-log';
import { updateTenant, getTenant } from '../tenants/tenants';
import {
	addManualCertificate,
	addTenant,
	freshDb,
	insertAgreementRow,
	insertUser,
	MAIN_CONNECTOR_HOLDER,
	personHolder,
	setUpMainConnector,
	itemRef
} from '../test-support';
import { DEFAULT_PREREQUISITES, listPrerequisiteTypes, savePrerequisiteType, type PrerequisiteInput } from './catalogue';
import {
	addComment,
	expireDueItems,
	getChecklist,
	getChecklistItem,
	listComments,
	listTenantsNeedingAttention,
	planItem,
	recordEvidenceFile,
	refreshReadiness,
	returnItem,
	submitItem,
	syncAllChecklists,
	syncChecklist,
	verifyItem
} from './checklist';
import { addTrainingRecord, listModules } from '../training/training';
import { saveInformationSystem } from '../information-systems/registry';

const T0 = new Date('2025-03-15T10:00:00Z'); // 12:00 in Helsinki
const DAY_MS = 86_400_000;
const TENANT_ACTOR: Actor = { id: null, label: 'tenant-admin@tenant.example.fi', ipAddress: '198.51.100.7' };
const NO_EVIDENCE = { reference: '', date: null, link: '' };

let db: Db;
let admin: Actor;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
});

const codesOf = (tenantId: string) => getChecklist(db, tenantId, T0).entries.map((e) => e.type.code);
const storedItemCount = (tenantId: string) => db.select().from(checklistItem).where(eq(checklistItem.tenantId, tenantId)).all().length;
const typeByCode = (code: string): PrerequisiteType => listPrerequisiteTypes(db, true).find((t) => t.code === code)!;
const itemOf = (tenantId: string, code: string) => getChecklist(db, tenantId, T0).entries.find((e) => e.type.code === code)!;
const auditActions = (tenantId: string) => listAuditEntries(db, { tenantId, page: 1, pageSize: 500 }).entries.map((e) => e.action);

function attachFile(tenantId: string, code: string, name = 'evidence.pdf') {
	const item = getChecklistItem(db, itemOf(tenantId, code).item.id)!;
	return recordEvidenceFile(
		db,
		TENANT_ACTOR,
		item,
		{ fileName: name, mimeType: 'application/pdf', size: 1234, sha256: 'ab'.repeat(32), storagePath: `evidence/${name}` },
		T0
	);
}

function newType(overrides: Partial<PrerequisiteInput> = {}): Omit<PrerequisiteInput, 'sortOrder'> {
	return {
		code: 'extra_item',
		nameFi: 'Lisäkohta',
		nameSv: 'Extra punkt',
		nameEn: 'Extra item',
		guidanceFi: '',
		guidanceSv: '',
		guidanceEn: '',
		category: 'other',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'link',
		derivedRule: null,
		renewalMonths: null,
		required: true,
		active: true,
		...overrides
	};
}

/** Evidence that satisfies each stored item of the default catalogue. */
function submitAndVerify(tenantId: string, code: string, now = T0) {
	const type = typeByCode(code);
	const entry = itemOf(tenantId, code);
	if (type.evidenceKind === 'file') attachFile(tenantId, code, `${code}.pdf`);
	const evidence = {
		reference: type.evidenceKind === 'reference' ? `REF-${code}` : '',
		date: type.evidenceKind === 'date' ? '2025-03-01' : null,
		link: type.evidenceKind === 'link' ? 'https://example.fi/x' : ''
	};
	expect(submitItem(db, TENANT_ACTOR, itemRef(db, entry.item.id), evidence, now)).toEqual({ ok: true });
	expect(verifyItem(db, admin, itemRef(db, entry.item.id), now)).toEqual({ ok: true });
}

/** Confirmed, current completions of every training module for this person. */
function trainEveryone(userId: string) {
	for (const module of listModules(db)) addTrainingRecord(db, admin, { moduleId: module.id, userId, completedOn: '2025-03-01' }, true, T0);
}

/** The default entries a private health-care tenant without Kanta services gets (what `addTenant` creates). */
const HEALTH_DEFAULTS = DEFAULT_PREREQUISITES.filter(
	(p) =>
		(p.sectors.length === 0 || p.sectors.includes('health_care')) &&
		(p.providerTypes.length === 0 || p.providerTypes.includes('private')) &&
		p.serviceCodes.length === 0
);
const STORED_CODES = HEALTH_DEFAULTS.filter((p) => !p.derivedRule).map((p) => p.code);

/**
 * The main connector's plan approved (an intact version binding tenants, no review due) and its
 * binding sections published as the plan's instruction; `acknowledgedByEveryone` then has each active
 * person of the tenant acknowledge it: both plan items met. Written directly; security-plan-state.test.ts
 * goes through the real approval and acknowledgement.
 */
function approvedPlan() {
	const planId = crypto.randomUUID();
	db.insert(securityPlan).values({ id: planId, tenantId: null, frameworkKey: 'thl-3-2024', frameworkVersion: 1 }).run();
	const snapshot = JSON.stringify({ binding: ['6.9'], requirements: [], risks: [] });
	const versionId = crypto.randomUUID();
	db.insert(securityPlanVersion)
		.values({
			id: versionId,
			planId,
			version: 1,
			snapshot,
			contentHash: createHash('sha256').update(snapshot, 'utf8').digest('hex'),
			approverName: 'Ville Vastaava',
			method: 'password-step-up',
			approvedAt: T0
		})
		.run();
	const instructionId = crypto.randomUUID();
	db.insert(instruction)
		.values({
			id: instructionId,
			category: 'security_policy',
			createdBy: 'system',
			systemKey: SECURITY_PLAN_INSTRUCTION_KEY,
			createdAt: T0
		})
		.run();
	db.insert(instructionVersion)
		.values({
			id: crypto.randomUUID(),
			instructionId,
			version: 1,
			material: true,
			titleFi: 'Sitovat osiot',
			bodyFi: '6.9',
			titleSv: 'Bindande avsnitt',
			bodySv: '6.9',
			publishedAt: T0,
			publishedBy: 'system',
			securityPlanVersionId: versionId
		})
		.run();
}

function acknowledgedByEveryone(tenantId: string) {
	const current = db.select().from(instructionVersion).get()!;
	for (const person of db.select({ id: user.id }).from(user).where(eq(user.tenantId, tenantId)).all())
		db.insert(acknowledgement)
			.values({
				id: crypto.randomUUID(),
				userId: person.id,
				instructionId: current.instructionId,
				versionId: current.id,
				version: 1,
				language: 'fi',
				contentSha256: 'x',
				at: T0
			})
			.run();
}

/** A patient data system whose security assessment certificate is valid for years. */
function addPatientSystem() {
	saveInformationSystem(
		db,
		admin,
		{ name: 'Potilas', systemClass: 'A2', purpose: 'patient_data', certificateValidUntil: '2027-12-31', certificateReference: '' },
		null,
		T0
	);
}

describe('syncChecklist', () => {
	it('gives a health-care private tenant one item per applicable catalogue entry, without the social welfare item', () => {
		const id = addTenant(db, admin, { serviceSector: 'health_care', providerType: 'private' });
		const expected = HEALTH_DEFAULTS.map((p) => p.code);
		expect(storedItemCount(id)).toBe(expected.length);
		expect(codesOf(id).sort()).toEqual([...expected].sort());
		expect(codesOf(id)).not.toContain('social_welfare_data_valvira');
		// Every item starts untouched; sync is idempotent.
		expect(
			db
				.select()
				.from(checklistItem)
				.where(eq(checklistItem.tenantId, id))
				.all()
				.every((i) => i.status === 'not_started')
		).toBe(true);
		expect(syncChecklist(db, id)).toBe(0);
		expect(storedItemCount(id)).toBe(expected.length);
	});

	it('gives a social welfare private tenant the Valvira item as well, but not a social welfare public one', () => {
		const priv = addTenant(db, admin, { serviceSector: 'social_welfare', providerType: 'private' });
		expect(codesOf(priv)).toContain('social_welfare_data_valvira');
		expect(codesOf(priv)).toContain('national_specifications_social');
		expect(codesOf(priv)).not.toContain('national_specifications_health');
		expect(storedItemCount(priv)).toBe(
			DEFAULT_PREREQUISITES.filter((p) => !p.sectors.includes('health_care') && p.serviceCodes.length === 0).length
		);
		const pub = addTenant(db, admin, { serviceSector: 'social_welfare', providerType: 'public_on_behalf' });
		expect(codesOf(pub)).not.toContain('social_welfare_data_valvira');
	});

	it('adds the Valvira item when a tenant changes to private social welfare', () => {
		const id = addTenant(db, admin, { serviceSector: 'health_care', providerType: 'private' });
		const details = getTenant(db, id)!;
		const { id: _id, stage: _s, archivedAt: _a, createdAt: _c, updatedAt: _u, ...fields } = details;
		expect(updateTenant(db, admin, id, { ...fields, serviceSector: 'social_welfare', serviceUnits: [], contacts: [] }).ok).toBe(true);
		expect(codesOf(id)).toContain('social_welfare_data_valvira');
	});

	it('reaches existing tenants when the catalogue grows, respecting the entry’s sector', () => {
		const health = addTenant(db, admin, { serviceSector: 'health_care' });
		const social = addTenant(db, admin, { serviceSector: 'social_welfare' });
		const before = { health: storedItemCount(health), social: storedItemCount(social) };
		const saved = savePrerequisiteType(db, admin, newType());
		const socialOnly = savePrerequisiteType(db, admin, newType({ code: 'social_only', sectors: ['social_welfare'] }));
		expect(saved.ok && socialOnly.ok).toBe(true);
		// Not there until the checklists are synced.
		expect(storedItemCount(health)).toBe(before.health);
		expect(syncAllChecklists(db)).toBe(3);
		expect(storedItemCount(health)).toBe(before.health + 1);
		expect(storedItemCount(social)).toBe(before.social + 2);
		expect(codesOf(health)).toContain('extra_item');
		expect(codesOf(health)).not.toContain('social_only');
		expect(codesOf(social)).toEqual(expect.arrayContaining(['extra_item', 'social_only']));
		// The new entry sorts last.
		expect(codesOf(health).at(-1)).toBe('extra_item');
		expect(syncAllChecklists(db)).toBe(0);
		expect(savePrerequisiteType(db, admin, newType())).toEqual({ ok: false, reason: 'code_taken' });
	});

	it('does not sync archived tenants', () => {
		const archived = addTenant(db, admin);
		db.update(tenant).set({ archivedAt: T0 }).where(eq(tenant.id, archived)).run();
		const before = storedItemCount(archived);
		savePrerequisiteType(db, admin, newType());
		syncAllChecklists(db);
		expect(storedItemCount(archived)).toBe(before);
	});

	it('leaves an inactive entry out of getChecklist (the row stays) and brings it back when reactivated', () => {
		const id = addTenant(db, admin);
		const type = typeByCode('operating_models');
		const { id: typeId, createdAt: _c, sortOrder: _s, ...input } = type;
		expect(savePrerequisiteType(db, admin, { ...input, active: false }, typeId)).toEqual({ ok: true, id: typeId });
		expect(codesOf(id)).not.toContain('operating_models');
		expect(storedItemCount(id)).toBe(HEALTH_DEFAULTS.length);
		// Left out of progress too.
		expect(getChecklist(db, id, T0).progress.total).toBe(HEALTH_DEFAULTS.length - 1);
		// A new tenant does not get it at all.
		const later = addTenant(db, admin);
		expect(
			db
				.select()
				.from(checklistItem)
				.where(and(eq(checklistItem.tenantId, later), eq(checklistItem.typeId, typeId)))
				.get()
		).toBeUndefined();
		savePrerequisiteType(db, admin, { ...input, active: true }, typeId);
		expect(codesOf(id)).toContain('operating_models');
		expect(auditActions(id)).toContain('tenant.create');
		expect(listAuditEntries(db, { action: 'prerequisite_type', page: 1, pageSize: 10 }).entries.map((e) => e.action)).toEqual([
			'prerequisite_type.update',
			'prerequisite_type.update'
		]);
	});
});

describe('the evidence workflow', () => {
	let tenantId: string;
	beforeEach(() => {
		tenantId = addTenant(db, admin);
	});

	it('refuses a file item without a file, accepts it once a file is attached', () => {
		const { item } = itemOf(tenantId, 'self_monitoring_plan');
		expect(
			submitItem(db, TENANT_ACTOR, itemRef(db, item.id), { reference: 'some text', date: '2025-03-01', link: 'https://x.fi' }, T0)
		).toEqual({
			ok: false,
			reason: 'evidence_missing'
		});
		expect(getChecklistItem(db, item.id)!.status).toBe('not_started');
		attachFile(tenantId, 'self_monitoring_plan');
		expect(getChecklistItem(db, item.id)!.status).toBe('in_progress');
		expect(itemOf(tenantId, 'self_monitoring_plan').files.map((f) => f.fileName)).toEqual(['evidence.pdf']);
		expect(submitItem(db, TENANT_ACTOR, itemRef(db, item.id), NO_EVIDENCE, T0)).toEqual({ ok: true });
		const stored = getChecklistItem(db, item.id)!;
		expect(stored.status).toBe('submitted');
		expect(stored.submittedBy).toBe(TENANT_ACTOR.label);
		expect(stored.submittedAt).toEqual(T0);
		// Not again while it waits for checking.
		expect(submitItem(db, TENANT_ACTOR, itemRef(db, item.id), NO_EVIDENCE, T0)).toEqual({ ok: false, reason: 'wrong_state' });
	});

	it('needs a reference for a reference item and a date for a date item; derived items cannot be submitted', () => {
		const soteri = itemOf(tenantId, 'soteri_registration');
		expect(submitItem(db, TENANT_ACTOR, itemRef(db, soteri.item.id), { reference: '   ', date: '2025-01-01', link: '' }, T0)).toEqual({
			ok: false,
			reason: 'evidence_missing'
		});
		expect(submitItem(db, TENANT_ACTOR, itemRef(db, soteri.item.id), { reference: '  S-123  ', date: null, link: '' }, T0)).toEqual({
			ok: true
		});
		const stored = getChecklistItem(db, soteri.item.id)!;
		expect(stored.status).toBe('submitted');
		expect(stored.evidenceReference).toBe('S-123');

		const kela = itemOf(tenantId, 'kela_customer_relationship');
		expect(submitItem(db, TENANT_ACTOR, itemRef(db, kela.item.id), { reference: 'x', date: null, link: '' }, T0)).toEqual({
			ok: false,
			reason: 'evidence_missing'
		});
		expect(submitItem(db, TENANT_ACTOR, itemRef(db, kela.item.id), { reference: '', date: '2025-02-01', link: '' }, T0)).toEqual({
			ok: true
		});
		expect(getChecklistItem(db, kela.item.id)!.evidenceDate).toBe('2025-02-01');

		const derived = itemOf(tenantId, 'agreement_in_force');
		expect(
			submitItem(db, TENANT_ACTOR, itemRef(db, derived.item.id), { reference: 'x', date: '2025-01-01', link: 'https://x.fi' }, T0)
		).toEqual({ ok: false, reason: 'wrong_state' });
	});

	it('verifies with validUntil = verification day + renewalMonths; a one-off item gets none', () => {
		const training = itemOf(tenantId, 'self_monitoring_plan');
		expect(verifyItem(db, admin, itemRef(db, training.item.id), T0)).toEqual({ ok: false, reason: 'wrong_state' });
		submitAndVerify(tenantId, 'self_monitoring_plan');
		const stored = getChecklistItem(db, training.item.id)!;
		expect(stored.status).toBe('verified');
		expect(stored.verifiedBy).toBe(admin.label);
		expect(stored.verifiedAt).toEqual(T0);
		expect(stored.validUntil).toBe('2026-03-15');

		submitAndVerify(tenantId, 'log_monitoring'); // 12 months, the main connector's
		expect(getChecklistItem(db, itemOf(tenantId, 'log_monitoring').item.id)!.validUntil).toBe('2026-03-15');
		submitAndVerify(tenantId, 'soteri_registration'); // no renewal
		expect(getChecklistItem(db, itemOf(tenantId, 'soteri_registration').item.id)!.validUntil).toBeNull();
		expect(itemOf(tenantId, 'soteri_registration').status).toBe('verified');
	});

	it('uses the Helsinki calendar day for validUntil (late evening UTC is already the next day)', () => {
		const late = new Date('2025-03-15T22:30:00Z'); // 00:30 on 16 March in Helsinki
		submitAndVerify(tenantId, 'self_monitoring_plan', late);
		expect(getChecklistItem(db, itemOf(tenantId, 'self_monitoring_plan').item.id)!.validUntil).toBe('2026-03-16');
	});

	it('returns with a reason and a comment; the tenant resubmits and it is verified', () => {
		const { item } = itemOf(tenantId, 'sote_organisation_register');
		expect(returnItem(db, admin, itemRef(db, item.id), 'Liitä rekisteriote', T0)).toEqual({ ok: false, reason: 'wrong_state' });
		submitItem(db, TENANT_ACTOR, itemRef(db, item.id), { reference: 'OID 1.2.3', date: null, link: '' }, T0);
		const later = new Date(T0.getTime() + 60_000);
		expect(returnItem(db, admin, itemRef(db, item.id), 'Liitä rekisteriote', later)).toEqual({ ok: true });
		let stored = getChecklistItem(db, item.id)!;
		expect(stored.status).toBe('returned');
		expect(stored.returnedReason).toBe('Liitä rekisteriote');
		expect(listComments(db, item.id).map((c) => ({ body: c.body, author: c.authorLabel }))).toEqual([
			{ body: 'Liitä rekisteriote', author: admin.label }
		]);
		expect(verifyItem(db, admin, itemRef(db, item.id), later)).toEqual({ ok: false, reason: 'wrong_state' });
		expect(listTenantsNeedingAttention(db, later)).toEqual([expect.objectContaining({ tenantId, returned: 1, overdue: 0 })]);

		expect(submitItem(db, TENANT_ACTOR, itemRef(db, item.id), { reference: 'OID 1.2.3.4', date: null, link: '' }, later)).toEqual({
			ok: true
		});
		stored = getChecklistItem(db, item.id)!;
		expect(stored.status).toBe('submitted');
		expect(stored.returnedReason).toBeNull();
		expect(verifyItem(db, admin, itemRef(db, item.id), later)).toEqual({ ok: true });
		expect(getChecklistItem(db, item.id)!.status).toBe('verified');
		expect(listTenantsNeedingAttention(db, later)).toEqual([]);
	});

	it('expires a verified item once its validUntil day arrives; expired items can be submitted again', () => {
		submitAndVerify(tenantId, 'self_monitoring_plan');
		const { item } = itemOf(tenantId, 'self_monitoring_plan');
		expect(expireDueItems(db, new Date('2026-03-14T12:00:00Z'))).toEqual([]);
		expect(getChecklistItem(db, item.id)!.status).toBe('verified');
		expect(expireDueItems(db, new Date('2026-03-15T06:00:00Z'))).toEqual([item.id]);
		expect(getChecklistItem(db, item.id)!.status).toBe('expired');
		expect(getChecklist(db, tenantId, new Date('2026-03-15T06:00:00Z')).entries.find((e) => e.item.id === item.id)!.done).toBe(false);
		// Once only.
		expect(expireDueItems(db, new Date('2026-03-16T06:00:00Z'))).toEqual([]);
		const audits = listAuditEntries(db, { tenantId, action: 'checklist.expire', page: 1, pageSize: 10 }).entries;
		expect(audits).toHaveLength(1);
		expect(audits[0].actorLabel).toBe('system');
		// The old file still counts as evidence for a resubmission.
		expect(submitItem(db, TENANT_ACTOR, itemRef(db, item.id), NO_EVIDENCE, new Date('2026-03-16T06:00:00Z'))).toEqual({ ok: true });
		// Items without a renewal period never expire.
		submitAndVerify(tenantId, 'soteri_registration');
		expect(expireDueItems(db, new Date('2040-01-01T00:00:00Z'))).not.toContain(itemOf(tenantId, 'soteri_registration').item.id);
	});

	it('plans an owner and a due date (owner starts the item), and flags it overdue after the date', () => {
		const owner = insertUser(db, { tenantId, roles: ['tenant_admin'] });
		const { item } = itemOf(tenantId, 'operating_models');
		planItem(db, admin, itemRef(db, item.id), { ownerId: owner.id, dueDate: '2025-03-20' }, T0);
		let stored = getChecklistItem(db, item.id)!;
		expect(stored).toMatchObject({ ownerId: owner.id, dueDate: '2025-03-20', status: 'in_progress' });
		expect(getChecklist(db, tenantId, T0).entries.find((e) => e.item.id === item.id)!.overdue).toBe(false);
		const after = new Date('2025-03-21T10:00:00Z');
		expect(getChecklist(db, tenantId, after).entries.find((e) => e.item.id === item.id)!.overdue).toBe(true);
		expect(listTenantsNeedingAttention(db, after)).toEqual([expect.objectContaining({ tenantId, overdue: 1 })]);
		// Planning without an owner keeps the status.
		const other = itemOf(tenantId, 'self_monitoring_plan').item;
		planItem(db, admin, itemRef(db, other.id), { ownerId: null, dueDate: '2025-04-01' }, T0);
		stored = getChecklistItem(db, other.id)!;
		expect(stored.status).toBe('not_started');
	});
});

describe('scope: a command names the tenant it acts for', () => {
	it('refuses every step on an item of another tenant, and changes nothing', () => {
		const own = addTenant(db, admin);
		const other = addTenant(db, admin);
		const { item } = itemOf(other, 'sote_organisation_register');
		const wrong = { tenantId: own, itemId: item.id };
		const notFound = { ok: false, reason: 'not_found' };
		expect(submitItem(db, TENANT_ACTOR, wrong, { reference: 'OID 1.2.3', date: null, link: '' }, T0)).toEqual(notFound);
		submitItem(db, TENANT_ACTOR, itemRef(db, item.id), { reference: 'OID 1.2.3', date: null, link: '' }, T0);
		const before = getChecklistItem(db, item.id);
		expect(verifyItem(db, admin, wrong, T0)).toEqual(notFound);
		expect(returnItem(db, admin, wrong, 'no', T0)).toEqual(notFound);
		expect(planItem(db, admin, wrong, { ownerId: null, dueDate: '2025-04-01' }, T0)).toEqual(notFound);
		expect(addComment(db, admin, wrong, 'hello', T0)).toEqual(notFound);
		expect(getChecklistItem(db, item.id)).toEqual(before);
		expect(listComments(db, item.id)).toEqual([]);
		expect(getChecklistItem(db, item.id, { tenantId: own })).toBeUndefined();
	});

	it('plans an item only with an owner from the item’s own tenant', () => {
		const own = addTenant(db, admin);
		const other = addTenant(db, admin);
		const ref = itemRef(db, itemOf(own, 'operating_models').item.id);
		const outsider = insertUser(db, { tenantId: other });
		const insider = insertUser(db, { tenantId: own });
		expect(planItem(db, admin, ref, { ownerId: outsider.id, dueDate: null }, T0)).toEqual({ ok: false, reason: 'owner_not_in_tenant' });
		expect(getChecklistItem(db, ref.itemId)!.ownerId).toBeNull();
		expect(planItem(db, admin, ref, { ownerId: insider.id, dueDate: null }, T0)).toEqual({ ok: true });
		expect(getChecklistItem(db, ref.itemId)).toMatchObject({ ownerId: insider.id, status: 'in_progress' });
	});
});

describe('progress and readiness', () => {
	it('counts required items per category and as a rounded percentage', () => {
		const id = addTenant(db, admin);
		let progress = getChecklist(db, id, T0).progress;
		expect(progress).toMatchObject({ done: 0, total: 16, percent: 0 });
		expect(progress.byCategory).toEqual([
			{ category: 'certificates', done: 0, total: 2 },
			{ category: 'organisation_register', done: 0, total: 2 },
			{ category: 'training', done: 0, total: 1 },
			{ category: 'plan_update', done: 0, total: 3 },
			{ category: 'system_and_agreement', done: 0, total: 4 },
			{ category: 'other', done: 0, total: 4 }
		]);
		submitAndVerify(id, 'soteri_registration');
		submitAndVerify(id, 'self_monitoring_plan');
		// Submitted but not verified does not count.
		const sote = itemOf(id, 'sote_organisation_register');
		submitItem(db, TENANT_ACTOR, itemRef(db, sote.item.id), { reference: 'x', date: null, link: '' }, T0);
		progress = getChecklist(db, id, T0).progress;
		expect(progress).toMatchObject({ done: 2, total: 16, percent: 13 });
		expect(progress.byCategory.find((c) => c.category === 'organisation_register')).toEqual({
			category: 'organisation_register',
			done: 1,
			total: 2
		});
		expect(progress.byCategory.find((c) => c.category === 'plan_update')).toEqual({ category: 'plan_update', done: 1, total: 3 });
		expect(progress.byCategory.find((c) => c.category === 'training')).toEqual({ category: 'training', done: 0, total: 1 });
		// An optional entry shows up but does not count.
		savePrerequisiteType(db, admin, newType({ code: 'optional', required: false }));
		syncAllChecklists(db);
		expect(codesOf(id)).toContain('optional');
		expect(getChecklist(db, id, T0).progress).toMatchObject({ done: 2, total: 16, percent: 13 });
	});

	it('is ready only when every required item is verified or derived true; then the stage advances', () => {
		const id = addTenant(db, admin);
		const other = addTenant(db, admin);
		savePrerequisiteType(db, admin, newType({ code: 'optional', required: false }));
		syncAllChecklists(db);
		expect(getTenant(db, id)!.stage).toBe('invited');

		for (const code of STORED_CODES) submitAndVerify(id, code);
		let checklist = getChecklist(db, id, T0);
		expect(checklist.progress).toMatchObject({ done: STORED_CODES.length, total: 16 });
		expect(checklist.ready).toBe(false);
		expect(getTenant(db, id)!.stage).toBe('invited');
		expect(db.transaction((tx) => refreshReadiness(tx, admin, id, T0))).toBe(false);

		// Derived: agreement in force, certified system, main connector certificates, every staff member's
		// card, the main connector's plan approved and every person's acknowledgement of it.
		insertAgreementRow(db, id, 'in_force', T0);
		approvedPlan();
		addPatientSystem();
		addManualCertificate(db, admin, 'server', MAIN_CONNECTOR_HOLDER, new Date(T0.getTime() + 200 * DAY_MS), T0);
		addManualCertificate(db, admin, 'system_signature', MAIN_CONNECTOR_HOLDER, new Date(T0.getTime() + 600 * DAY_MS), T0);
		expect(getChecklist(db, id, T0).ready).toBe(false);
		const staff = insertUser(db, { tenantId: id, roles: ['tenant_staff'] });
		acknowledgedByEveryone(id);
		addManualCertificate(db, admin, 'professional_card', personHolder(staff), new Date(T0.getTime() + 400 * DAY_MS), T0);

		checklist = getChecklist(db, id, T0);
		expect(checklist.entries.find((e) => e.type.code === 'optional')!.done).toBe(false);
		// Derived: every person holds the training their role requires.
		expect(checklist.ready).toBe(false);
		trainEveryone(staff.id);
		checklist = getChecklist(db, id, T0);
		expect(checklist.entries.filter((e) => e.type.derivedRule).map((e) => e.status)).toEqual([
			'verified',
			'verified',
			'verified',
			'verified',
			'verified',
			'verified',
			'verified',
			'verified'
		]);
		expect(checklist.progress).toMatchObject({ done: 16, total: 16, percent: 100 });
		expect(checklist.ready).toBe(true);
		expect(getTenant(db, id)!.stage).toBe('invited');
		expect(db.transaction((tx) => refreshReadiness(tx, admin, id, T0))).toBe(true);
		expect(getTenant(db, id)!.stage).toBe('ready_for_production');
		expect(getTenant(db, other)!.stage).toBe('invited');
		expect(
			listAuditEntries(db, { tenantId: id, action: 'tenant.stage_change', page: 1, pageSize: 10 }).entries.map((e) => e.summary)
		).toEqual(['invited → ready_for_production (agreement)']);
		// Idempotent: no second stage change.
		db.transaction((tx) => refreshReadiness(tx, admin, id, T0));
		expect(listAuditEntries(db, { tenantId: id, action: 'tenant.stage_change', page: 1, pageSize: 10 }).total).toBe(1);
	});

	it('advances the stage when the last required item is verified', () => {
		const id = addTenant(db, admin);
		insertAgreementRow(db, id, 'in_force', T0);
		approvedPlan();
		addPatientSystem();
		addManualCertificate(db, admin, 'server', MAIN_CONNECTOR_HOLDER, new Date(T0.getTime() + 200 * DAY_MS), T0);
		addManualCertificate(db, admin, 'system_signature', MAIN_CONNECTOR_HOLDER, new Date(T0.getTime() + 600 * DAY_MS), T0);
		const staff = insertUser(db, { tenantId: id, roles: ['tenant_staff'] });
		acknowledgedByEveryone(id);
		addManualCertificate(db, admin, 'staff_card', personHolder(staff), new Date(T0.getTime() + 400 * DAY_MS), T0);
		trainEveryone(staff.id);
		const [last, ...rest] = STORED_CODES;
		for (const code of rest) submitAndVerify(id, code);
		expect(getTenant(db, id)!.stage).toBe('invited');
		submitAndVerify(id, last);
		expect(getTenant(db, id)!.stage).toBe('ready_for_production');
		// A stage further on is never moved back.
		db.update(tenant).set({ stage: 'in_production' }).where(eq(tenant.id, id)).run();
		db.transaction((tx) => refreshReadiness(tx, admin, id, T0));
		expect(getTenant(db, id)!.stage).toBe('in_production');
	});

	it('is not ready with an empty checklist', () => {
		const id = addTenant(db, admin);
		db.update(prerequisiteType).set({ active: false }).run();
		const checklist = getChecklist(db, id, T0);
		expect(checklist.entries).toEqual([]);
		expect(checklist.ready).toBe(false);
		expect(getChecklist(db, 'no-such-tenant', T0)).toMatchObject({ entries: [], ready: false });
	});
});

describe('audit trail', () => {
	it('records every step against the tenant, with the acting person', () => {
		const id = addTenant(db, admin);
		const sote = itemOf(id, 'sote_organisation_register');
		planItem(db, admin, itemRef(db, sote.item.id), { ownerId: null, dueDate: '2025-04-01' }, T0);
		attachFile(id, 'self_monitoring_plan');
		submitItem(db, TENANT_ACTOR, itemRef(db, sote.item.id), { reference: 'x', date: null, link: '' }, T0);
		returnItem(db, admin, itemRef(db, sote.item.id), 'Puuttuu', T0);
		submitItem(db, TENANT_ACTOR, itemRef(db, sote.item.id), { reference: 'y', date: null, link: '' }, T0);
		verifyItem(db, admin, itemRef(db, sote.item.id), T0);
		submitAndVerify(id, 'self_monitoring_plan');
		expireDueItems(db, new Date('2027-01-01T00:00:00Z'));

		const entries = listAuditEntries(db, { tenantId: id, action: 'checklist', page: 1, pageSize: 100 }).entries.reverse();
		expect(entries.map((e) => e.action)).toEqual([
			'checklist.plan',
			'checklist.evidence_upload',
			'checklist.submit',
			'checklist.return',
			'checklist.submit',
			'checklist.verify',
			'checklist.evidence_upload',
			'checklist.submit',
			'checklist.verify',
			'checklist.expire'
		]);
		expect(entries.filter((e) => e.action === 'checklist.submit').every((e) => e.actorLabel === TENANT_ACTOR.label)).toBe(true);
		expect(entries.find((e) => e.action === 'checklist.verify')!.actorLabel).toBe(admin.label);
		expect(entries.find((e) => e.action === 'checklist.return')!.summary).toBe('Puuttuu');
		expect(entries.find((e) => e.action === 'checklist.evidence_upload')!.summary).toContain('evidence.pdf');
		expect(entries.find((e) => e.action === 'checklist.plan')!.targetId).toBe(sote.item.id);
		// Refused attempts write nothing.
		const before = listAuditEntries(db, { tenantId: id, page: 1, pageSize: 1 }).total;
		const kela = itemOf(id, 'kela_customer_relationship');
		submitItem(db, TENANT_ACTOR, itemRef(db, kela.item.id), NO_EVIDENCE, T0);
		verifyItem(db, admin, itemRef(db, kela.item.id), T0);
		expect(listAuditEntries(db, { tenantId: id, page: 1, pageSize: 1 }).total).toBe(before);
	});
});
