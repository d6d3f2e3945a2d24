import { and, asc, eq, gt, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, DbOrTx } from '../db';
import { certificate, tenant, type Agreement, type Certificate, type Tenant } from '../db/schema';
import { contains, containsSearch } from '../db/text-search';
import { listPeople } from '../people/people';
import { getChecklist } from '../prerequisites/checklist';
import { listTenantAgreements } from '../agreements/agreements';
import { coverage, currentVersion, listInstructions } from '../instructions/instructions';
import { coverageTotals, targetTenantIds } from '../instructions/report';
import { DAY_MS } from '../../time';
import { encodeCursor, pageOf, type Page, type SortKey } from './cursor';
import type { agreementOut, certificateOut, checklistOut, instructionOut, personOut, securityPlanStatusOut, tenantOut } from './schemas';
import { MAIN_PLAN, dueReviewCount, planOverview } from '../security-plan/plan';

/**
 * What the integration API reads. Authorisation is the caller's (`apiCan` in the route); these
 * functions take the organisation scope they are given and shape rows into the documented outputs.
 * Lists that can grow long (tenants, certificates) are paged in SQL on their sort key.
 */

export function toTenantOut(row: Tenant): z.input<typeof tenantOut> {
	return {
		id: row.id,
		name: row.name,
		businessId: row.businessId,
		oid: row.oid,
		city: row.city,
		serviceSector: row.serviceSector,
		providerType: row.providerType,
		agreementLanguage: row.agreementLanguage,
		stage: row.stage,
		archived: row.archivedAt !== null,
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt?.toISOString() ?? null
	};
}

export interface TenantPageFilter {
	/** Only this tenant (a tenant's own token sees itself and no other). */
	onlyId?: string;
	stage?: Tenant['stage'];
	q?: string;
	archived: boolean;
}

/** Tenants by name (then id), after the cursor's key. */
export function listTenantPage(
	db: DbOrTx,
	filter: TenantPageFilter,
	limit: number,
	after: SortKey | null
): Page<z.input<typeof tenantOut>> {
	const conditions: (SQL | undefined)[] = [filter.archived ? isNotNull(tenant.archivedAt) : isNull(tenant.archivedAt)];
	if (filter.onlyId) conditions.push(eq(tenant.id, filter.onlyId));
	if (filter.stage) conditions.push(eq(tenant.stage, filter.stage));
	if (filter.q) {
		const { pattern, unicode } = containsSearch(filter.q);
		conditions.push(
			or(contains(tenant.name, pattern, unicode), contains(tenant.businessId, pattern, unicode), contains(tenant.city, pattern, unicode))
		);
	}
	if (after) {
		const [name, id] = after.map(String);
		conditions.push(or(gt(tenant.name, name), and(eq(tenant.name, name), gt(tenant.id, id))));
	}
	const rows = db
		.select()
		.from(tenant)
		.where(and(...conditions))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.limit(limit + 1)
		.all();
	const data = rows.slice(0, limit);
	const last = data[data.length - 1];
	return { data: data.map(toTenantOut), nextCursor: rows.length > limit ? encodeCursor([last.name, last.id]) : null };
}

/** The tenant's people by name, a page at a time in SQL (the largest tenants have thousands). */
export function listPeoplePage(db: Db, tenantId: string, limit: number, after: SortKey | null): Page<z.input<typeof personOut>> {
	const rows = listPeople(db, tenantId, { pageSize: limit + 1, after: after ? [String(after[0]), String(after[1])] : undefined });
	const people = rows.slice(0, limit);
	const last = people[people.length - 1];
	return {
		data: people.map((p) => ({
			id: p.id,
			name: p.name,
			email: p.email,
			status: p.status,
			roles: p.roles,
			createdAt: p.createdAt.toISOString(),
			deactivatedAt: p.deactivatedAt?.toISOString() ?? null
		})),
		nextCursor: rows.length > limit ? encodeCursor([last.name, last.id]) : null
	};
}

export function checklistOf(db: DbOrTx, tenantId: string, now = new Date()): z.input<typeof checklistOut> {
	const { entries, progress, ready } = getChecklist(db, tenantId, now);
	return {
		tenantId,
		ready,
		progress: { done: progress.done, total: progress.total, percent: progress.percent },
		items: entries.map((e) => ({
			id: e.item.id,
			code: e.type.code,
			name: e.type.nameEn,
			category: e.type.category,
			required: e.type.required,
			status: e.status,
			done: e.done,
			overdue: e.overdue,
			dueDate: e.item.dueDate ?? null
		}))
	};
}

export function toCertificateOut(row: Certificate): z.input<typeof certificateOut> {
	return {
		id: row.id,
		kind: row.kind,
		holderType: row.holderType,
		tenantId: row.tenantId,
		holderName: row.holderName,
		subject: row.subject,
		issuer: row.issuer,
		serialNumber: row.serialNumber,
		fingerprintSha256: row.fingerprintSha256,
		validFrom: row.validFrom?.toISOString() ?? null,
		validTo: row.validTo.toISOString(),
		reference: row.reference,
		supersededAt: row.supersededAt?.toISOString() ?? null,
		renewalOrderedAt: row.renewalOrderedAt?.toISOString() ?? null
	};
}

export interface CertificatePageFilter {
	/** `undefined`: every certificate (the main connector's view). */
	tenantId?: string;
	kind?: Certificate['kind'];
	holderType?: Certificate['holderType'];
	expiringWithinDays?: number;
}

/** Current (not superseded) certificates, soonest expiry first, after the cursor's key. */
export function listCertificatePage(
	db: DbOrTx,
	filter: CertificatePageFilter,
	limit: number,
	after: SortKey | null,
	now = new Date()
): Page<z.input<typeof certificateOut>> {
	const conditions: (SQL | undefined)[] = [isNull(certificate.supersededAt)];
	if (filter.tenantId) conditions.push(eq(certificate.tenantId, filter.tenantId));
	if (filter.kind) conditions.push(eq(certificate.kind, filter.kind));
	if (filter.holderType) conditions.push(eq(certificate.holderType, filter.holderType));
	if (filter.expiringWithinDays !== undefined)
		conditions.push(lte(certificate.validTo, new Date(now.getTime() + filter.expiringWithinDays * DAY_MS)));
	if (after) {
		const validTo = new Date(Number(after[0]));
		const id = String(after[1]);
		conditions.push(or(gt(certificate.validTo, validTo), and(eq(certificate.validTo, validTo), gt(certificate.id, id))));
	}
	const rows = db
		.select()
		.from(certificate)
		.where(and(...conditions))
		.orderBy(asc(certificate.validTo), asc(certificate.id))
		.limit(limit + 1)
		.all();
	const data = rows.slice(0, limit);
	const last = data[data.length - 1];
	return { data: data.map(toCertificateOut), nextCursor: rows.length > limit ? encodeCursor([last.validTo.getTime(), last.id]) : null };
}

export function toAgreementOut(row: Agreement): z.input<typeof agreementOut> {
	return {
		id: row.id,
		tenantId: row.tenantId,
		status: row.status,
		language: row.language,
		inForceAt: row.inForceAt?.toISOString() ?? null,
		endDate: row.endDate,
		endedAt: row.endedAt?.toISOString() ?? null,
		sealedAt: row.sealedAt?.toISOString() ?? null,
		sealedSha256: row.sealedSha256,
		createdAt: row.createdAt.toISOString()
	};
}

export function listAgreementPage(db: DbOrTx, tenantId: string, limit: number, after: SortKey | null): Page<z.input<typeof agreementOut>> {
	return pageOf(listTenantAgreements(db, tenantId).map(toAgreementOut), (a) => [a.createdAt, a.id], limit, after);
}

/**
 * Current instructions with their acknowledgement coverage: over every tenant for the main
 * connector, over its own people (and only the instructions that reach it) for a tenant.
 */
export function listInstructionPage(
	db: DbOrTx,
	tenantId: string | null,
	limit: number,
	after: SortKey | null
): Page<z.input<typeof instructionOut>> {
	const items = listInstructions(db)
		.filter((item) => tenantId === null || item.allTenants || targetTenantIds(db, item.id).includes(tenantId))
		.map((item) => {
			const version = currentVersion(db, item.id);
			const counts = tenantId === null ? coverageTotals(db, item) : coverage(db, item, tenantId);
			return {
				id: item.id,
				title: version ? (version.titleEn ?? version.titleFi) : '',
				category: item.category,
				audience: item.audience,
				requiresAcknowledgement: item.requiresAck,
				version: version?.version ?? null,
				coverage: { acknowledged: counts.acknowledged, total: counts.total }
			};
		});
	return pageOf(items, (i) => [i.id], limit, after);
}

/** The plan's status for the API: progress and counts by chapter, nothing of what it says. */
export function securityPlanStatus(db: DbOrTx, now = new Date()): z.input<typeof securityPlanStatusOut> {
	const overview = planOverview(db, MAIN_PLAN, now);
	const empty = { not_described: 0, described: 0, implemented: 0, verified: 0 };
	if (!overview) return { framework: null, started: false, progress: 0, counts: empty, dueForReview: 0, sections: [] };
	return {
		framework: { key: overview.framework.framework, version: overview.framework.version },
		started: overview.plan !== null,
		progress: overview.progress,
		counts: overview.total,
		dueForReview: dueReviewCount(db, MAIN_PLAN, now),
		sections: overview.sections.map((s) => ({ chapter: s.section.chapter, progress: s.progress, counts: s.counts }))
	};
}
