import { and, asc, eq, inArray, isNull, lt, lte } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import {
	checklistComment,
	checklistItem,
	evidenceFile,
	kantaService,
	tenant,
	tenantService,
	user,
	type ChecklistItem,
	type EvidenceFile,
	type PrerequisiteType
} from '../db/schema';
import type { ChecklistStatus, PrerequisiteCategory } from '../../domain';
import { PREREQUISITE_CATEGORIES } from '../../domain';
import { audit, SYSTEM_ACTOR, type Actor } from '../actor';
import { advanceTenantStage } from '../tenant-stage';
import { enqueueWebhookEvent } from '../webhooks/outbox';
import { addMonths, todayInHelsinki } from '../../time';
import { appliesTo, getPrerequisiteType, listPrerequisiteTypes } from './catalogue';
import { evaluateDerived, type DerivedState } from './derived';

function tenantServiceCodes(db: DbOrTx, tenantId: string): string[] {
	return db
		.select({ code: kantaService.code })
		.from(tenantService)
		.innerJoin(kantaService, eq(tenantService.serviceId, kantaService.id))
		.where(eq(tenantService.tenantId, tenantId))
		.all()
		.map((r) => r.code);
}

/**
 * Gives the tenant an item for every catalogue entry that applies to it and it does not have yet:
 * on creation, when its details change, and when the catalogue grows.
 */
export function syncChecklist(tx: DbOrTx, tenantId: string, types = listPrerequisiteTypes(tx)): number {
	const party = tx.select().from(tenant).where(eq(tenant.id, tenantId)).get();
	if (!party) return 0;
	const codes = tenantServiceCodes(tx, tenantId);
	const have = new Set(
		tx
			.select({ typeId: checklistItem.typeId })
			.from(checklistItem)
			.where(eq(checklistItem.tenantId, tenantId))
			.all()
			.map((r) => r.typeId)
	);
	const missing = types.filter((type) => appliesTo(type, party, codes) && !have.has(type.id));
	if (missing.length)
		tx.insert(checklistItem)
			.values(missing.map((type) => ({ id: crypto.randomUUID(), tenantId, typeId: type.id })))
			.run();
	return missing.length;
}

export function syncAllChecklists(db: Db): number {
	return db.transaction((tx) => {
		const types = listPrerequisiteTypes(tx);
		return tx
			.select({ id: tenant.id })
			.from(tenant)
			.where(isNull(tenant.archivedAt))
			.all()
			.reduce((added, t) => added + syncChecklist(tx, t.id, types), 0);
	});
}

export interface ChecklistEntry {
	item: ChecklistItem;
	type: PrerequisiteType;
	/** The status people see: derived items follow their records, stored items their workflow. */
	status: ChecklistStatus;
	done: boolean;
	overdue: boolean;
	derived: DerivedState | null;
	files: Pick<EvidenceFile, 'id' | 'fileName' | 'size' | 'uploadedAt'>[];
}

export interface CategoryProgress {
	category: PrerequisiteCategory;
	done: number;
	total: number;
}

export interface Checklist {
	entries: ChecklistEntry[];
	progress: { done: number; total: number; percent: number; byCategory: CategoryProgress[] };
	/** Every required item verified or derived true. */
	ready: boolean;
}

/**
 * A tenant's checklist as it stands now (items that no longer apply are left out). With `detail`
 * false the derived items say only whether they are met, counted in SQL, without naming the people
 * still missing a card or training: enough for the progress and readiness.
 */
export function getChecklist(db: DbOrTx, tenantId: string, now = new Date(), { detail = true }: { detail?: boolean } = {}): Checklist {
	const party = db.select().from(tenant).where(eq(tenant.id, tenantId)).get();
	if (!party) return { entries: [], progress: { done: 0, total: 0, percent: 0, byCategory: [] }, ready: false };
	const codes = tenantServiceCodes(db, tenantId);
	const types = new Map(
		listPrerequisiteTypes(db)
			.filter((type) => appliesTo(type, party, codes))
			.map((type) => [type.id, type])
	);
	const items = db
		.select()
		.from(checklistItem)
		.where(eq(checklistItem.tenantId, tenantId))
		.all()
		.filter((item) => types.has(item.typeId));
	const files = items.length
		? db
				.select({
					id: evidenceFile.id,
					itemId: evidenceFile.itemId,
					fileName: evidenceFile.fileName,
					size: evidenceFile.size,
					uploadedAt: evidenceFile.uploadedAt
				})
				.from(evidenceFile)
				.where(
					inArray(
						evidenceFile.itemId,
						items.map((i) => i.id)
					)
				)
				.orderBy(asc(evidenceFile.uploadedAt))
				.all()
		: [];
	const today = todayInHelsinki(now);
	const entries = items
		.map((item): ChecklistEntry => {
			const type = types.get(item.typeId)!;
			const derived = type.derivedRule ? evaluateDerived(db, type.derivedRule, tenantId, now, detail) : null;
			const status: ChecklistStatus = derived ? (derived.met ? 'verified' : 'not_started') : item.status;
			const done = status === 'verified';
			return {
				item,
				type,
				status,
				done,
				overdue: !done && item.dueDate !== null && item.dueDate < today,
				derived,
				files: files.filter((f) => f.itemId === item.id)
			};
		})
		.sort((a, b) => a.type.sortOrder - b.type.sortOrder);
	const required = entries.filter((e) => e.type.required);
	const done = required.filter((e) => e.done).length;
	const byCategory = PREREQUISITE_CATEGORIES.map((category) => {
		const inCategory = required.filter((e) => e.type.category === category);
		return { category, done: inCategory.filter((e) => e.done).length, total: inCategory.length };
	}).filter((c) => c.total > 0);
	return {
		entries,
		progress: { done, total: required.length, percent: required.length ? Math.round((done / required.length) * 100) : 0, byCategory },
		ready: required.length > 0 && done === required.length
	};
}

/** An item, only when it belongs to the tenant named in `scope` (when one is named). */
export function getChecklistItem(db: DbOrTx, id: string, scope?: { tenantId: string }): ChecklistItem | undefined {
	return db
		.select()
		.from(checklistItem)
		.where(and(eq(checklistItem.id, id), scope ? eq(checklistItem.tenantId, scope.tenantId) : undefined))
		.get();
}

/** A checklist item as the caller names it: the tenant they act for, and the item. */
export interface ItemRef {
	tenantId: string;
	itemId: string;
}

/** The item and its prerequisite type, when the item belongs to the tenant the caller acts for. */
export function findItem(db: DbOrTx, ref: ItemRef): { item: ChecklistItem; type: PrerequisiteType } | undefined {
	const item = getChecklistItem(db, ref.itemId, { tenantId: ref.tenantId });
	const type = item && getPrerequisiteType(db, item.typeId);
	return item && type ? { item, type } : undefined;
}

/** When everything required is in order the tenant is ready for production. */
export function refreshReadiness(tx: DbOrTx, actor: Actor, tenantId: string, now = new Date()): boolean {
	const ready = getChecklist(tx, tenantId, now, { detail: false }).ready;
	if (ready) advanceTenantStage(tx, actor, tenantId, 'ready_for_production', now);
	return ready;
}

export interface EvidenceInput {
	reference: string;
	date: string | null;
	link: string;
}

export type StepResult = { ok: true } | { ok: false; reason: 'not_found' | 'wrong_state' | 'evidence_missing' | 'owner_not_in_tenant' };

const NOT_FOUND = { ok: false, reason: 'not_found' } as const;

const SUBMITTABLE: ChecklistStatus[] = ['not_started', 'in_progress', 'returned', 'expired'];

/** The tenant hands in its evidence for checking; what counts as evidence depends on the item. */
export function submitItem(db: Db, actor: Actor, ref: ItemRef, evidence: EvidenceInput, now = new Date()): StepResult {
	return db.transaction((tx) => {
		const found = findItem(tx, ref);
		if (!found) return NOT_FOUND;
		const { item, type } = found;
		const itemId = item.id;
		if (type.derivedRule || !SUBMITTABLE.includes(item.status)) return { ok: false, reason: 'wrong_state' } as const;
		const hasFile = tx.select({ id: evidenceFile.id }).from(evidenceFile).where(eq(evidenceFile.itemId, itemId)).get() !== undefined;
		const present = {
			file: hasFile,
			reference: evidence.reference.trim() !== '',
			date: evidence.date !== null,
			link: evidence.link.trim() !== '',
			derived: false
		}[type.evidenceKind];
		if (!present) return { ok: false, reason: 'evidence_missing' } as const;
		tx.update(checklistItem)
			.set({
				status: 'submitted',
				evidenceReference: evidence.reference.trim(),
				evidenceDate: evidence.date,
				evidenceLink: evidence.link.trim(),
				submittedAt: now,
				submittedBy: actor.label,
				returnedReason: null,
				updatedAt: now
			})
			.where(eq(checklistItem.id, itemId))
			.run();
		audit(tx, actor, {
			tenantId: item.tenantId,
			action: 'checklist.submit',
			targetType: 'checklist_item',
			targetId: itemId,
			summary: type.code
		});
		enqueueWebhookEvent(
			tx,
			'checklist_item.submitted',
			{ itemId, tenantId: item.tenantId, code: type.code, from: item.status, to: 'submitted', submittedAt: now.toISOString() },
			now
		);
		return { ok: true } as const;
	});
}

/** The main connector accepts the evidence; a recurring item falls due again after its period. */
export function verifyItem(db: Db, actor: Actor, ref: ItemRef, now = new Date()): StepResult {
	return db.transaction((tx) => {
		const found = findItem(tx, ref);
		if (!found) return NOT_FOUND;
		const { item, type } = found;
		const itemId = item.id;
		if (item.status !== 'submitted') return { ok: false, reason: 'wrong_state' } as const;
		const validUntil = type.renewalMonths ? addMonths(todayInHelsinki(now), type.renewalMonths) : null;
		tx.update(checklistItem)
			.set({ status: 'verified', verifiedAt: now, verifiedBy: actor.label, validUntil, updatedAt: now })
			.where(eq(checklistItem.id, itemId))
			.run();
		audit(tx, actor, {
			tenantId: item.tenantId,
			action: 'checklist.verify',
			targetType: 'checklist_item',
			targetId: itemId,
			summary: type.code
		});
		enqueueWebhookEvent(
			tx,
			'checklist_item.verified',
			{ itemId, tenantId: item.tenantId, code: type.code, from: item.status, to: 'verified', verifiedAt: now.toISOString(), validUntil },
			now
		);
		refreshReadiness(tx, actor, item.tenantId, now);
		return { ok: true } as const;
	});
}

export function returnItem(db: Db, actor: Actor, ref: ItemRef, reason: string, now = new Date()): StepResult {
	return db.transaction((tx) => {
		const item = getChecklistItem(tx, ref.itemId, { tenantId: ref.tenantId });
		if (!item) return NOT_FOUND;
		const itemId = item.id;
		if (item.status !== 'submitted') return { ok: false, reason: 'wrong_state' } as const;
		tx.update(checklistItem).set({ status: 'returned', returnedReason: reason, updatedAt: now }).where(eq(checklistItem.id, itemId)).run();
		tx.insert(checklistComment)
			.values({ id: crypto.randomUUID(), itemId, userId: actor.id, authorLabel: actor.label, body: reason, createdAt: now })
			.run();
		audit(tx, actor, {
			tenantId: item.tenantId,
			action: 'checklist.return',
			targetType: 'checklist_item',
			targetId: itemId,
			summary: reason
		});
		return { ok: true } as const;
	});
}

/** Owner and due date: who is on it and by when. The owner is one of the tenant's own people. */
export function planItem(
	db: Db,
	actor: Actor,
	ref: ItemRef,
	plan: { ownerId: string | null; dueDate: string | null },
	now = new Date()
): StepResult {
	return db.transaction((tx) => {
		const item = getChecklistItem(tx, ref.itemId, { tenantId: ref.tenantId });
		if (!item) return NOT_FOUND;
		const itemId = item.id;
		if (plan.ownerId) {
			const owner = tx.select({ tenantId: user.tenantId }).from(user).where(eq(user.id, plan.ownerId)).get();
			if (owner?.tenantId !== item.tenantId) return { ok: false, reason: 'owner_not_in_tenant' } as const;
		}
		const status = item.status === 'not_started' && plan.ownerId ? 'in_progress' : item.status;
		tx.update(checklistItem)
			.set({ ...plan, status, updatedAt: now })
			.where(eq(checklistItem.id, itemId))
			.run();
		audit(tx, actor, {
			tenantId: item.tenantId,
			action: 'checklist.plan',
			targetType: 'checklist_item',
			targetId: itemId,
			summary: `due ${plan.dueDate ?? '-'}`
		});
		return { ok: true } as const;
	});
}

export function addComment(db: Db, actor: Actor, ref: ItemRef, body: string, now = new Date()): StepResult {
	return db.transaction((tx) => {
		const item = getChecklistItem(tx, ref.itemId, { tenantId: ref.tenantId });
		if (!item) return NOT_FOUND;
		tx.insert(checklistComment)
			.values({ id: crypto.randomUUID(), itemId: item.id, userId: actor.id, authorLabel: actor.label, body, createdAt: now })
			.run();
		audit(tx, actor, { tenantId: item.tenantId, action: 'checklist.comment', targetType: 'checklist_item', targetId: item.id });
		return { ok: true } as const;
	});
}

export function listComments(db: DbOrTx, itemId: string) {
	return db.select().from(checklistComment).where(eq(checklistComment.itemId, itemId)).orderBy(asc(checklistComment.createdAt)).all();
}

export function recordEvidenceFile(
	db: Db,
	actor: Actor,
	item: ChecklistItem,
	file: Omit<EvidenceFile, 'id' | 'itemId' | 'tenantId' | 'uploadedBy' | 'uploadedAt'>,
	now = new Date()
): string {
	return db.transaction((tx) => {
		const id = crypto.randomUUID();
		tx.insert(evidenceFile)
			.values({ ...file, id, itemId: item.id, tenantId: item.tenantId, uploadedBy: actor.label, uploadedAt: now })
			.run();
		if (item.status === 'not_started')
			tx.update(checklistItem).set({ status: 'in_progress', updatedAt: now }).where(eq(checklistItem.id, item.id)).run();
		audit(tx, actor, {
			tenantId: item.tenantId,
			action: 'checklist.evidence_upload',
			targetType: 'checklist_item',
			targetId: item.id,
			summary: `${file.fileName} (${file.size} B, sha256 ${file.sha256.slice(0, 12)})`
		});
		return id;
	});
}

export function getEvidenceFile(db: DbOrTx, id: string): EvidenceFile | undefined {
	return db.select().from(evidenceFile).where(eq(evidenceFile.id, id)).get();
}

/** Verified items whose renewal period has run out become expired and need new evidence. */
export function expireDueItems(db: Db, now = new Date()): string[] {
	const today = todayInHelsinki(now);
	return db.transaction((tx) => {
		const due = tx
			.select()
			.from(checklistItem)
			.where(and(eq(checklistItem.status, 'verified'), lte(checklistItem.validUntil, today)))
			.all();
		for (const item of due) {
			tx.update(checklistItem).set({ status: 'expired', updatedAt: now }).where(eq(checklistItem.id, item.id)).run();
			audit(tx, SYSTEM_ACTOR, {
				tenantId: item.tenantId,
				action: 'checklist.expire',
				targetType: 'checklist_item',
				targetId: item.id,
				summary: `valid until ${item.validUntil}`
			});
		}
		return due.map((item) => item.id);
	});
}

/**
 * Tenants with items past their due date or sent back, for the main connector's home page: the
 * most such items first. Both reads stay inside the (status, due_date, tenant_id) index, and only
 * the tenants that make the list are looked up (ties at its end fall by tenant id).
 */
export function listTenantsNeedingAttention(
	db: DbOrTx,
	now = new Date(),
	limit = 10
): { tenantId: string; tenantName: string; overdue: number; returned: number }[] {
	const today = todayInHelsinki(now);
	const counts = new Map<string, { overdue: number; returned: number }>();
	const countsOf = (tenantId: string) => {
		let found = counts.get(tenantId);
		if (!found) counts.set(tenantId, (found = { overdue: 0, returned: 0 }));
		return found;
	};
	const sentBack = db
		.select({ tenantId: checklistItem.tenantId, dueDate: checklistItem.dueDate })
		.from(checklistItem)
		.where(inArray(checklistItem.status, ['returned', 'expired']))
		.all();
	for (const row of sentBack) {
		const found = countsOf(row.tenantId);
		found.returned++;
		if (row.dueDate !== null && row.dueDate < today) found.overdue++;
	}
	const overdueOpen = db
		.select({ tenantId: checklistItem.tenantId })
		.from(checklistItem)
		.where(and(inArray(checklistItem.status, ['not_started', 'in_progress']), lt(checklistItem.dueDate, today)))
		.all();
	for (const row of overdueOpen) countsOf(row.tenantId).overdue++;

	const total = (c: { overdue: number; returned: number }) => c.overdue + c.returned;
	const ranked = [...counts].sort(([a, x], [b, y]) => total(y) - total(x) || (a < b ? -1 : 1));
	const result: { tenantId: string; tenantName: string; overdue: number; returned: number }[] = [];
	// Archived tenants drop out, so take candidates a batch at a time until the list is full.
	for (let i = 0; i < ranked.length && result.length < limit; i += limit) {
		const batch = ranked.slice(i, i + limit);
		const current = new Map(
			db
				.select({ id: tenant.id, name: tenant.name })
				.from(tenant)
				.where(
					and(
						inArray(
							tenant.id,
							batch.map(([id]) => id)
						),
						isNull(tenant.archivedAt)
					)
				)
				.all()
				.map((t) => [t.id, t.name])
		);
		for (const [tenantId, c] of batch)
			if (current.has(tenantId) && result.length < limit) result.push({ tenantId, tenantName: current.get(tenantId)!, ...c });
	}
	return result.sort((a, b) => total(b) - total(a) || a.tenantName.localeCompare(b.tenantName, 'fi'));
}
