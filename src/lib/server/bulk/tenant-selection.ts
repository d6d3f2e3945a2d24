import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { tenant, type TenantStage } from '../db/schema';
import { listTenants } from '../tenants/tenants';

/**
 * The most tenants one bulk action takes. Enough for every tenant of a large main connector in a
 * few steps, small enough that one transaction stays under a second (measured on 2 shared cores,
 * in memory: reminding 1,000 tenants 0.8 s, exporting them 0.1 s; their 1,000 mails, sent after
 * the commit, 3 s); "all with an agreement in force" is how a campaign reaches more.
 */
export const BULK_LIMIT = 1000;

/** The tenant list's filter, as the list itself reads it. */
export interface TenantFilter {
	query?: string;
	stage?: TenantStage;
	archived?: boolean;
}

/**
 * What the administrator picked: ticked rows, every row of one page of the list, or every tenant
 * the filter matches. The server resolves it again at each step; a count from the browser is never used.
 */
export type TenantSelection =
	| { scope: 'chosen'; ids: string[] }
	| { scope: 'page'; filter: TenantFilter; page: number; pageSize: number }
	| { scope: 'all'; filter: TenantFilter };

export interface SelectedTenant {
	id: string;
	name: string;
	archived: boolean;
}

export type ResolvedSelection = { ok: true; tenants: SelectedTenant[] } | { ok: false; reason: 'empty' | 'too_many'; count: number };

function selected(rows: { id: string; name: string; archivedAt: Date | null }[]): SelectedTenant[] {
	return rows.map((r) => ({ id: r.id, name: r.name, archived: r.archivedAt !== null }));
}

/**
 * The tenants a selection names now, by name. More than `limit` is refused as a whole rather than
 * cut short, so an action never silently leaves out the tenants past the cap.
 */
export function resolveTenantSelection(db: Db, selection: TenantSelection, limit = BULK_LIMIT): ResolvedSelection {
	let tenants: SelectedTenant[];
	if (selection.scope === 'chosen') {
		const ids = [...new Set(selection.ids)];
		if (ids.length > limit) return { ok: false, reason: 'too_many', count: ids.length };
		tenants = ids.length
			? selected(
					db
						.select({ id: tenant.id, name: tenant.name, archivedAt: tenant.archivedAt })
						.from(tenant)
						.where(inArray(tenant.id, ids))
						.orderBy(asc(tenant.name), asc(tenant.id))
						.all()
				)
			: [];
	} else {
		const { filter } = selection;
		const page = selection.scope === 'page' ? selection.page : 1;
		const pageSize = selection.scope === 'page' ? Math.min(selection.pageSize, limit) : limit;
		const listed = listTenants(db, { query: filter.query, stage: filter.stage, archived: filter.archived, page, pageSize });
		if (selection.scope === 'all' && listed.total > limit) return { ok: false, reason: 'too_many', count: listed.total };
		tenants = selected(listed.tenants);
	}
	if (tenants.length === 0) return { ok: false, reason: 'empty', count: 0 };
	return { ok: true, tenants };
}
