/**
 * Whom a report concerns, and so who controls the documents it is about (agreement §14): each
 * tenant named is the controller of its own activity's documents, the main connector of its own
 * staff's. The controller decides on a suspected breach; the other party sees, assists and is told.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { incidentTenant, tenant, tenantContact, type IncidentReport } from '../db/schema';
import type { SessionUser } from '../auth/session';

/** The controller key of the main connector's own activity (a tenant's key is its id). */
export const MAIN_CONNECTOR_CONTROLLER = 'main_connector';

export interface Controller {
	key: string;
	/** Null for the main connector. */
	tenantId: string | null;
	/** The tenant's name; null for the main connector. */
	name: string | null;
}

/** The tenants `reportId` concerns, by name. */
export function concernedTenants(db: DbOrTx, reportId: string): { id: string; name: string }[] {
	return db
		.select({ id: tenant.id, name: tenant.name })
		.from(incidentTenant)
		.innerJoin(tenant, eq(tenant.id, incidentTenant.tenantId))
		.where(eq(incidentTenant.reportId, reportId))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.all();
}

/** The concerned tenants of several reports at once (a page of the list). */
export function concernedTenantsOf(db: DbOrTx, reportIds: string[]): Map<string, { id: string; name: string }[]> {
	const byReport = new Map<string, { id: string; name: string }[]>(reportIds.map((id) => [id, []]));
	if (reportIds.length === 0) return byReport;
	const rows = db
		.select({ reportId: incidentTenant.reportId, id: tenant.id, name: tenant.name })
		.from(incidentTenant)
		.innerJoin(tenant, eq(tenant.id, incidentTenant.tenantId))
		.where(inArray(incidentTenant.reportId, reportIds))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.all();
	for (const row of rows) byReport.get(row.reportId)?.push({ id: row.id, name: row.name });
	return byReport;
}

/** Every controller of the documents a report concerns: its tenants, then the main connector if named. */
export function reportControllers(db: DbOrTx, report: Pick<IncidentReport, 'id' | 'concernsMainConnector'>): Controller[] {
	const tenants: Controller[] = concernedTenants(db, report.id).map((t) => ({ key: t.id, tenantId: t.id, name: t.name }));
	return report.concernsMainConnector ? [...tenants, { key: MAIN_CONNECTOR_CONTROLLER, tenantId: null, name: null }] : tenants;
}

/**
 * The controllers a viewer is shown. The main connector's people see all; a tenant's people their
 * own tenant and the main connector, never which other tenants the same report concerns.
 */
export function controllersShownTo(viewer: Pick<SessionUser, 'tenantId'>, controllers: Controller[]): Controller[] {
	if (viewer.tenantId === null) return controllers;
	return controllers.filter((c) => c.tenantId === null || c.tenantId === viewer.tenantId);
}

/** Whether the report concerns `tenantId`. */
export function concernsTenant(db: DbOrTx, reportId: string, tenantId: string): boolean {
	return (
		db
			.select({ id: incidentTenant.tenantId })
			.from(incidentTenant)
			.where(and(eq(incidentTenant.reportId, reportId), eq(incidentTenant.tenantId, tenantId)))
			.get() !== undefined
	);
}

/** Records whom a new report concerns. */
export function saveConcernedTenants(tx: DbOrTx, reportId: string, tenantIds: string[]): void {
	if (tenantIds.length)
		tx.insert(incidentTenant)
			.values(tenantIds.map((tenantId) => ({ reportId, tenantId })))
			.run();
}

/** A tenant's contact persons: told of a suspected breach concerning it, and reminded while its decision is missing. */
export function tenantContacts(db: DbOrTx, tenantId: string): { name: string; email: string }[] {
	return db
		.select({ name: tenantContact.name, email: tenantContact.email })
		.from(tenantContact)
		.where(eq(tenantContact.tenantId, tenantId))
		.all();
}
