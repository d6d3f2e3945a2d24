import { isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { webhookDelivery, webhookEndpoint } from '../db/schema';
import type { WebhookEvent } from '../../domain';

/**
 * Queues an event for every enabled endpoint subscribed to it. Call it inside the transaction of
 * the change, so an event is queued exactly when the change is stored; sending happens afterwards
 * (delivery.ts). Endpoints belong to the main connector, which may see every tenant's data; the
 * payload carries ids and the changed fields only.
 */
export function enqueueWebhookEvent(tx: DbOrTx, type: WebhookEvent, data: Record<string, unknown>, now: Date): number {
	const endpoints = tx
		.select({ id: webhookEndpoint.id, events: webhookEndpoint.events })
		.from(webhookEndpoint)
		.where(isNull(webhookEndpoint.disabledAt))
		.all()
		.filter((endpoint) => endpoint.events.includes(type));
	for (const endpoint of endpoints) {
		const id = `msg_${crypto.randomUUID().replaceAll('-', '')}`;
		const payload = JSON.stringify({ type, timestamp: now.toISOString(), data });
		tx.insert(webhookDelivery).values({ id, endpointId: endpoint.id, eventType: type, payload, createdAt: now, nextAttemptAt: now }).run();
	}
	return endpoints.length;
}
