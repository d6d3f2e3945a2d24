import { createHash } from 'node:crypto';
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { securityPlanEntry, securityPlanVersion, tenant, type SecurityPlanVersion } from '../db/schema';
import { activePeopleWithRoles, notify } from '../notifications/notifications';
import { audit, type Actor } from '../actor';
import { stepUp, type Confirmation, type StepUpRefused } from '../auth/step-up';
import type { TwoFactorPerson } from '../auth/two-factor';
import { SIGNATURE_METHODS } from '../agreements/agreements';
import { textDiff, type DiffPart } from '../instructions/diff';
import type { SecurityRequirementStatus, SecurityResponsibleParty, SecurityRiskLevel } from '../../domain';
import { getPlan, ownPartyOf, ownerNames, type PlanOwner } from './plan';
import { bindingChapters } from './sharing';
import { listRisks, responsibleDirector, riskChapters } from './risks';
import { documentLine, listDocuments } from './documents';
import { publishBindingInstruction } from './binding-instruction';

/**
 * Approved versions of the plan. The responsible director (client data act §78) approves the plan as
 * it stands, confirming who they are as a signer does; the content is frozen as JSON with its SHA-256
 * and kept for good, so what was approved can be shown to the supervisory authority and compared.
 */

export interface SnapshotRequirement {
	id: string;
	status: SecurityRequirementStatus;
	description: string;
	owner: string;
	responsibleParty: SecurityResponsibleParty;
	responsibleName: string;
	agreementReference: string;
	lastReviewedOn: string | null;
	nextReviewOn: string;
	/** Documents the description refers to, as `documentLine` writes them. */
	documents: string[];
}

export interface SnapshotRisk {
	id: string;
	title: string;
	systems: string;
	chapters: string[];
	likelihood: SecurityRiskLevel;
	impact: SecurityRiskLevel;
	treatment: string;
	residual: SecurityRiskLevel;
	acceptedBy: string;
	acceptedAt: string | null;
}

export interface PlanSnapshot {
	framework: { key: string; version: number };
	responsibleDirector: string;
	/** Chapters binding tenants in this version. */
	binding: string[];
	requirements: SnapshotRequirement[];
	risks: SnapshotRisk[];
}

/** The plan as it stands, in a fixed order and shape, so equal content always hashes the same. */
export function currentSnapshot(db: DbOrTx, owner: PlanOwner): PlanSnapshot | null {
	const plan = getPlan(db, owner);
	if (!plan) return null;
	const owners = ownerNames(db, owner);
	const documents = new Map<string, string[]>();
	for (const d of listDocuments(db, owner)) documents.set(d.requirementId, [...(documents.get(d.requirementId) ?? []), documentLine(d)]);
	const entries = db.select().from(securityPlanEntry).where(eq(securityPlanEntry.planId, plan.id)).all();
	// A requirement with documents but no description yet is still part of the plan.
	for (const requirementId of documents.keys())
		if (!entries.some((e) => e.requirementId === requirementId))
			entries.push({
				planId: plan.id,
				requirementId,
				description: '',
				ownerId: null,
				status: 'not_described',
				lastReviewedOn: null,
				nextReviewOn: '',
				responsibleParty: ownPartyOf(owner),
				responsibleName: '',
				agreementReference: '',
				updatedAt: new Date(0),
				updatedBy: null
			});
	const requirements = entries
		.sort((a, b) => a.requirementId.localeCompare(b.requirementId, 'en', { numeric: true }))
		.map((e) => ({
			id: e.requirementId,
			status: e.status,
			description: e.description,
			owner: (e.ownerId && owners.get(e.ownerId)) || '',
			responsibleParty: e.responsibleParty,
			responsibleName: e.responsibleName,
			agreementReference: e.agreementReference,
			lastReviewedOn: e.lastReviewedOn,
			nextReviewOn: e.nextReviewOn,
			documents: documents.get(e.requirementId) ?? []
		}));
	const risks = listRisks(db, owner).map((r) => ({
		id: r.id,
		title: r.title,
		systems: r.systems,
		chapters: riskChapters(r),
		likelihood: r.likelihood,
		impact: r.impact,
		treatment: r.treatment,
		residual: r.residual,
		acceptedBy: r.acceptedByName,
		acceptedAt: r.acceptedAt?.toISOString() ?? null
	}));
	// Only the main connector's plan binds tenants (agreement §2); a tenant's own plan binds nobody else.
	const binding = owner.tenantId === null ? [...bindingChapters(db)] : [];
	return {
		framework: { key: plan.frameworkKey, version: plan.frameworkVersion },
		responsibleDirector: responsibleDirector(db, owner)?.name ?? '',
		binding: binding.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
		requirements,
		risks
	};
}

export const snapshotHash = (snapshot: string): string => createHash('sha256').update(snapshot, 'utf8').digest('hex');

export function listVersions(db: DbOrTx, owner: PlanOwner): SecurityPlanVersion[] {
	const plan = getPlan(db, owner);
	if (!plan) return [];
	return db
		.select()
		.from(securityPlanVersion)
		.where(eq(securityPlanVersion.planId, plan.id))
		.orderBy(desc(securityPlanVersion.version))
		.all();
}

export function latestVersion(db: DbOrTx, owner: PlanOwner): SecurityPlanVersion | undefined {
	return listVersions(db, owner)[0];
}

export function getVersion(db: DbOrTx, owner: PlanOwner, version: number): SecurityPlanVersion | undefined {
	const plan = getPlan(db, owner);
	if (!plan) return undefined;
	return db
		.select()
		.from(securityPlanVersion)
		.where(and(eq(securityPlanVersion.planId, plan.id), eq(securityPlanVersion.version, version)))
		.get();
}

export const parseSnapshot = (version: Pick<SecurityPlanVersion, 'snapshot'>): PlanSnapshot => JSON.parse(version.snapshot) as PlanSnapshot;

/** True when the stored content still matches the hash taken at approval. */
export const isIntact = (version: Pick<SecurityPlanVersion, 'snapshot' | 'contentHash'>): boolean =>
	snapshotHash(version.snapshot) === version.contentHash;

/** Whether the plan differs from its newest approved version (or was never approved). */
export function hasUnapprovedChanges(db: DbOrTx, owner: PlanOwner): boolean {
	const current = currentSnapshot(db, owner);
	if (!current) return false;
	const latest = latestVersion(db, owner);
	return !latest || snapshotHash(JSON.stringify(current)) !== latest.contentHash;
}

export type ApproveResult =
	| { ok: true; version: number; contentHash: string }
	| { ok: false; reason: 'not_director' }
	| { ok: false; reason: 'no_plan' }
	| { ok: false; reason: 'unchanged' }
	| { ok: false; reason: 'changed_meanwhile' }
	| StepUpRefused;

/**
 * The responsible director approves the plan as it stands. `expectedHash` is the content they were
 * shown: if someone saved in between, nothing is approved. A tenant's plan is approved by that
 * tenant's own director, never by anyone of the main connector.
 */
export async function approvePlan(
	db: Db,
	owner: PlanOwner,
	person: TwoFactorPerson,
	confirmation: Confirmation,
	expectedHash: string,
	client: { ipAddress: string },
	now = new Date()
): Promise<ApproveResult> {
	const actor: Actor = { id: person.id, label: person.email, ipAddress: client.ipAddress };
	if (person.tenantId !== owner.tenantId || responsibleDirector(db, owner)?.id !== person.id) return { ok: false, reason: 'not_director' };
	const before = currentSnapshot(db, owner);
	if (!before) return { ok: false, reason: 'no_plan' };
	if (!hasUnapprovedChanges(db, owner)) return { ok: false, reason: 'unchanged' };
	const confirmed = await stepUp(db, actor, person, confirmation, 'plan_approval', now);
	if (!confirmed.ok) return confirmed;
	return db.transaction((tx) => {
		// Read again inside the transaction: the plan may have changed while the password was checked.
		const snapshot = currentSnapshot(tx, owner);
		const director = responsibleDirector(tx, owner);
		if (!snapshot || director?.id !== person.id) return { ok: false, reason: 'not_director' } as const;
		const json = JSON.stringify(snapshot);
		const contentHash = snapshotHash(json);
		if (contentHash !== expectedHash) return { ok: false, reason: 'changed_meanwhile' } as const;
		const plan = getPlan(tx, owner)!;
		const version = (latestVersion(tx, owner)?.version ?? 0) + 1;
		const versionId = crypto.randomUUID();
		tx.insert(securityPlanVersion)
			.values({
				id: versionId,
				planId: plan.id,
				version,
				snapshot: json,
				contentHash,
				approvedBy: person.id,
				approverName: director.name,
				method: confirmed.withCode ? SIGNATURE_METHODS.passwordAndCode : SIGNATURE_METHODS.password,
				approvedAt: now
			})
			.run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.approve',
			targetType: 'security_plan',
			targetId: plan.id,
			summary: `version ${version} approved by ${director.name}, sha256 ${contentHash}`
		});
		// The main connector's binding sections become the instruction its tenants' people acknowledge,
		// in this transaction: approved and published together, or neither.
		if (owner.tenantId === null) publishBindingInstruction(tx, actor, { id: versionId, version }, snapshot, now);
		// Tenants' administrators are told of each version that binds them (agreement §2).
		if (snapshot.binding.length) {
			const tenants = tx
				.select({ id: tenant.id })
				.from(tenant)
				.where(and(isNull(tenant.archivedAt), ne(tenant.stage, 'ended')))
				.all();
			const people = tenants.flatMap((t) => activePeopleWithRoles(tx, t.id, ['tenant_admin']));
			notify(
				tx,
				people,
				'security_plan_version_approved',
				{ version, chapters: snapshot.binding.join(', ') },
				'/security-plan/binding',
				now
			);
		}
		return { ok: true, version, contentHash } as const;
	});
}

/** Every read of an approved version is audited (the plan is confidential, THL 3/2024 ch. 5). */
export function auditVersionRead(
	db: Db,
	actor: Actor,
	versions: SecurityPlanVersion[],
	purpose: string,
	tenantId: string | null = null
): void {
	if (!versions.length) return;
	db.transaction((tx) => {
		for (const v of versions)
			audit(tx, actor, {
				tenantId,
				action: 'security_plan.version_read',
				targetType: 'security_plan_version',
				targetId: v.id,
				summary: `version ${v.version}: ${purpose}`
			});
	});
}

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface FieldChange {
	field: string;
	before: string;
	after: string;
	/** Word by word, for the long texts. */
	parts?: DiffPart[];
}

export interface ItemChange {
	kind: ChangeKind;
	id: string;
	label: string;
	fields: FieldChange[];
}

export interface PlanDiff {
	requirements: ItemChange[];
	risks: ItemChange[];
	binding: { added: string[]; removed: string[] };
}

const LONG_TEXT = new Set(['description', 'treatment']);

function fieldChanges(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): FieldChange[] {
	const keys = Object.keys(after ?? before ?? {}).filter((k) => k !== 'id');
	const show = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));
	return keys
		.filter((key) => show(before?.[key]) !== show(after?.[key]))
		.map((key) => {
			const b = show(before?.[key]);
			const a = show(after?.[key]);
			return LONG_TEXT.has(key) ? { field: key, before: b, after: a, parts: textDiff(b, a) } : { field: key, before: b, after: a };
		});
}

function diffItems<T extends { id: string }>(before: T[], after: T[], label: (item: T) => string): ItemChange[] {
	const old = new Map(before.map((item) => [item.id, item]));
	const now = new Map(after.map((item) => [item.id, item]));
	const changes: ItemChange[] = [];
	for (const item of after) {
		const previous = old.get(item.id);
		const fields = fieldChanges(previous as Record<string, unknown> | undefined, item as unknown as Record<string, unknown>);
		if (!previous) changes.push({ kind: 'added', id: item.id, label: label(item), fields });
		else if (fields.length) changes.push({ kind: 'changed', id: item.id, label: label(item), fields });
	}
	for (const item of before)
		if (!now.has(item.id))
			changes.push({
				kind: 'removed',
				id: item.id,
				label: label(item),
				fields: fieldChanges(item as unknown as Record<string, unknown>, undefined)
			});
	return changes;
}

/** What changed from one version's content to another's, per requirement and per risk. */
export function diffSnapshots(before: PlanSnapshot, after: PlanSnapshot): PlanDiff {
	return {
		requirements: diffItems(before.requirements, after.requirements, (r) => r.id),
		risks: diffItems(before.risks, after.risks, (r) => r.title),
		binding: {
			added: after.binding.filter((c) => !before.binding.includes(c)),
			removed: before.binding.filter((c) => !after.binding.includes(c))
		}
	};
}

/** An empty plan, to compare the first version against. */
export const EMPTY_SNAPSHOT: PlanSnapshot = {
	framework: { key: '', version: 0 },
	responsibleDirector: '',
	binding: [],
	requirements: [],
	risks: []
};
