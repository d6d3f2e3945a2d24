import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { securityPlan, tenant } from '../db/schema';
import { audit, type Actor } from '../actor';
import { ensurePlan, getPlan, type PlanOwner, type PlanRow } from './plan';

/**
 * A tenant's own information-security plan (THL 3/2024: each service provider makes one for its own
 * activity), kept in the same workspace as the main connector's. It is the tenant's alone: the main
 * connector's plan readers see it, read-only, only once the tenant shares it with them.
 */

/** Shares the tenant's plan with the main connector, or stops sharing it; false for the main connector's own plan. */
export function setSharedWithMainConnector(db: Db, actor: Actor, owner: PlanOwner, shared: boolean, now = new Date()): boolean {
	if (owner.tenantId === null) return false;
	return db.transaction((tx) => {
		const plan = ensurePlan(tx, actor, owner, now);
		if (!plan) return false;
		tx.update(securityPlan).set({ sharedWithMainConnector: shared }).where(eq(securityPlan.id, plan.id)).run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.share_with_main_connector',
			targetType: 'security_plan',
			targetId: plan.id,
			summary: shared ? 'shared with the main connector (read only)' : 'no longer shared with the main connector'
		});
		return true;
	});
}

/**
 * A tenant's plan as `reader` may read it: the tenant's own people always, the main connector's people
 * only while it is shared; otherwise undefined, as if it did not exist. `can()` has already decided the
 * reader holds `security_plan.read` for this tenant.
 */
export function readableTenantPlan(db: DbOrTx, reader: { tenantId: string | null }, tenantId: string): PlanRow | undefined {
	const plan = getPlan(db, { tenantId });
	if (!plan) return undefined;
	if (reader.tenantId === tenantId) return plan;
	return reader.tenantId === null && plan.sharedWithMainConnector ? plan : undefined;
}

/** The main connector's read of a tenant's shared plan is recorded, as every read of a confidential plan. */
export function auditSharedRead(db: Db, actor: Actor, plan: PlanRow, purpose: string): void {
	audit(db, actor, {
		tenantId: plan.tenantId,
		action: 'security_plan.shared_read',
		targetType: 'security_plan',
		targetId: plan.id,
		summary: purpose
	});
}

export const tenantName = (db: DbOrTx, tenantId: string): string =>
	db.select({ name: tenant.name }).from(tenant).where(eq(tenant.id, tenantId)).get()?.name ?? '';
