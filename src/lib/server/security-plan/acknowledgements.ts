import { and, asc, count, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { securityPlanAcknowledgement, securityPlanVersion, tenant, user } from '../db/schema';
import { audit, type Actor } from '../actor';
import { MAIN_PLAN, getMainPlan } from './plan';
import { bindingInstruction, bindingSectionsOf } from './binding-instruction';
import { baselineVersion, lastAcknowledged } from '../instructions/instructions';
import type { BindingSection } from './sharing';
import {
	EMPTY_SNAPSHOT,
	currentSnapshot,
	diffSnapshots,
	getVersion,
	latestVersion,
	parseSnapshot,
	type ItemChange,
	type PlanSnapshot
} from './versions';
import type { SecurityPlanVersion } from '../db/schema';

/**
 * Agreement §2: the tenant follows the main connector's plan. Each of the tenant's people acknowledges
 * the binding sections personally, as the instruction binding-instruction.ts publishes from each
 * approved version; that is what the checklist's "staff follow the plan" counts. In addition, per
 * approved version, one of the tenant's administrators confirms for the tenant that it follows the
 * binding sections (kept as the administrator's confirmation and as history); the main connector sees
 * which tenant has confirmed which version.
 */

export interface TenantAcknowledgement {
	version: number;
	userName: string;
	acknowledgedAt: Date;
}

/** The versions this tenant has acknowledged, newest first. */
export function acknowledgementsOf(db: DbOrTx, tenantId: string): TenantAcknowledgement[] {
	const plan = getMainPlan(db);
	if (!plan) return [];
	return db
		.select({
			version: securityPlanVersion.version,
			userName: securityPlanAcknowledgement.userName,
			acknowledgedAt: securityPlanAcknowledgement.acknowledgedAt
		})
		.from(securityPlanAcknowledgement)
		.innerJoin(securityPlanVersion, eq(securityPlanAcknowledgement.versionId, securityPlanVersion.id))
		.where(and(eq(securityPlanAcknowledgement.tenantId, tenantId), eq(securityPlanVersion.planId, plan.id)))
		.all()
		.sort((a, b) => b.version - a.version);
}

export type AcknowledgeResult = { ok: true } | { ok: false; reason: 'not_found' | 'not_latest' | 'nothing_binding' | 'already' };

/**
 * A tenant administrator acknowledges the newest approved version for their tenant. Only the newest:
 * an older version no longer says what binds the tenant. A version with no binding section has
 * nothing to acknowledge.
 */
export function acknowledgeVersion(
	db: Db,
	actor: Actor,
	person: { id: string; tenantId: string },
	version: number,
	now = new Date()
): AcknowledgeResult {
	return db.transaction((tx) => {
		const row = getVersion(tx, MAIN_PLAN, version);
		if (!row) return { ok: false, reason: 'not_found' } as const;
		if (latestVersion(tx, MAIN_PLAN)?.id !== row.id) return { ok: false, reason: 'not_latest' } as const;
		const binding = parseSnapshot(row).binding;
		if (!binding.length) return { ok: false, reason: 'nothing_binding' } as const;
		const existing = tx
			.select()
			.from(securityPlanAcknowledgement)
			.where(and(eq(securityPlanAcknowledgement.versionId, row.id), eq(securityPlanAcknowledgement.tenantId, person.tenantId)))
			.get();
		if (existing) return { ok: false, reason: 'already' } as const;
		const name = tx.select({ name: user.name }).from(user).where(eq(user.id, person.id)).get()?.name ?? actor.label;
		tx.insert(securityPlanAcknowledgement)
			.values({ versionId: row.id, tenantId: person.tenantId, userId: person.id, userName: name, acknowledgedAt: now })
			.run();
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: 'security_plan.acknowledge',
			targetType: 'security_plan_version',
			targetId: row.id,
			summary: `version ${row.version}, binding sections ${binding.join(', ')}`
		});
		return { ok: true } as const;
	});
}

export interface AcknowledgementRow {
	tenantId: string;
	tenantName: string;
	/** The newest version the tenant has acknowledged, if any. */
	version: number | null;
	userName: string;
	acknowledgedAt: Date | null;
}

/** Tenants that follow the plan: current, and not ended. */
const following = () => and(isNull(tenant.archivedAt), ne(tenant.stage, 'ended'));

/** For the main connector: every current tenant and the newest version it has acknowledged. */
export function acknowledgementOverview(db: DbOrTx): AcknowledgementRow[] {
	const tenants = db
		.select({ id: tenant.id, name: tenant.name })
		.from(tenant)
		.where(following())
		.orderBy(asc(tenant.name), asc(tenant.id))
		.all();
	return withNewest(db, tenants, false);
}

/**
 * One page of the overview (tenants by name) and the number of tenants: the main connector has
 * thousands, and the page listed them all (megabytes of HTML at national scale).
 */
export function acknowledgementOverviewPage(db: DbOrTx, page: number, pageSize: number): { rows: AcknowledgementRow[]; total: number } {
	const total = db.select({ n: count() }).from(tenant).where(following()).get()?.n ?? 0;
	const tenants = db
		.select({ id: tenant.id, name: tenant.name })
		.from(tenant)
		.where(following())
		.orderBy(asc(tenant.name), asc(tenant.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.all();
	return { rows: withNewest(db, tenants, true), total };
}

function withNewest(db: DbOrTx, tenants: { id: string; name: string }[], onlyThese: boolean): AcknowledgementRow[] {
	// One query for the tenants' acknowledgements (not one per tenant), the newest version kept per tenant.
	const plan = getMainPlan(db);
	const newestByTenant = new Map<string, TenantAcknowledgement>();
	if (plan && tenants.length)
		for (const row of db
			.select({
				tenantId: securityPlanAcknowledgement.tenantId,
				version: securityPlanVersion.version,
				userName: securityPlanAcknowledgement.userName,
				acknowledgedAt: securityPlanAcknowledgement.acknowledgedAt
			})
			.from(securityPlanAcknowledgement)
			.innerJoin(securityPlanVersion, eq(securityPlanAcknowledgement.versionId, securityPlanVersion.id))
			.where(
				and(
					eq(securityPlanVersion.planId, plan.id),
					onlyThese
						? inArray(
								securityPlanAcknowledgement.tenantId,
								tenants.map((t) => t.id)
							)
						: undefined
				)
			)
			.all())
			if ((newestByTenant.get(row.tenantId)?.version ?? 0) < row.version) newestByTenant.set(row.tenantId, row);
	return tenants.map((t) => {
		const newest = newestByTenant.get(t.id);
		return {
			tenantId: t.id,
			tenantName: t.name,
			version: newest?.version ?? null,
			userName: newest?.userName ?? '',
			acknowledgedAt: newest?.acknowledgedAt ?? null
		};
	});
}

export interface TenantView {
	latest: Pick<SecurityPlanVersion, 'version' | 'approvedAt'> & { binding: string[] };
	acknowledged: TenantAcknowledgement | null;
	/** The binding requirements whose text changed since the version the tenant last acknowledged. */
	changes: ItemChange[];
	/** The versions read to say so (for the audit of reads). */
	read: SecurityPlanVersion[];
}

const chapterOf = (requirementId: string) => requirementId.slice(0, requirementId.lastIndexOf('-'));

/**
 * For a tenant: the newest approved version, whether the tenant has acknowledged it, and what changed
 * in the binding text since the version it acknowledged last. Only descriptions: owners and review
 * dates of the main connector's plan stay confidential.
 */
export function tenantView(db: DbOrTx, tenantId: string): TenantView | null {
	const latest = latestVersion(db, MAIN_PLAN);
	if (!latest) return null;
	const binding = parseSnapshot(latest).binding;
	const acknowledged = acknowledgementsOf(db, tenantId)[0] ?? null;
	const previous = acknowledged && acknowledged.version !== latest.version ? getVersion(db, MAIN_PLAN, acknowledged.version) : undefined;
	const read = previous ? [previous, latest] : [latest];
	const changes =
		acknowledged?.version === latest.version
			? []
			: diffSnapshots(previous ? parseSnapshot(previous) : EMPTY_SNAPSHOT, parseSnapshot(latest))
					.requirements.filter((c) => binding.includes(chapterOf(c.id)) && c.kind !== 'removed')
					.map((c) => ({ ...c, fields: c.fields.filter((f) => f.field === 'description') }))
					.filter((c) => c.fields.length > 0);
	return { latest: { version: latest.version, approvedAt: latest.approvedAt, binding }, acknowledged, changes, read };
}

/**
 * What binds tenants as an approved version froze it: its binding chapters and their descriptions,
 * never the live plan, whose unapproved edits are not what a tenant acknowledges.
 */
export function approvedBindingSections(db: DbOrTx, version: Pick<SecurityPlanVersion, 'snapshot'>): BindingSection[] {
	return bindingSectionsOf(db, parseSnapshot(version));
}

/** The binding chapters and their descriptions, in a form that compares equal when tenants would see the same. */
function bindingContent(snapshot: PlanSnapshot): string {
	const chapters = new Set(snapshot.binding);
	const requirements = snapshot.requirements
		.filter((r) => chapters.has(chapterOf(r.id)) && r.description)
		.map((r) => [r.id, r.description]);
	return JSON.stringify([snapshot.binding, requirements]);
}

/**
 * For the main connector: whether the live plan's binding sections (which chapters bind, and their
 * descriptions) differ from what the newest approved version shows tenants.
 */
export function bindingChangesPending(db: DbOrTx): boolean {
	const current = currentSnapshot(db, MAIN_PLAN);
	if (!current) return false;
	const latest = latestVersion(db, MAIN_PLAN);
	return bindingContent(current) !== bindingContent(latest ? parseSnapshot(latest) : EMPTY_SNAPSHOT);
}

export interface BindingPage {
	/** The newest approved version, whose text the page shows; null while none is approved. */
	approved: Pick<SecurityPlanVersion, 'version' | 'approvedAt'> | null;
	sections: BindingSection[];
	/** For a tenant: its acknowledgement of that version and what changed since its last one. */
	view: TenantView | null;
	/** The approved versions read to make the page (for the audit of reads). */
	read: SecurityPlanVersion[];
}

/** The binding page for a tenant's people (`tenantId`) or the main connector (null): the newest approved text. */
export function bindingPage(db: DbOrTx, tenantId: string | null): BindingPage {
	const latest = latestVersion(db, MAIN_PLAN);
	if (!latest) return { approved: null, sections: [], view: null, read: [] };
	const view = tenantId ? tenantView(db, tenantId) : null;
	return {
		approved: { version: latest.version, approvedAt: latest.approvedAt },
		sections: approvedBindingSections(db, latest),
		view,
		read: view?.read ?? [latest]
	};
}

export interface PersonalAcknowledgement {
	instructionId: string;
	/** The instruction's current version, which is the newest binding text. */
	version: number;
	/** The newest version this person has acknowledged, if any. */
	acknowledgedVersion: number | null;
	pending: boolean;
}

/** For one of a tenant's people: where to acknowledge the binding sections, and whether they have. */
export function personalAcknowledgement(db: DbOrTx, userId: string): PersonalAcknowledgement | null {
	const found = bindingInstruction(db);
	if (!found) return null;
	const acked = lastAcknowledged(db, userId, found.item.id);
	const baseline = baselineVersion(db, found.item.id);
	return {
		instructionId: found.item.id,
		version: found.version.version,
		acknowledgedVersion: acked?.version ?? null,
		pending: !acked || (baseline !== undefined && acked.version < baseline.version)
	};
}
