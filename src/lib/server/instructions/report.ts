import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { instructionTenant, type Instruction } from '../db/schema';
import {
	coverageByTenant,
	coverageByTenantParts,
	coverageCounts,
	coverageInTenant,
	coverageInTenantParts,
	listInstructions,
	textFor,
	versionsOf,
	type CoveragePerson
} from './instructions';

/** Where a person stands with one instruction: holds a current acknowledgement, an outdated one, or none. */
export type AckStatus = 'current' | 'outdated' | 'missing';

export function ackStatus(person: Pick<CoveragePerson, 'current' | 'acknowledgedVersion'>): AckStatus {
	return person.current ? 'current' : person.acknowledgedVersion !== null ? 'outdated' : 'missing';
}

export interface CoverageRow {
	tenantId: string;
	tenantName: string;
	userId: string;
	name: string;
	email: string;
	status: AckStatus;
	acknowledgedVersion: number | null;
	acknowledgedAt: Date | null;
}

/** One row per person of the audience, tenant by tenant (for the drill-down and the export). */
export function coverageRows(db: DbOrTx, item: Instruction, onlyTenantId?: string): CoverageRow[] {
	return flatRows(coverageByTenant(db, item, onlyTenantId));
}

/** The same rows as `coverageRows` over every tenant, read a few hundred tenants at a time (the export). */
export function* coverageRowParts(db: DbOrTx, item: Instruction, tenantsPerPart = 200): Generator<CoverageRow[]> {
	for (const part of coverageByTenantParts(db, item, tenantsPerPart)) yield flatRows(part);
}

function flatRows(tenants: ReturnType<typeof coverageByTenant>): CoverageRow[] {
	return tenants.flatMap((t) =>
		t.people.map((p) => ({
			tenantId: t.tenantId,
			tenantName: t.tenantName,
			userId: p.userId,
			name: p.name,
			email: p.email,
			status: ackStatus(p),
			acknowledgedVersion: p.acknowledgedVersion,
			acknowledgedAt: p.acknowledgedAt
		}))
	);
}

/** The instructions that ask this tenant's people for an acknowledgement, each with its coverage there. */
export function tenantCoverage(db: DbOrTx, tenantId: string, locale: string) {
	const items = listInstructions(db).filter((item) => item.requiresAck);
	const versions = versionsOf(
		db,
		items.map((i) => i.id)
	);
	const coverages = coverageInTenant(db, items, tenantId);
	return items
		.map((item) => {
			const version = versions.get(item.id)!.current;
			const result = coverages.get(item.id)!;
			return {
				instruction: item,
				title: textFor(version, locale).title,
				version: version.version,
				acknowledged: result.acknowledged,
				total: result.total,
				people: result.people.map((p) => ({ ...p, status: ackStatus(p) }))
			};
		})
		.filter((row) => row.total > 0);
}

/**
 * The rows of `tenantCoverage`'s people (instruction title first), in the same order, at most
 * `size` at a time and read as they are asked for: the tenant's export, sent in parts.
 */
export function* tenantCoverageRowParts(db: DbOrTx, tenantId: string, locale: string, size: number) {
	const items = listInstructions(db).filter((item) => item.requiresAck);
	const versions = versionsOf(
		db,
		items.map((i) => i.id)
	);
	for (const { item, people } of coverageInTenantParts(db, items, tenantId, size)) {
		const title = textFor(versions.get(item.id)!.current, locale).title;
		yield people.map((p) => ({ title, ...p, status: ackStatus(p) }));
	}
}

/** The tenants an instruction is limited to (empty when it is for all tenants). */
export function targetTenantIds(db: DbOrTx, instructionId: string): string[] {
	return db
		.select({ id: instructionTenant.tenantId })
		.from(instructionTenant)
		.where(eq(instructionTenant.instructionId, instructionId))
		.all()
		.map((r) => r.id);
}

/** Acknowledged of total over every tenant the instruction reaches, counted without listing anyone. */
export function coverageTotals(db: DbOrTx, item: Instruction): { acknowledged: number; total: number } {
	const { acknowledged, total } = coverageCounts(db, item);
	return { acknowledged, total };
}

const SORTABLE = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Helsinki' });

/** "2026-03-01 14:05", Finnish time: readable, and spreadsheets sort it. */
export function sortableTime(value: Date | null): string {
	return value ? SORTABLE.format(value) : '';
}
