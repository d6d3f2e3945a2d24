import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { tenant, type Tenant } from '../db/schema';
import { auditor, type Actor } from '../actor';
import type { SelectedTenant } from './tenant-selection';

export type ExportedTenant = Pick<
	Tenant,
	'id' | 'name' | 'businessId' | 'oid' | 'streetAddress' | 'postalCode' | 'city' | 'soteriRegistration' | 'stage' | 'archivedAt'
>;

/**
 * The selected tenants' register data for a spreadsheet, by name. Tenants' data leaving the portal
 * is recorded: one audit entry per tenant exported, written with the read in one transaction.
 */
export function exportTenants(db: Db, actor: Actor, tenants: SelectedTenant[]): ExportedTenant[] {
	if (tenants.length === 0) return [];
	return db.transaction((tx) => {
		const rows = tx
			.select({
				id: tenant.id,
				name: tenant.name,
				businessId: tenant.businessId,
				oid: tenant.oid,
				streetAddress: tenant.streetAddress,
				postalCode: tenant.postalCode,
				city: tenant.city,
				soteriRegistration: tenant.soteriRegistration,
				stage: tenant.stage,
				archivedAt: tenant.archivedAt
			})
			.from(tenant)
			.where(
				inArray(
					tenant.id,
					tenants.map((t) => t.id)
				)
			)
			.orderBy(asc(tenant.name), asc(tenant.id))
			.all();
		const record = auditor(tx);
		for (const row of rows)
			record(actor, { tenantId: row.id, action: 'tenant.export', targetType: 'tenant', targetId: row.id, summary: 'CSV' });
		return rows;
	});
}
