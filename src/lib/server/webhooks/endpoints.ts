import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { user, webhookDelivery, webhookEndpoint, WEBHOOK_EVENTS, type WebhookEvent } from '../db/schema';
import { audit, type Actor } from '../actor';
import { sealSecret } from '../auth/secret-box';
import { config } from '../config';
import { generateWebhookSecret } from './signing';
import { isLocalHostname } from './addresses';

export const SECRET_CONTEXT = 'webhook_endpoint.secret';

/**
 * Whose endpoints: the main connector's (null) or one tenant's. Each organisation's administrators
 * see and change their own organisation's endpoints only; another's answer as unknown.
 */
export type EndpointOwner = string | null;
const ownedBy = (owner: EndpointOwner): SQL => (owner === null ? isNull(webhookEndpoint.tenantId) : eq(webhookEndpoint.tenantId, owner));

export type UrlRefusal = 'not_a_url' | 'not_https' | 'private_address' | 'credentials';
export type UrlCheck = { ok: true; url: string } | { ok: false; reason: UrlRefusal };

/**
 * An endpoint address must be HTTPS; plain HTTP only to this machine outside production (for
 * development). Addresses are resolved again before every delivery (delivery.ts).
 */
export function checkWebhookUrl(text: string, production = config.production): UrlCheck {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return { ok: false, reason: 'not_a_url' };
	}
	if (url.username || url.password) return { ok: false, reason: 'credentials' };
	const local = isLocalHostname(url.hostname);
	if (url.protocol === 'http:' && !(local && !production)) return { ok: false, reason: 'not_https' };
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'not_https' };
	if (local && production) return { ok: false, reason: 'private_address' };
	return { ok: true, url: url.toString() };
}

export type CreateEndpointResult = { ok: true; id: string; secret: string } | { ok: false; reason: UrlRefusal };

export function createWebhookEndpoint(
	db: Db,
	actor: Actor,
	creatorId: string,
	input: { url: string; events: WebhookEvent[]; tenantId?: string | null },
	now = new Date(),
	production = config.production
): CreateEndpointResult {
	const checked = checkWebhookUrl(input.url, production);
	if (!checked.ok) return checked;
	const secret = generateWebhookSecret();
	const id = crypto.randomUUID();
	const events = WEBHOOK_EVENTS.filter((event) => input.events.includes(event));
	db.transaction((tx) => {
		tx.insert(webhookEndpoint)
			.values({
				id,
				tenantId: input.tenantId ?? null,
				url: checked.url,
				secret: sealSecret(secret, SECRET_CONTEXT, config.secretKey),
				events,
				createdBy: creatorId,
				createdAt: now
			})
			.run();
		audit(tx, actor, {
			tenantId: input.tenantId ?? null,
			action: 'webhook.create',
			targetType: 'webhook_endpoint',
			targetId: id,
			summary: `${checked.url} (${events.join(' ')})`
		});
	});
	return { ok: true, id, secret };
}

/** A new secret for the endpoint, returned once; deliveries still queued are signed with it. */
export function rotateWebhookSecret(db: Db, actor: Actor, id: string, owner: EndpointOwner): string | null {
	const secret = generateWebhookSecret();
	return db.transaction((tx) => {
		const changed = tx
			.update(webhookEndpoint)
			.set({ secret: sealSecret(secret, SECRET_CONTEXT, config.secretKey) })
			.where(and(eq(webhookEndpoint.id, id), ownedBy(owner)))
			.run();
		if (!changed.changes) return null;
		audit(tx, actor, { tenantId: owner, action: 'webhook.rotate_secret', targetType: 'webhook_endpoint', targetId: id });
		return secret;
	});
}

/** Puts a disabled endpoint back to work: deliveries still queued go out at the next pass. */
export function enableWebhookEndpoint(db: Db, actor: Actor, id: string, owner: EndpointOwner): boolean {
	return db.transaction((tx) => {
		const found = tx
			.select()
			.from(webhookEndpoint)
			.where(and(eq(webhookEndpoint.id, id), ownedBy(owner)))
			.get();
		if (!found?.disabledAt) return false;
		tx.update(webhookEndpoint).set({ disabledAt: null, disabledReason: null, failingSince: null }).where(eq(webhookEndpoint.id, id)).run();
		audit(tx, actor, {
			tenantId: found.tenantId,
			action: 'webhook.enable',
			targetType: 'webhook_endpoint',
			targetId: id,
			summary: found.url
		});
		return true;
	});
}

export function removeWebhookEndpoint(db: Db, actor: Actor, id: string, owner: EndpointOwner): boolean {
	return db.transaction((tx) => {
		const found = tx
			.select()
			.from(webhookEndpoint)
			.where(and(eq(webhookEndpoint.id, id), ownedBy(owner)))
			.get();
		if (!found) return false;
		tx.delete(webhookEndpoint).where(eq(webhookEndpoint.id, id)).run();
		audit(tx, actor, { tenantId: owner, action: 'webhook.remove', targetType: 'webhook_endpoint', targetId: id, summary: found.url });
		return true;
	});
}

export function listWebhookEndpoints(db: DbOrTx, owner: EndpointOwner) {
	return db
		.select({
			id: webhookEndpoint.id,
			url: webhookEndpoint.url,
			events: webhookEndpoint.events,
			createdAt: webhookEndpoint.createdAt,
			disabledAt: webhookEndpoint.disabledAt,
			disabledReason: webhookEndpoint.disabledReason,
			createdByName: user.name
		})
		.from(webhookEndpoint)
		.innerJoin(user, eq(user.id, webhookEndpoint.createdBy))
		.where(ownedBy(owner))
		.orderBy(desc(webhookEndpoint.createdAt))
		.all();
}

/** The delivery log, newest first. */
export function listWebhookDeliveries(db: DbOrTx, owner: EndpointOwner, limit = 50) {
	return db
		.select({ delivery: webhookDelivery, url: webhookEndpoint.url })
		.from(webhookDelivery)
		.innerJoin(webhookEndpoint, eq(webhookEndpoint.id, webhookDelivery.endpointId))
		.where(ownedBy(owner))
		.orderBy(desc(webhookDelivery.createdAt), desc(webhookDelivery.id))
		.limit(limit)
		.all()
		.map(({ delivery, url }) => ({ ...delivery, url }));
}

/** Sends a delivery again (a manual redelivery): queued now, its attempts kept in the log. */
export function redeliverWebhook(db: Db, actor: Actor, id: string, owner: EndpointOwner, now = new Date()): boolean {
	return db.transaction((tx) => {
		const own = tx
			.select({ id: webhookDelivery.id })
			.from(webhookDelivery)
			.innerJoin(webhookEndpoint, eq(webhookEndpoint.id, webhookDelivery.endpointId))
			.where(and(eq(webhookDelivery.id, id), ownedBy(owner)))
			.get();
		if (!own) return false;
		const changed = tx
			.update(webhookDelivery)
			.set({ nextAttemptAt: now, deliveredAt: null, gaveUpAt: null })
			.where(eq(webhookDelivery.id, id))
			.run();
		if (!changed.changes) return false;
		audit(tx, actor, { tenantId: owner, action: 'webhook.redeliver', targetType: 'webhook_delivery', targetId: id });
		return true;
	});
}
