import { lookup } from 'node:dns/promises';
import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { Db } from '../db';
import { webhookDelivery, webhookEndpoint } from '../db/schema';
import { openSecret } from '../auth/secret-box';
import { config } from '../config';
import { SECRET_CONTEXT } from './endpoints';
import { isLocalHostname, isPublicAddress } from './addresses';
import { nextAttemptAfter, webhookHeaders } from './signing';

export interface DeliveryOptions {
	fetch?: typeof fetch;
	/** Resolves a host name to its addresses (replaced in tests). */
	resolve?: (hostname: string) => Promise<string[]>;
	production?: boolean;
	now?: () => Date;
	batch?: number;
	timeoutMs?: number;
}

const resolveAll = async (hostname: string) => (await lookup(hostname, { all: true })).map((entry) => entry.address);

/**
 * Why an address may not be called now, or null. The name is resolved before each attempt and
 * refused if any address is private, loopback or link-local (loopback allowed outside production).
 * Redirects are never followed. (A name that changes between this check and the connection is not
 * caught: pinning the address would need a custom agent.)
 */
async function refusalFor(url: URL, resolve: (hostname: string) => Promise<string[]>, production: boolean): Promise<string | null> {
	if (isLocalHostname(url.hostname)) return production ? 'loopback address refused in production' : null;
	let addresses: string[];
	try {
		addresses = await resolve(url.hostname.replace(/^\[|\]$/g, ''));
	} catch {
		return 'name did not resolve';
	}
	if (addresses.length === 0 || !addresses.every(isPublicAddress)) return `refused address ${addresses.join(', ')}`;
	return null;
}

/**
 * Sends what is due, outside any transaction: one attempt per delivery, its outcome recorded; a
 * failure is tried again after the backoff in signing.ts, and given up after about a day.
 */
export async function deliverDueWebhooks(db: Db, options: DeliveryOptions = {}): Promise<{ sent: number; failed: number }> {
	const send = options.fetch ?? fetch;
	const resolve = options.resolve ?? resolveAll;
	const production = options.production ?? config.production;
	const now = options.now ?? (() => new Date());
	const due = db
		.select({ delivery: webhookDelivery, endpoint: webhookEndpoint })
		.from(webhookDelivery)
		.innerJoin(webhookEndpoint, eq(webhookEndpoint.id, webhookDelivery.endpointId))
		.where(and(lte(webhookDelivery.nextAttemptAt, now()), isNull(webhookDelivery.deliveredAt), isNull(webhookDelivery.gaveUpAt)))
		.orderBy(asc(webhookDelivery.nextAttemptAt))
		.limit(options.batch ?? 20)
		.all();
	let sent = 0;
	let failed = 0;
	for (const { delivery, endpoint } of due) {
		const url = new URL(endpoint.url);
		let status: number | null = null;
		let problem: string | null = await refusalFor(url, resolve, production);
		if (!problem) {
			try {
				const secret = openSecret(endpoint.secret, SECRET_CONTEXT, [config.secretKey, config.previousSecretKey]);
				const timestamp = Math.floor(now().getTime() / 1000);
				const response = await send(url, {
					method: 'POST',
					headers: webhookHeaders(secret, delivery.id, timestamp, delivery.payload),
					body: delivery.payload,
					redirect: 'manual',
					signal: AbortSignal.timeout(options.timeoutMs ?? 10_000)
				});
				status = response.status;
				await response.body?.cancel();
				if (status < 200 || status >= 300) problem = `HTTP ${status}`;
			} catch (error) {
				problem = error instanceof Error ? error.message.slice(0, 200) : 'failed';
			}
		}
		const at = now();
		const attempts = delivery.attempts + 1;
		if (!problem) {
			sent++;
			db.update(webhookDelivery)
				.set({ attempts, lastStatus: status, lastError: null, deliveredAt: at, nextAttemptAt: null })
				.where(eq(webhookDelivery.id, delivery.id))
				.run();
			continue;
		}
		failed++;
		const next = nextAttemptAfter(attempts, at);
		db.update(webhookDelivery)
			.set({ attempts, lastStatus: status, lastError: problem, nextAttemptAt: next, gaveUpAt: next ? null : at })
			.where(eq(webhookDelivery.id, delivery.id))
			.run();
	}
	return { sent, failed };
}

let timer: ReturnType<typeof setInterval> | undefined;
let running = false;

/** Sends due webhooks every few seconds in the server process. */
export function startWebhookDelivery(db: Db, everyMs = 5_000): void {
	if (timer) return;
	timer = setInterval(() => {
		if (running) return;
		running = true;
		deliverDueWebhooks(db)
			.catch((error) => console.error('webhook delivery failed:', error))
			.finally(() => (running = false));
	}, everyMs);
	timer.unref();
}
