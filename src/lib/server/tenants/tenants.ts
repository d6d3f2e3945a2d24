import { and, asc, count, eq, inArray, isNotNull, isNull, or, sql, type Column, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { prepared } from '../db/prepared';
import { contains, containsSearch } from '../db/text-search';
import { kantaService, serviceUnit, tenant, tenantContact, tenantService, type Tenant, type TenantStage } from '../db/schema';
import { audit, type Actor } from '../actor';
import { changedFields } from '../change-summary';
import { syncChecklist } from '../prerequisites/checklist';
import { enqueueWebhookEvent } from '../webhooks/outbox';

export type TenantFields = Omit<Tenant, 'id' | 'stage' | 'archivedAt' | 'createdAt' | 'updatedAt'>;
export type ServiceUnitInput = { name: string; oid: string };
export type ContactInput = { name: string; title: string; email: string; phone: string };

export interface TenantInput extends TenantFields {
	serviceIds: string[];
	serviceUnits: ServiceUnitInput[];
	contacts: ContactInput[];
}

export interface TenantDetails extends Tenant {
	serviceIds: string[];
	serviceUnits: (ServiceUnitInput & { id: string })[];
	contacts: (ContactInput & { id: string })[];
}

export interface TenantListFilter {
	query?: string;
	stage?: TenantStage;
	archived?: boolean;
	page: number;
	pageSize: number;
}

/**
 * The tenant list's two statements, compiled once per database and filter shape (archived or not,
 * with or without stage, no search or an ASCII or other search); see `prepared`.
 */
function tenantListStatements(db: Db, shape: { archived: boolean; stage: boolean; search: false | 'ascii' | 'unicode' }) {
	const conditions: SQL[] = [shape.archived ? isNotNull(tenant.archivedAt) : isNull(tenant.archivedAt)];
	if (shape.stage) conditions.push(eq(tenant.stage, sql.placeholder('stage')));
	if (shape.search) {
		const matches = (column: Column) => contains(column, sql.placeholder('pattern'), shape.search === 'unicode');
		conditions.push(or(matches(tenant.name), matches(tenant.businessId), matches(tenant.city))!);
	}
	const where = and(...conditions);
	return {
		total: db.select({ n: count() }).from(tenant).where(where).prepare(),
		page: db
			.select()
			.from(tenant)
			.where(where)
			.orderBy(asc(tenant.name), asc(tenant.id))
			.limit(sql.placeholder('limit'))
			.offset(sql.placeholder('offset'))
			.prepare()
	};
}

export function listTenants(db: Db, filter: TenantListFilter): { tenants: Tenant[]; total: number } {
	const query = filter.query?.trim();
	const search = query ? containsSearch(query) : undefined;
	const shape = {
		archived: Boolean(filter.archived),
		stage: Boolean(filter.stage),
		search: search ? (search.unicode ? 'unicode' : 'ascii') : false
	} as const;
	const statements = prepared(db, `tenants.list:${shape.archived}:${shape.stage}:${shape.search}`, () => tenantListStatements(db, shape));
	const params = { stage: filter.stage, pattern: search?.pattern, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize };
	return { tenants: statements.page.all(params), total: statements.total.get(params)?.n ?? 0 };
}

/** Current tenants' ids and names, by name, for pickers: no count and no other columns to read. */
export function listTenantNames(db: DbOrTx, limit: number): { id: string; name: string }[] {
	return db
		.select({ id: tenant.id, name: tenant.name })
		.from(tenant)
		.where(isNull(tenant.archivedAt))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.limit(limit)
		.all();
}

/**
 * Current tenants whose name or business ID contains `query` (case and å/ä/ö folded), by name, at
 * most `limit`, for pickers too long to list whole; `more` says whether others match too.
 */
export function searchTenantNames(
	db: DbOrTx,
	query: string,
	limit: number
): { tenants: { id: string; name: string; businessId: string }[]; more: boolean } {
	const search = query.trim() ? containsSearch(query.trim()) : undefined;
	const rows = db
		.select({ id: tenant.id, name: tenant.name, businessId: tenant.businessId })
		.from(tenant)
		.where(
			and(
				isNull(tenant.archivedAt),
				search
					? or(contains(tenant.name, search.pattern, search.unicode), contains(tenant.businessId, search.pattern, search.unicode))
					: undefined
			)
		)
		.orderBy(asc(tenant.name), asc(tenant.id))
		.limit(limit + 1)
		.all();
	return { tenants: rows.slice(0, limit), more: rows.length > limit };
}

/** The current tenants among `ids`, by name: a form may name any tenant, not only those it listed. */
export function findCurrentTenants(db: DbOrTx, ids: string[]): { id: string; name: string }[] {
	if (ids.length === 0) return [];
	return db
		.select({ id: tenant.id, name: tenant.name })
		.from(tenant)
		.where(and(inArray(tenant.id, ids), isNull(tenant.archivedAt)))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.all();
}

/** Names of the tenants among `ids`, archived ones included (to say where something went). */
export function tenantNames(db: DbOrTx, ids: string[]): Map<string, string> {
	if (ids.length === 0) return new Map();
	return new Map(
		db
			.select({ id: tenant.id, name: tenant.name })
			.from(tenant)
			.where(inArray(tenant.id, [...new Set(ids)]))
			.all()
			.map((t) => [t.id, t.name])
	);
}

/** Current tenants by business ID (Y-tunnus), and the IDs that name none. */
export function findTenantsByBusinessIds(db: DbOrTx, businessIds: string[]): { ids: string[]; unknown: string[] } {
	const wanted = [...new Set(businessIds)];
	if (wanted.length === 0) return { ids: [], unknown: [] };
	const rows = db
		.select({ id: tenant.id, businessId: tenant.businessId })
		.from(tenant)
		.where(and(inArray(tenant.businessId, wanted), isNull(tenant.archivedAt)))
		.all();
	const found = new Set(rows.map((r) => r.businessId));
	return { ids: rows.map((r) => r.id), unknown: wanted.filter((b) => !found.has(b)) };
}

export function countTenantsByStage(db: Db): Record<TenantStage, number> {
	const rows = db.select({ stage: tenant.stage, n: count() }).from(tenant).where(isNull(tenant.archivedAt)).groupBy(tenant.stage).all();
	const counts = { invited: 0, onboarding: 0, agreement_signed: 0, ready_for_production: 0, in_production: 0, notice_given: 0, ended: 0 };
	for (const row of rows) counts[row.stage] = row.n;
	return counts;
}

export function getTenant(db: DbOrTx, id: string): TenantDetails | undefined {
	const row = db.select().from(tenant).where(eq(tenant.id, id)).get();
	if (!row) return undefined;
	return {
		...row,
		serviceIds: db
			.select({ id: tenantService.serviceId })
			.from(tenantService)
			.where(eq(tenantService.tenantId, id))
			.all()
			.map((s) => s.id),
		serviceUnits: db
			.select({ id: serviceUnit.id, name: serviceUnit.name, oid: serviceUnit.oid })
			.from(serviceUnit)
			.where(eq(serviceUnit.tenantId, id))
			.orderBy(asc(serviceUnit.name))
			.all(),
		contacts: db
			.select({
				id: tenantContact.id,
				name: tenantContact.name,
				title: tenantContact.title,
				email: tenantContact.email,
				phone: tenantContact.phone
			})
			.from(tenantContact)
			.where(eq(tenantContact.tenantId, id))
			.orderBy(asc(tenantContact.name))
			.all()
	};
}

export function isBusinessIdTaken(db: DbOrTx, businessId: string, exceptTenantId?: string): boolean {
	const existing = db.select({ id: tenant.id }).from(tenant).where(eq(tenant.businessId, businessId)).get();
	return existing !== undefined && existing.id !== exceptTenantId;
}

function replaceChildren(tx: DbOrTx, tenantId: string, input: TenantInput): void {
	tx.delete(tenantService).where(eq(tenantService.tenantId, tenantId)).run();
	tx.delete(serviceUnit).where(eq(serviceUnit.tenantId, tenantId)).run();
	tx.delete(tenantContact).where(eq(tenantContact.tenantId, tenantId)).run();
	if (input.serviceIds.length)
		tx.insert(tenantService)
			.values(input.serviceIds.map((serviceId) => ({ tenantId, serviceId })))
			.run();
	if (input.serviceUnits.length)
		tx.insert(serviceUnit)
			.values(input.serviceUnits.map((u) => ({ ...u, id: crypto.randomUUID(), tenantId })))
			.run();
	if (input.contacts.length)
		tx.insert(tenantContact)
			.values(input.contacts.map((c) => ({ ...c, id: crypto.randomUUID(), tenantId })))
			.run();
}

function splitInput(input: TenantInput): TenantFields {
	const { serviceIds: _s, serviceUnits: _u, contacts: _c, ...fields } = input;
	return fields;
}

export type SaveTenantResult = { ok: true; id: string } | { ok: false; reason: 'business_id_taken' | 'service_not_offered' };

/**
 * The tenant's services as they are to be stored, or null when one is unknown or no longer offered.
 * A service no longer offered stays linked if the tenant already had it: the tenant form cannot show
 * it, so saving the form must not silently drop it from the record.
 */
function chosenServices(tx: DbOrTx, chosen: string[], tenantId?: string): string[] | null {
	const services = new Map(
		tx
			.select({ id: kantaService.id, selectable: kantaService.selectable })
			.from(kantaService)
			.all()
			.map((s) => [s.id, s.selectable])
	);
	const linked = tenantId
		? tx
				.select({ id: tenantService.serviceId })
				.from(tenantService)
				.where(eq(tenantService.tenantId, tenantId))
				.all()
				.map((row) => row.id)
		: [];
	if (chosen.some((id) => !services.get(id) && !linked.includes(id))) return null;
	const withdrawnKept = linked.filter((id) => services.get(id) === false);
	return [...new Set([...chosen, ...withdrawnKept])];
}

export function createTenant(db: Db, actor: Actor, input: TenantInput, now = new Date()): SaveTenantResult {
	return db.transaction((tx) => {
		if (isBusinessIdTaken(tx, input.businessId)) return { ok: false, reason: 'business_id_taken' } as const;
		const serviceIds = chosenServices(tx, input.serviceIds);
		if (!serviceIds) return { ok: false, reason: 'service_not_offered' } as const;
		input = { ...input, serviceIds };
		const id = crypto.randomUUID();
		tx.insert(tenant)
			.values({ ...splitInput(input), id, stage: 'invited', createdAt: now })
			.run();
		replaceChildren(tx, id, input);
		syncChecklist(tx, id);
		audit(tx, actor, {
			tenantId: id,
			action: 'tenant.create',
			targetType: 'tenant',
			targetId: id,
			summary: `${input.name} (${input.businessId})`
		});
		return { ok: true, id } as const;
	});
}

export function updateTenant(db: Db, actor: Actor, id: string, input: TenantInput, now = new Date()): SaveTenantResult {
	return db.transaction((tx) => {
		const before = getTenant(tx, id);
		if (!before) throw new Error(`No tenant ${id}`);
		if (isBusinessIdTaken(tx, input.businessId, id)) return { ok: false, reason: 'business_id_taken' } as const;
		const serviceIds = chosenServices(tx, input.serviceIds, id);
		if (!serviceIds) return { ok: false, reason: 'service_not_offered' } as const;
		input = { ...input, serviceIds };
		tx.update(tenant)
			.set({ ...splitInput(input), updatedAt: now })
			.where(eq(tenant.id, id))
			.run();
		replaceChildren(tx, id, input);
		syncChecklist(tx, id);
		const comparable = {
			...before,
			serviceIds: [...before.serviceIds].sort(),
			serviceUnits: before.serviceUnits.map(({ name, oid }) => ({ name, oid })),
			contacts: before.contacts.map(({ name, title, email, phone }) => ({ name, title, email, phone }))
		};
		audit(tx, actor, {
			tenantId: id,
			action: 'tenant.update',
			targetType: 'tenant',
			targetId: id,
			summary: changedFields(comparable, { ...input, serviceIds: [...input.serviceIds].sort() })
		});
		return { ok: true, id } as const;
	});
}

export function setTenantStage(db: Db, actor: Actor, id: string, stage: TenantStage, now = new Date()): void {
	db.transaction((tx) => {
		const before = tx.select({ stage: tenant.stage }).from(tenant).where(eq(tenant.id, id)).get();
		if (!before) throw new Error(`No tenant ${id}`);
		if (before.stage === stage) return;
		tx.update(tenant).set({ stage, updatedAt: now }).where(eq(tenant.id, id)).run();
		audit(tx, actor, {
			tenantId: id,
			action: 'tenant.stage_change',
			targetType: 'tenant',
			targetId: id,
			summary: `${before.stage} → ${stage}`
		});
		enqueueWebhookEvent(tx, 'tenant.stage_changed', { tenantId: id, from: before.stage, to: stage }, now);
	});
}

/** Tenants are archived, never deleted: agreements and the audit trail must outlive them. */
export function setTenantArchived(db: Db, actor: Actor, id: string, archived: boolean, now = new Date()): void {
	db.transaction((tx) => {
		tx.update(tenant)
			.set({ archivedAt: archived ? now : null, updatedAt: now })
			.where(eq(tenant.id, id))
			.run();
		audit(tx, actor, { tenantId: id, action: archived ? 'tenant.archive' : 'tenant.restore', targetType: 'tenant', targetId: id });
	});
}
