import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { webhookDelivery, webhookEndpoint } from '../db/schema';
import { audit, SYSTEM_ACTOR } from '../actor';
import { activePeopleWithRoles, notify } from '../notifications/notifications';
import { openSecret } from '../auth/secret-box';
import { config } from '../config';
import { SECRET_CONTEXT } from './endpoints';
import { isLocalHostname, isPublicAddress } from './addresses';
import { nextAttemptAfter, webhookHeaders } from './signing';

/** One POST, to `address` when given (the resolved and checked address), else by the URL's name. */
export interface PostRequest {
	url: URL;
	address: string | null;
	headers: Record<string, string>;
	body: string;
	timeoutMs: number;
}
/** Sends one request and answers its status (replaced in tests). */
export type Post = (request: PostRequest) => Promise<number>;

export interface DeliveryOptions {
	post?: Post;
	/** Resolves a host name to its addresses (replaced in tests). */
	resolve?: (hostname: string) => Promise<string[]>;
	production?: boolean;
	now?: () => Date;
	batch?: number;
	timeoutMs?: number;
}

/** An endpoint whose every delivery has failed for this long is disabled and its administrators told. */
export const DISABLE_AFTER_FAILING_DAYS = 3;
const DAY_MS = 86_400_000;

const resolveAll = async (hostname: string) => (await lookup(hostname, { all: true })).map((entry) => entry.address);

/**
 * A `lookup` that answers every question with the one address already checked, so the connection
 * goes exactly there: a second resolution (DNS rebinding: a short-lived record that pointed
 * outside at the check and inside at the connection) never happens. TLS still verifies the
 * certificate against the URL's name (`servername` comes from the host name, not the address).
 */
export function pinnedLookup(address: string): LookupFunction {
	const family = isIP(address);
	return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
		if (options.all) callback(null, [{ address, family }]);
		else callback(null, address, family);
	}) as LookupFunction;
}

/** The real POST with node:http(s): no redirects followed, a fresh connection, pinned when an address is given. */
export const postPinned: Post = ({ url, address, headers, body, timeoutMs }) =>
	new Promise((resolve, reject) => {
		const client = url.protocol === 'https:' ? https : http;
		const request = client.request(
			url,
			{
				method: 'POST',
				headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
				agent: false,
				...(address ? { lookup: pinnedLookup(address) } : {})
			},
			(response) => {
				response.resume();
				resolve(response.statusCode ?? 0);
			}
		);
		const timer = setTimeout(() => request.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
		request.on('close', () => clearTimeout(timer));
		request.on('error', reject);
		request.end(body);
	});

type Target = { ok: true; address: string | null } | { ok: false; problem: string };

/**
 * Where a delivery may go now. The name is resolved before each attempt and refused if any address
 * is private, loopback or link-local (loopback allowed outside production); the connection is then
 * pinned to the first checked address (postPinned), so what was checked is what is called.
 * Redirects are never followed.
 */
async function targetFor(url: URL, resolve: (hostname: string) => Promise<string[]>, production: boolean): Promise<Target> {
	if (isLocalHostname(url.hostname))
		return production ? { ok: false, problem: 'loopback address refused in production' } : { ok: true, address: null };
	let addresses: string[];
	try {
		addresses = await resolve(url.hostname.replace(/^\[|\]$/g, ''));
	} catch {
		return { ok: false, problem: 'name did not resolve' };
	}
	if (addresses.length === 0 || !addresses.every(isPublicAddress)) return { ok: false, problem: `refused address ${addresses.join(', ')}` };
	return { ok: true, address: addresses[0] };
}

/**
 * Sends what is due, outside any transaction: one attempt per delivery, its outcome recorded; a
 * failure is tried again after the backoff in signing.ts, and given up after about a day.
 */
export async function deliverDueWebhooks(db: Db, options: DeliveryOptions = {}): Promise<{ sent: number; failed: number }> {
	const post = options.post ?? postPinned;
	const resolve = options.resolve ?? resolveAll;
	const production = options.production ?? config.production;
	const now = options.now ?? (() => new Date());
	const due = db
		.select({ delivery: webhookDelivery, endpoint: webhookEndpoint })
		.from(webhookDelivery)
		.innerJoin(webhookEndpoint, eq(webhookEndpoint.id, webhookDelivery.endpointId))
		.where(
			and(
				lte(webhookDelivery.nextAttemptAt, now()),
				isNull(webhookDelivery.deliveredAt),
				isNull(webhookDelivery.gaveUpAt),
				isNull(webhookEndpoint.disabledAt)
			)
		)
		.orderBy(asc(webhookDelivery.nextAttemptAt))
		.limit(options.batch ?? 20)
		.all();
	let sent = 0;
	let failed = 0;
	for (const { delivery, endpoint } of due) {
		// An earlier delivery of this batch may have disabled the endpoint.
		if (
			db.select({ disabledAt: webhookEndpoint.disabledAt }).from(webhookEndpoint).where(eq(webhookEndpoint.id, endpoint.id)).get()
				?.disabledAt
		)
			continue;
		const url = new URL(endpoint.url);
		let status: number | null = null;
		const target = await targetFor(url, resolve, production);
		let problem: string | null = target.ok ? null : target.problem;
		if (target.ok) {
			try {
				const secret = openSecret(endpoint.secret, SECRET_CONTEXT, [config.secretKey, config.previousSecretKey]);
				const timestamp = Math.floor(now().getTime() / 1000);
				status = await post({
					url,
					address: target.address,
					headers: webhookHeaders(secret, delivery.id, timestamp, delivery.payload),
					body: delivery.payload,
					timeoutMs: options.timeoutMs ?? 10_000
				});
				if (status < 200 || status >= 300) problem = `HTTP ${status}`;
			} catch (error) {
				problem = error instanceof Error ? error.message.slice(0, 200) : 'failed';
			}
		}
		const at = now();
		const attempts = delivery.attempts + 1;
		if (!problem) {
			sent++;
			db.transaction((tx) => {
				tx.update(webhookDelivery)
					.set({ attempts, lastStatus: status, lastError: null, deliveredAt: at, nextAttemptAt: null })
					.where(eq(webhookDelivery.id, delivery.id))
					.run();
				tx.update(webhookEndpoint).set({ failingSince: null }).where(eq(webhookEndpoint.id, endpoint.id)).run();
			});
			continue;
		}
		failed++;
		const next = nextAttemptAfter(attempts, at);
		db.transaction((tx) => {
			tx.update(webhookDelivery)
				.set({ attempts, lastStatus: status, lastError: problem, nextAttemptAt: next, gaveUpAt: next ? null : at })
				.where(eq(webhookDelivery.id, delivery.id))
				.run();
			recordFailure(tx, endpoint.id, at);
		});
	}
	return { sent, failed };
}

/**
 * Notes a failed attempt on the endpoint. The first failure since the last success starts the
 * clock; a failure when it has run DISABLE_AFTER_FAILING_DAYS disables the endpoint (no success in
 * between, since a success stops the clock), audited, and tells the administrators of the
 * endpoint's organisation (in the portal and in their daily digest mail). Events are not queued
 * for it while disabled; what was queued waits and is sent once it is re-enabled.
 */
function recordFailure(tx: Tx, endpointId: string, at: Date): void {
	const endpoint = tx.select().from(webhookEndpoint).where(eq(webhookEndpoint.id, endpointId)).get();
	if (!endpoint || endpoint.disabledAt) return;
	if (!endpoint.failingSince) {
		tx.update(webhookEndpoint).set({ failingSince: at }).where(eq(webhookEndpoint.id, endpointId)).run();
		return;
	}
	if (at.getTime() - endpoint.failingSince.getTime() < DISABLE_AFTER_FAILING_DAYS * DAY_MS) return;
	tx.update(webhookEndpoint).set({ disabledAt: at, disabledReason: 'failing' }).where(eq(webhookEndpoint.id, endpointId)).run();
	audit(tx, SYSTEM_ACTOR, {
		tenantId: endpoint.tenantId,
		action: 'webhook.disable',
		targetType: 'webhook_endpoint',
		targetId: endpointId,
		summary: `${endpoint.url}: every delivery failed since ${endpoint.failingSince.toISOString()}`
	});
	const owners = endpoint.tenantId
		? activePeopleWithRoles(tx, endpoint.tenantId, ['tenant_admin'])
		: activePeopleWithRoles(tx, null, ['mc_admin']);
	notify(tx, owners, 'webhook_disabled', { url: endpoint.url, days: DISABLE_AFTER_FAILING_DAYS }, '/webhooks', at);
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
