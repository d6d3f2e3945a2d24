import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ADMIN_ACTOR, freshDb, insertTenantRow, insertUser } from '../test-support';
import { webhookDelivery } from '../db/schema';
import { setTenantStage } from '../tenants/tenants';
import { deactivatePerson } from '../people/people';
import { checkWebhookUrl, createWebhookEndpoint, listWebhookDeliveries, rotateWebhookSecret } from './endpoints';
import { deliverDueWebhooks } from './delivery';
import { enqueueWebhookEvent } from './outbox';
import { isPublicAddress } from './addresses';
import { verifySignature } from './signing';

interface Received {
	headers: IncomingHttpHeaders;
	body: string;
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** A receiver on localhost answering with the given statuses in turn. */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[] }> {
	const received: Received[] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			received.push({ headers: req.headers, body });
			res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)];
			res.end();
		});
	});
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://localhost:${(server.address() as AddressInfo).port}/hook`, received };
}

function world() {
	const db = freshDb();
	const admin = insertUser(db, { roles: ['mc_admin'] });
	const tenantId = insertTenantRow(db);
	return { db, admin, tenantId };
}

describe('webhooks', () => {
	it('accept HTTPS endpoints, and plain HTTP only to this machine outside production', () => {
		expect(checkWebhookUrl('https://hooks.example.fi/liitos', true)).toMatchObject({ ok: true });
		expect(checkWebhookUrl('http://hooks.example.fi/liitos', false)).toEqual({ ok: false, reason: 'not_https' });
		expect(checkWebhookUrl('http://localhost:8080/x', false)).toMatchObject({ ok: true });
		expect(checkWebhookUrl('http://localhost:8080/x', true)).toEqual({ ok: false, reason: 'not_https' });
		expect(checkWebhookUrl('https://127.0.0.1/x', true)).toEqual({ ok: false, reason: 'private_address' });
		expect(checkWebhookUrl('https://user:pw@hooks.example.fi/', true)).toEqual({ ok: false, reason: 'credentials' });
		expect(checkWebhookUrl('javascript:alert(1)', false)).toEqual({ ok: false, reason: 'not_https' });
		expect(
			['10.1.2.3', '192.168.1.1', '172.20.0.1', '169.254.169.254', '127.0.0.1', '::1', 'fd00::1', 'fe80::1', '100.64.0.1'].filter(
				isPublicAddress
			)
		).toEqual([]);
		expect(['8.8.8.8', '2001:4860:4860::8888', '::ffff:8.8.8.8'].every(isPublicAddress)).toBe(true);
	});

	it('queue an event in the transaction of the change, and none when it rolls back', () => {
		const { db, admin, tenantId } = world();
		createWebhookEndpoint(db, ADMIN_ACTOR, admin.id, { url: 'http://localhost:9/x', events: ['tenant.stage_changed'] }, new Date(), false);
		createWebhookEndpoint(db, ADMIN_ACTOR, admin.id, { url: 'http://localhost:9/y', events: ['incident.reported'] }, new Date(), false);
		setTenantStage(db, ADMIN_ACTOR, tenantId, 'onboarding');
		const queued = db.select().from(webhookDelivery).all();
		expect(queued).toHaveLength(1);
		expect(JSON.parse(queued[0].payload)).toMatchObject({
			type: 'tenant.stage_changed',
			data: { tenantId, from: 'invited', to: 'onboarding' }
		});
		expect(() =>
			db.transaction((tx) => {
				enqueueWebhookEvent(tx, 'tenant.stage_changed', { tenantId }, new Date());
				throw new Error('the change fails');
			})
		).toThrow();
		expect(db.select().from(webhookDelivery).all()).toHaveLength(1);
	});

	it('queue a person leaving, once', () => {
		const { db, admin, tenantId } = world();
		createWebhookEndpoint(db, ADMIN_ACTOR, admin.id, { url: 'http://localhost:9/x', events: ['person.deactivated'] }, new Date(), false);
		const leaver = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		deactivatePerson(db, ADMIN_ACTOR, leaver);
		deactivatePerson(db, ADMIN_ACTOR, { ...leaver, status: 'deactivated' });
		const queued = db.select().from(webhookDelivery).all();
		expect(queued.map((d) => JSON.parse(d.payload).data)).toEqual([{ userId: leaver.id, tenantId }]);
	});

	it('deliver signed payloads to a real receiver, retrying after a 500 with backoff', async () => {
		const { db, admin, tenantId } = world();
		const { url, received } = await receiver([500, 204]);
		const created = createWebhookEndpoint(db, ADMIN_ACTOR, admin.id, { url, events: ['tenant.stage_changed'] }, new Date(), false);
		if (!created.ok) throw new Error(created.reason);
		setTenantStage(db, ADMIN_ACTOR, tenantId, 'onboarding');
		let clock = new Date();
		const options = { production: false, now: () => clock };
		expect(await deliverDueWebhooks(db, options)).toEqual({ sent: 0, failed: 1 });
		const [failed] = listWebhookDeliveries(db);
		expect(failed).toMatchObject({ attempts: 1, lastStatus: 500, lastError: 'HTTP 500', deliveredAt: null });
		expect(failed.nextAttemptAt!.getTime() - clock.getTime()).toBe(5_000);
		// Not due yet: nothing is sent.
		expect(await deliverDueWebhooks(db, options)).toEqual({ sent: 0, failed: 0 });
		clock = new Date(clock.getTime() + 5_000);
		expect(await deliverDueWebhooks(db, options)).toEqual({ sent: 1, failed: 0 });
		expect(received).toHaveLength(2);
		const nowSeconds = Math.floor(clock.getTime() / 1000);
		for (const { headers, body } of received) {
			expect(verifySignature(created.secret, headers as Record<string, string>, body, nowSeconds)).toBe(true);
			expect(headers['webhook-id']).toBe(failed.id);
		}
		expect(listWebhookDeliveries(db)[0]).toMatchObject({ attempts: 2, lastStatus: 204, deliveredAt: clock });
	});

	it('refuse private addresses, give up after the last retry, and sign with a rotated secret', async () => {
		const { db, admin } = world();
		const created = createWebhookEndpoint(
			db,
			ADMIN_ACTOR,
			admin.id,
			{ url: 'https://hooks.example.fi/x', events: ['incident.reported'] },
			new Date(),
			true
		);
		if (!created.ok) throw new Error(created.reason);
		enqueueWebhookEvent(db, 'incident.reported', { id: 'r1' }, new Date());
		let calls = 0;
		const fetchStub = (async () => {
			calls++;
			return new Response(null, { status: 200 });
		}) as typeof fetch;
		let clock = new Date();
		const options = { production: true, now: () => clock, fetch: fetchStub, resolve: async () => ['10.0.0.5'] };
		for (let attempt = 0; attempt < 8; attempt++) {
			await deliverDueWebhooks(db, options);
			clock = new Date(clock.getTime() + 15 * 3_600_000);
		}
		expect(calls).toBe(0);
		const [row] = listWebhookDeliveries(db);
		expect(row.lastError).toContain('refused address 10.0.0.5');
		expect(row.gaveUpAt).not.toBeNull();
		expect(row.attempts).toBe(8);

		const rotated = rotateWebhookSecret(db, ADMIN_ACTOR, created.id)!;
		expect(rotated).not.toBe(created.secret);
		enqueueWebhookEvent(db, 'incident.reported', { id: 'r2' }, clock);
		let signedWith: Record<string, string> = {};
		let body = '';
		const capture = (async (_url: URL, init: RequestInit) => {
			signedWith = init.headers as Record<string, string>;
			body = String(init.body);
			return new Response(null, { status: 200 });
		}) as unknown as typeof fetch;
		await deliverDueWebhooks(db, { ...options, fetch: capture, resolve: async () => ['93.184.216.34'] });
		expect(verifySignature(rotated, signedWith, body, Math.floor(clock.getTime() / 1000))).toBe(true);
		expect(db.select().from(webhookDelivery).where(eq(webhookDelivery.eventType, 'incident.reported')).all()).toHaveLength(2);
	});
});
