import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ADMIN_ACTOR, freshDb, insertTenantRow, insertUser } from '../test-support';
import { auditEntry, notification, webhookDelivery, webhookEndpoint } from '../db/schema';
import { setTenantStage } from '../tenants/tenants';
import { deactivatePerson } from '../people/people';
import { checkWebhookUrl, createWebhookEndpoint, enableWebhookEndpoint, listWebhookDeliveries, rotateWebhookSecret } from './endpoints';
import { deliverDueWebhooks, DISABLE_AFTER_FAILING_DAYS, postPinned, type Post, type PostRequest } from './delivery';
import { enqueueWebhookEvent } from './outbox';
import { isPublicAddress } from './addresses';
import { RETRY_DELAYS_MS, verifySignature } from './signing';
import { describeNotification } from '../reminders/reminders';

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
		const [failed] = listWebhookDeliveries(db, null);
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
		expect(listWebhookDeliveries(db, null)[0]).toMatchObject({ attempts: 2, lastStatus: 204, deliveredAt: clock });
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
		const postStub: Post = async () => {
			calls++;
			return 200;
		};
		let clock = new Date();
		const options = { production: true, now: () => clock, post: postStub, resolve: async () => ['10.0.0.5'] };
		for (let attempt = 0; attempt < 8; attempt++) {
			await deliverDueWebhooks(db, options);
			// Each retry as soon as it is due (waiting longer would run into disabling after days).
			clock = new Date(clock.getTime() + (RETRY_DELAYS_MS[attempt] ?? 0));
		}
		expect(calls).toBe(0);
		const [row] = listWebhookDeliveries(db, null);
		expect(row.lastError).toContain('refused address 10.0.0.5');
		expect(row.gaveUpAt).not.toBeNull();
		expect(row.attempts).toBe(8);

		const rotated = rotateWebhookSecret(db, ADMIN_ACTOR, created.id, null)!;
		expect(rotated).not.toBe(created.secret);
		enqueueWebhookEvent(db, 'incident.reported', { id: 'r2' }, clock);
		let signedWith: Record<string, string> = {};
		let body = '';
		const capture: Post = async (request) => {
			signedWith = request.headers;
			body = request.body;
			return 200;
		};
		await deliverDueWebhooks(db, { ...options, post: capture, resolve: async () => ['93.184.216.34'] });
		expect(verifySignature(rotated, signedWith, body, Math.floor(clock.getTime() / 1000))).toBe(true);
		expect(db.select().from(webhookDelivery).where(eq(webhookDelivery.eventType, 'incident.reported')).all()).toHaveLength(2);
	});

	it('connect to the address that was checked, never resolving the name a second time (DNS rebinding)', async () => {
		// The real request: a name that resolves nowhere (.invalid) reaches the local receiver only
		// because the connection is pinned to the address given.
		const { url, received } = await receiver([204]);
		const port = new URL(url).port;
		const status = await postPinned({
			url: new URL(`http://rebind.invalid:${port}/hook`),
			address: '127.0.0.1',
			headers: { 'content-type': 'application/json' },
			body: '{}',
			timeoutMs: 5_000
		});
		expect(status).toBe(204);
		expect(received).toHaveLength(1);
		expect(received[0].headers.host).toBe(`rebind.invalid:${port}`);

		// A resolver that answers a public address first and an internal one after: the delivery
		// resolves once per attempt and connects to what it checked.
		const { db, admin } = world();
		createWebhookEndpoint(
			db,
			ADMIN_ACTOR,
			admin.id,
			{ url: 'https://hooks.example.fi/x', events: ['incident.reported'] },
			new Date(),
			true
		);
		enqueueWebhookEvent(db, 'incident.reported', { id: 'r1' }, new Date());
		const answers = [['93.184.216.34'], ['10.0.0.5']];
		let lookups = 0;
		const resolve = async () => answers[Math.min(lookups++, answers.length - 1)];
		const posted: PostRequest[] = [];
		const post: Post = async (request) => {
			posted.push(request);
			return 200;
		};
		expect(await deliverDueWebhooks(db, { production: true, resolve, post })).toEqual({ sent: 1, failed: 0 });
		expect(lookups).toBe(1);
		expect(posted.map((p) => [p.url.hostname, p.address])).toEqual([['hooks.example.fi', '93.184.216.34']]);
		// The next attempt resolves again, and the rebound address is refused before any connection.
		enqueueWebhookEvent(db, 'incident.reported', { id: 'r2' }, new Date());
		expect(await deliverDueWebhooks(db, { production: true, resolve, post })).toEqual({ sent: 0, failed: 1 });
		expect(posted).toHaveLength(1);
	});

	it('disable an endpoint whose every delivery failed for days, tell its administrators, and re-enable it', async () => {
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
		let answer = 500;
		let posts = 0;
		const post: Post = async () => {
			posts++;
			return answer;
		};
		const t0 = new Date('2026-03-01T08:00:00Z');
		let clock = t0;
		const options = { production: true, now: () => clock, post, resolve: async () => ['93.184.216.34'] };
		const endpointRow = () => db.select().from(webhookEndpoint).where(eq(webhookEndpoint.id, created.id)).get()!;

		// A failure, then a success: the clock stops.
		enqueueWebhookEvent(db, 'incident.reported', { id: 'r0' }, clock);
		await deliverDueWebhooks(db, options);
		expect(endpointRow().failingSince).toEqual(t0);
		answer = 200;
		clock = new Date(t0.getTime() + 10_000);
		await deliverDueWebhooks(db, options);
		expect(endpointRow().failingSince).toBeNull();

		// Failing from t0 + 1 day on: retried through its backoff, still enabled within three days.
		answer = 500;
		const start = new Date(t0.getTime() + 86_400_000);
		clock = start;
		enqueueWebhookEvent(db, 'incident.reported', { id: 'r1' }, clock);
		for (let hour = 0; hour < 48; hour++) {
			await deliverDueWebhooks(db, options);
			clock = new Date(clock.getTime() + 3_600_000);
		}
		expect(endpointRow()).toMatchObject({ failingSince: start, disabledAt: null });
		expect(db.select().from(notification).all()).toEqual([]);

		// Three days after the first failure, another failure disables it.
		clock = new Date(start.getTime() + DISABLE_AFTER_FAILING_DAYS * 86_400_000);
		enqueueWebhookEvent(db, 'incident.reported', { id: 'r2' }, clock);
		enqueueWebhookEvent(db, 'incident.reported', { id: 'r3' }, clock);
		const before = posts;
		await deliverDueWebhooks(db, options);
		expect(posts - before).toBe(1); // the second of the batch is not tried once disabled
		expect(endpointRow()).toMatchObject({ disabledAt: clock, disabledReason: 'failing' });
		const disabledAudit = db.select().from(auditEntry).where(eq(auditEntry.action, 'webhook.disable')).all();
		expect(disabledAudit).toHaveLength(1);
		expect(disabledAudit[0].targetId).toBe(created.id);
		// The main connector's administrators are told (the endpoint belongs to the main connector).
		expect(
			db
				.select()
				.from(notification)
				.all()
				.map((n) => [n.userId, n.kind, n.link])
		).toEqual([[admin.id, 'webhook_disabled', '/webhooks']]);
		// In the portal and in the digest mail, in the reader's language.
		const [notice] = db.select().from(notification).all();
		expect(describeNotification(notice, 'en')).toBe(
			'Webhook address https://hooks.example.fi/x was disabled: deliveries failed for 3 days'
		);
		expect(describeNotification(notice, 'fi')).toContain('poistettiin käytöstä');

		// While disabled: nothing is sent and no event is queued for it.
		expect(enqueueWebhookEvent(db, 'incident.reported', { id: 'r4' }, clock)).toBe(0);
		clock = new Date(clock.getTime() + 86_400_000);
		expect(await deliverDueWebhooks(db, options)).toEqual({ sent: 0, failed: 0 });

		// Re-enabled (audited): what was still queued goes out.
		answer = 204;
		expect(enableWebhookEndpoint(db, ADMIN_ACTOR, created.id, null)).toBe(true);
		expect(enableWebhookEndpoint(db, ADMIN_ACTOR, created.id, null)).toBe(false);
		expect(endpointRow()).toMatchObject({ disabledAt: null, disabledReason: null, failingSince: null });
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'webhook.enable')).all()).toHaveLength(1);
		expect(await deliverDueWebhooks(db, options)).toEqual({ sent: 2, failed: 0 });
	});

	it("tell a tenant's own administrators when the tenant's endpoint is disabled", async () => {
		const { db, admin, tenantId } = world();
		const tenantAdmin = insertUser(db, { tenantId, roles: ['tenant_admin'] });
		const otherTenantAdmin = insertUser(db, { tenantId: insertTenantRow(db, crypto.randomUUID(), '0737546-2'), roles: ['tenant_admin'] });
		const created = createWebhookEndpoint(
			db,
			ADMIN_ACTOR,
			tenantAdmin.id,
			{ url: 'https://hooks.example.fi/t', events: ['person.deactivated'], tenantId },
			new Date(),
			true
		);
		if (!created.ok) throw new Error(created.reason);
		let clock = new Date('2026-03-01T08:00:00Z');
		const options = { production: true, now: () => clock, post: async () => 503, resolve: async () => ['93.184.216.34'] };
		for (const day of [0, 4]) {
			clock = new Date(Date.parse('2026-03-01T08:00:00Z') + day * 86_400_000);
			enqueueWebhookEvent(db, 'person.deactivated', { userId: 'u', tenantId }, clock);
			await deliverDueWebhooks(db, options);
		}
		const told = db
			.select()
			.from(notification)
			.all()
			.map((n) => n.userId);
		expect(told).toEqual([tenantAdmin.id]);
		expect(told).not.toContain(admin.id);
		expect(told).not.toContain(otherTenantAdmin.id);
	});
});
