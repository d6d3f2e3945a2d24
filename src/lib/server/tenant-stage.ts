/**
 * A tenant's stage as its agreement and checklist move it along. Kept apart from tenants/ because
 * both agreements and prerequisites advance it, and tenants/ itself sets up the checklist.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from './db';
import { tenant, type TenantStage } from './db/schema';
import { TENANT_STAGES } from '../domain';
import { audit, type Actor } from './actor';
import { enqueueWebhookEvent } from './webhooks/outbox';

/** Keeps the tenant's stage in step with its agreement; a stage never moves backwards here. */
export function advanceTenantStage(tx: DbOrTx, actor: Actor, tenantId: string, stage: TenantStage, now: Date) {
	const current = tx.select({ stage: tenant.stage }).from(tenant).where(eq(tenant.id, tenantId)).get();
	if (!current || TENANT_STAGES.indexOf(current.stage) >= TENANT_STAGES.indexOf(stage)) return;
	tx.update(tenant).set({ stage, updatedAt: now }).where(eq(tenant.id, tenantId)).run();
	audit(tx, actor, {
		tenantId,
		action: 'tenant.stage_change',
		targetType: 'tenant',
		targetId: tenantId,
		summary: `${current.stage} → ${stage} (agreement)`
	});
	enqueueWebhookEvent(tx, 'tenant.stage_changed', { tenantId, from: current.stage, to: stage }, now);
}
