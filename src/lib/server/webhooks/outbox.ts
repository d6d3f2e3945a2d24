import { isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { webhookDelivery, webhookEndpoint } from '../db/schema';
import type { WebhookEvent } from '../../domain';

/**
 * What an event is about: `tenantId` for one tenant's event, `tenantIds` when it concerns several
 * (an incident), neither when only the main connector's own data is concerned.
 */
export interface WebhookEventData extends Record<string, unknown> {
	tenantId?: string | null;
	tenantIds?: string[];
}

function tenantsOf(data: WebhookEventData): string[] {
	if (Array.isArray(data.tenantIds)) return data.tenantIds;
	return data.tenantId ? [data.tenantId] : [];
}

/**
 * The payload as one endpoint may see it. The main connector's endpoints see every tenant's
 * events (as its administrators do); a tenant's endpoint sees only events about that tenant, and
 * of an event concerning several tenants only its own id.
 */
function dataFor(endpointTenantId: string | null, data: WebhookEventData): WebhookEventData | null {
	if (endpointTenantId === null) return data;
	if (!tenantsOf(data).includes(endpointTenantId)) return null;
	return Array.isArray(data.tenantIds) ? { ...data, tenantIds: [endpointTenantId] } : data;
}

/**
 * Queues an event for every enabled endpoint subscribed to it that may see it. Call it inside the
 * transaction of the change, so an event is queued exactly when the change is stored; sending
 * happens afterwards (delivery.ts). The payload carries ids and the changed fields only.
 */
export function enqueueWebhookEvent(tx: DbOrTx, type: WebhookEvent, data: WebhookEventData, now: Date): number {
	const endpoints = tx
		.select({ id: webhookEndpoint.id, tenantId: webhookEndpoint.tenantId, events: webhookEndpoint.events })
		.from(webhookEndpoint)
		.where(isNull(webhookEndpoint.disabledAt))
		.all()
		.filter((endpoint) => endpoint.events.includes(type));
	let queued = 0;
	for (const endpoint of endpoints) {
		const visible = dataFor(endpoint.tenantId, data);
		if (!visible) continue;
		const id = `msg_${crypto.randomUUID().replaceAll('-', '')}`;
		const payload = JSON.stringify({ type, timestamp: now.toISOString(), data: visible });
		tx.insert(webhookDelivery).values({ id, endpointId: endpoint.id, eventType: type, payload, createdAt: now, nextAttemptAt: now }).run();
		queued++;
	}
	return queued;
}
