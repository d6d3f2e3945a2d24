import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { webhookDelivery } from '../db/schema';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../domain';
import type { SessionUser } from '../auth/session';
import { toSessionUser } from '../auth/session';
import { hashPassword } from '../auth/password';
import {
	DRAFT_CHOICES,
	MAIN_CONNECTOR_HOLDER,
	addAgreementTenant,
	addManualCertificate,
	freshDb,
	insertUser,
	itemRef,
	personHolder,
	setUpAgreementWorld,
	type AgreementWorld
} from '../test-support';
import {
	createDraft,
	runAgreementSweep,
	sendForSignature,
	setServiceAgreementEnd,
	signAgreement,
	updateDraft
} from '../agreements/agreements';
import { getChecklist, submitItem, verifyItem } from '../prerequisites/checklist';
import { scanCertificateReminders } from '../reminders/reminders';
import { acknowledge, createInstruction, currentVersion } from '../instructions/instructions';
import {
	createWebhookEndpoint,
	listWebhookDeliveries,
	listWebhookEndpoints,
	redeliverWebhook,
	removeWebhookEndpoint,
	rotateWebhookSecret
} from './endpoints';
import { enqueueWebhookEvent } from './outbox';
import { webhookBody } from '../api/webhook-events';

const PASSWORD = 'oikea-hevonen-akku-niitti';
const CLIENT = { ipAddress: '198.51.100.7', userAgent: 'vitest' };
const T0 = new Date('2026-01-10T09:00:00Z');
const DAY_MS = 86_400_000;

let passwordHash: string;
beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

let db: Db;
let world: AgreementWorld;
/** A second tenant, whose own endpoint must never hear of the first tenant. */
let otherTenantId: string;
let endpoints: { main: string; first: string; other: string };

function endpoint(tenantId: string | null, url: string): string {
	const created = createWebhookEndpoint(db, world.admin, world.admin.id!, { url, events: [...WEBHOOK_EVENTS], tenantId }, T0, false);
	if (!created.ok) throw new Error(created.reason);
	return created.id;
}

beforeEach(() => {
	db = freshDb();
	world = setUpAgreementWorld(db, passwordHash, { tenantSignerName: 'Ville Virtanen' });
	otherTenantId = addAgreementTenant(db, world.admin, passwordHash).tenantId;
	// Each subscribed to every event.
	endpoints = {
		main: endpoint(null, 'http://localhost:9/main'),
		first: endpoint(world.tenantId, 'http://localhost:9/first'),
		other: endpoint(otherTenantId, 'http://localhost:9/other')
	};
});

/** What each endpoint received of one event type: the payloads' data, in order. */
function received(type: WebhookEvent) {
	const rows = db.select().from(webhookDelivery).all();
	// Every payload is what the OpenAPI document's `webhooks` section says it is.
	for (const row of rows.filter((r) => r.eventType === type))
		expect(webhookBody(type).strict().safeParse(JSON.parse(row.payload)).error?.issues ?? [], type).toEqual([]);
	const of = (endpointId: string) =>
		rows
			.filter((r) => r.endpointId === endpointId && r.eventType === type)
			.map((r) => JSON.parse(r.payload).data as Record<string, unknown>);
	return { main: of(endpoints.main), first: of(endpoints.first), other: of(endpoints.other) };
}

function inForceAgreement(): string {
	const created = createDraft(db, world.admin, { tenantId: world.tenantId, templateId: world.templateId }, T0);
	if (!created.ok) throw new Error(created.reason);
	updateDraft(db, world.admin, created.id, DRAFT_CHOICES, T0);
	expect(sendForSignature(db, world.admin, created.id, T0)).toEqual({ ok: true });
	return created.id;
}

describe('webhook events', () => {
	it('agreement signed, countersigned and in force: once each, to the main connector and that tenant only', async () => {
		const id = inForceAgreement();
		const signed = await signAgreement(
			db,
			world.tenantSigner,
			id,
			{ typedName: 'Ville Virtanen', title: 'CEO', password: PASSWORD },
			CLIENT,
			T0
		);
		expect(signed).toMatchObject({ ok: true });
		expect(received('agreement.signed')).toEqual({
			main: [{ agreementId: id, tenantId: world.tenantId, from: 'awaiting_tenant_signature', to: 'awaiting_countersignature' }],
			first: [{ agreementId: id, tenantId: world.tenantId, from: 'awaiting_tenant_signature', to: 'awaiting_countersignature' }],
			other: []
		});
		expect(received('agreement.countersigned').main).toEqual([]);
		await signAgreement(db, world.mainSigner, id, { typedName: 'Sakari Signer', title: 'Chair', password: PASSWORD }, CLIENT, T0);
		expect(received('agreement.countersigned')).toMatchObject({
			main: [{ agreementId: id, to: 'in_force' }],
			first: [{ agreementId: id }],
			other: []
		});
		expect(received('agreement.in_force')).toMatchObject({
			main: [{ agreementId: id, tenantId: world.tenantId, inForceAt: T0.toISOString() }],
			first: [{ agreementId: id }],
			other: []
		});
		// The stage change that follows is published too, and as narrowly.
		expect(received('tenant.stage_changed').other).toEqual([]);

		// Ended when the service-production agreement ends (§20), by the daily sweep, once.
		expect(setServiceAgreementEnd(db, world.admin, id, '2026-02-01', T0)).toBe(true);
		runAgreementSweep(db, new Date('2026-02-02T09:00:00Z'));
		runAgreementSweep(db, new Date('2026-02-03T09:00:00Z'));
		expect(received('agreement.ended')).toMatchObject({
			main: [{ agreementId: id, from: 'in_force', to: 'ended_automatically' }],
			first: [{ agreementId: id }],
			other: []
		});
	});

	it('a refused step publishes nothing', async () => {
		const id = inForceAgreement();
		const wrong = await signAgreement(
			db,
			world.tenantSigner,
			id,
			{ typedName: 'Someone Else', title: 'CEO', password: PASSWORD },
			CLIENT,
			T0
		);
		expect(wrong).toEqual({ ok: false, reason: 'name_mismatch' });
		expect(received('agreement.signed').main).toEqual([]);
	});

	it('checklist item submitted and verified', () => {
		const entry = getChecklist(db, world.tenantId, T0).entries.find((e) => !e.type.derivedRule && e.type.evidenceKind === 'reference')!;
		const tenantActor = { id: null, label: 'tenant@example.fi', ipAddress: '' };
		const evidence = { reference: 'REF-1', date: null, link: '' };
		expect(submitItem(db, tenantActor, itemRef(db, entry.item.id), evidence, T0)).toEqual({ ok: true });
		expect(received('checklist_item.submitted')).toEqual({
			main: [
				{
					itemId: entry.item.id,
					tenantId: world.tenantId,
					code: entry.type.code,
					from: 'not_started',
					to: 'submitted',
					submittedAt: T0.toISOString()
				}
			],
			first: [expect.objectContaining({ itemId: entry.item.id })],
			other: []
		});
		expect(verifyItem(db, world.admin, itemRef(db, entry.item.id), T0)).toEqual({ ok: true });
		// Verifying twice is refused, and publishes nothing more.
		expect(verifyItem(db, world.admin, itemRef(db, entry.item.id), T0)).toMatchObject({ ok: false });
		expect(received('checklist_item.verified')).toMatchObject({
			main: [{ itemId: entry.item.id, from: 'submitted', to: 'verified', verifiedAt: T0.toISOString() }],
			first: [{ itemId: entry.item.id }],
			other: []
		});
		// No evidence in the payload: ids and the changed fields only.
		expect(JSON.stringify(received('checklist_item.submitted'))).not.toContain('REF-1');
	});

	it('certificate expiring and expired: once per certificate and threshold, never repeated', () => {
		const holder = toSessionUser(db, insertUser(db, { tenantId: world.tenantId, roles: ['tenant_staff'] }));
		const card = addManualCertificate(
			db,
			world.admin,
			'professional_card',
			personHolder({ ...holder, name: holder.name }),
			new Date(T0.getTime() + 20 * DAY_MS),
			T0
		);
		const server = addManualCertificate(db, world.admin, 'server', MAIN_CONNECTOR_HOLDER, new Date(T0.getTime() + 5 * DAY_MS), T0);
		scanCertificateReminders(db, T0);
		scanCertificateReminders(db, new Date(T0.getTime() + 3_600_000));
		const expiring = received('certificate.expiring');
		// The card reached the 30-day threshold; the tenant's endpoint hears of it, the other tenant's does not.
		expect(expiring.main).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					certificateId: card,
					tenantId: world.tenantId,
					kind: 'professional_card',
					thresholdDays: 30,
					daysLeft: 20
				}),
				expect.objectContaining({ certificateId: server, tenantId: null, thresholdDays: 7 })
			])
		);
		expect(expiring.main).toHaveLength(2);
		expect(expiring.first).toEqual([expect.objectContaining({ certificateId: card })]);
		expect(expiring.other).toEqual([]);
		// The main connector's own certificate reaches no tenant.
		expect(expiring.first.some((d) => d.certificateId === server)).toBe(false);

		scanCertificateReminders(db, new Date(T0.getTime() + 6 * DAY_MS));
		scanCertificateReminders(db, new Date(T0.getTime() + 7 * DAY_MS));
		expect(received('certificate.expired')).toEqual({
			main: [{ certificateId: server, tenantId: null, kind: 'server', validTo: new Date(T0.getTime() + 5 * DAY_MS).toISOString() }],
			first: [],
			other: []
		});
	});

	it('acknowledgement completed: one per acknowledgement, to its own tenant only', () => {
		const instructionId = createInstruction(
			db,
			world.admin,
			{ category: 'card_handling', allTenants: true, tenantIds: [], audience: 'all_staff', requiresAck: true },
			{ titleFi: 'Kortit', bodyFi: 'Säilytä kortti.', titleSv: 'Kort', bodySv: 'Förvara kortet.', titleEn: null, bodyEn: null }
		);
		const staff: SessionUser = toSessionUser(db, insertUser(db, { tenantId: world.tenantId, roles: ['tenant_staff'] }));
		const version = currentVersion(db, instructionId)!;
		expect(acknowledge(db, staff, instructionId, version.id, 'fi', CLIENT, T0)).toBe(true);
		expect(received('acknowledgement.completed')).toMatchObject({
			main: [{ instructionId, versionId: version.id, version: 1, userId: staff.id, tenantId: world.tenantId, at: T0.toISOString() }],
			first: [{ instructionId, userId: staff.id }],
			other: []
		});
	});

	const INCIDENT = { kind: 'breach', noticedAt: T0.toISOString(), mainConnector: false };

	it("an event about several tenants shows a tenant's endpoint only its own id", () => {
		db.transaction((tx) =>
			enqueueWebhookEvent(tx, 'incident.reported', { ...INCIDENT, id: 'r1', tenantIds: [world.tenantId, otherTenantId] }, T0)
		);
		expect(received('incident.reported')).toEqual({
			main: [{ ...INCIDENT, id: 'r1', tenantIds: [world.tenantId, otherTenantId] }],
			first: [{ ...INCIDENT, id: 'r1', tenantIds: [world.tenantId] }],
			other: [{ ...INCIDENT, id: 'r1', tenantIds: [otherTenantId] }]
		});
		db.transaction((tx) => enqueueWebhookEvent(tx, 'incident.reported', { ...INCIDENT, id: 'r2', tenantIds: [], mainConnector: true }, T0));
		expect(received('incident.reported').first).toHaveLength(1);
		expect(received('incident.reported').main).toHaveLength(2);
	});

	it('each organisation sees and changes only its own endpoints and their deliveries', () => {
		db.transaction((tx) => enqueueWebhookEvent(tx, 'tenant.stage_changed', { tenantId: world.tenantId, from: 'a', to: 'b' }, T0));
		expect(listWebhookEndpoints(db, null).map((e) => e.id)).toEqual([endpoints.main]);
		expect(listWebhookEndpoints(db, world.tenantId).map((e) => e.id)).toEqual([endpoints.first]);
		expect(listWebhookDeliveries(db, otherTenantId)).toEqual([]);
		const [firstDelivery] = listWebhookDeliveries(db, world.tenantId);
		expect(firstDelivery.endpointId).toBe(endpoints.first);
		// Another tenant's administrator: unknown, whatever the id.
		expect(rotateWebhookSecret(db, world.admin, endpoints.first, otherTenantId)).toBeNull();
		expect(redeliverWebhook(db, world.admin, firstDelivery.id, otherTenantId, T0)).toBe(false);
		expect(removeWebhookEndpoint(db, world.admin, endpoints.first, otherTenantId)).toBe(false);
		// Nor does the main connector's page reach a tenant's endpoint.
		expect(removeWebhookEndpoint(db, world.admin, endpoints.first, null)).toBe(false);
		expect(removeWebhookEndpoint(db, world.admin, endpoints.first, world.tenantId)).toBe(true);
	});
});
