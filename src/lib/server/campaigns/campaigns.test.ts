import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// config.ts reads DATA_DIR once, when first imported: a fresh folder before any module loads it (sealing writes there).
const { dataDir } = await vi.hoisted(async () => {
	const { mkdtempSync } = await import('node:fs');
	const { tmpdir } = await import('node:os');
	const path = await import('node:path');
	const dir = mkdtempSync(path.join(tmpdir(), 'liitos-campaigns-'));
	process.env.DATA_DIR = dir;
	delete process.env.SEAL_P12_PATH;
	return { dataDir: dir };
});

import type { Db } from '../db';
import { agreement, agreementSignature, auditEntry, pendingEffect } from '../db/schema';
import { hashPassword } from '../auth/password';
import { confirmEnrolment, currentCode, pendingSecret } from '../auth/two-factor';
import { createSession, generateSessionToken, hashToken } from '../auth/session';
import { addAgreementTenant, freshDb, insertAgreementRow, setUpAgreementWorld, tenantInput, type AgreementWorld } from '../test-support';
import { declineAgreement, getAgreement, listSignatures, signAgreement } from '../agreements/agreements';
import { defaultTemplate, getTemplate } from '../agreements/templates-store';
import { getTenant, setTenantArchived, updateTenant } from '../tenants/tenants';
import { carryOutAgreementFollowUp } from '../agreements/follow-up';
import {
	carryOutCampaignFollowUp,
	countersignCampaign,
	countStates,
	createCampaign,
	fillCampaignDrafts,
	listCampaignRows,
	remindWaiting,
	scanCampaignReminders,
	sealingProgress,
	sendCampaign,
	sendingProgress,
	startSending,
	type CampaignInput
} from './campaigns';

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const PASSWORD = 'oikea-hevonen-akku-niitti';
const CLIENT = { ipAddress: '198.51.100.7', userAgent: 'vitest' };
const T0 = new Date('2026-03-02T09:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

let passwordHash: string;
beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

let db: Db;
let world: AgreementWorld;
/** Tenants: two with an agreement in force (one missing its Soteri registration), one without, one archived. */
let inForceA: string;
let inForceB: string;
let noAgreement: string;
let archived: string;
let signerA: ReturnType<typeof addAgreementTenant>['signer'];

beforeEach(() => {
	db = freshDb();
	world = setUpAgreementWorld(db, passwordHash, { tenant: { name: 'Aalto Hammas Oy' }, tenantSignerName: 'Anni Aalto' });
	inForceA = world.tenantId;
	signerA = world.tenantSigner;
	inForceB = addAgreementTenant(db, world.admin, passwordHash, { input: { name: 'Berg Terapia Oy', soteriRegistration: '' } }).tenantId;
	noAgreement = addAgreementTenant(db, world.admin, passwordHash, { input: { name: 'Cedar Klinikka Oy' } }).tenantId;
	archived = addAgreementTenant(db, world.admin, passwordHash, { input: { name: 'Delta Vanha Oy' } }).tenantId;
	for (const id of [inForceA, inForceB, archived]) insertAgreementRow(db, id, 'in_force', at(-400));
	setTenantArchived(db, world.admin, archived, true);
});

const input = (overrides: Partial<CampaignInput> = {}): CampaignInput => ({
	name: 'Mallisopimus v2',
	templateId: world.templateId,
	scope: 'in_force',
	tenantIds: [],
	message: 'Uusi malliversio korvaa aiemman.',
	remindAfterDays: 14,
	...overrides
});

function started(overrides: Partial<CampaignInput> = {}): string {
	const created = createCampaign(db, world.admin, input(overrides), T0);
	if (!created.ok) throw new Error(created.reason);
	return created.id;
}

/** Follow-up of one agreement as the scheduler would run it, after any retry delay. */
const runEffectsLater = (agreementId: string) => carryOutAgreementFollowUp(db, agreementId, new Date(Date.now() + 2 * 60 * 60 * 1000));
const rowOf = (campaignId: string, tenantId: string) => listCampaignRows(db, campaignId, T0).find((r) => r.tenantId === tenantId)!;
const auditActions = (action: string) => db.select().from(auditEntry).where(eq(auditEntry.action, action)).all();
const notifyPayloads = (agreementId: string) =>
	db
		.select()
		.from(pendingEffect)
		.where(and(eq(pendingEffect.subjectId, agreementId), eq(pendingEffect.kind, 'agreement.notify')))
		.all()
		.map((e) => JSON.parse(e.payload) as { step: string; note?: string });

describe('createCampaign', () => {
	it('drafts for every current tenant with an agreement in force, and lists the gaps of each', () => {
		const created = createCampaign(db, world.admin, input(), T0);
		expect(created).toMatchObject({ ok: true, drafts: 2 });
		if (!created.ok) return;
		const rows = listCampaignRows(db, created.id, T0);
		expect(rows.map((r) => r.tenantName)).toEqual(['Aalto Hammas Oy', 'Berg Terapia Oy']);
		expect(rows.map((r) => [r.state, r.missing])).toEqual([
			['ready', []],
			['gaps', ['tenant.soteri']]
		]);
		// Made by the same command as a single draft: the template's text, the main connector's city.
		const draft = getAgreement(db, rows[0].agreementId)!;
		expect(draft).toMatchObject({ status: 'draft', templateId: world.templateId, place: 'Helsinki' });
		expect(draft.templateSource).toBe(getTemplate(db, world.templateId)!.source);
		expect(auditActions('campaign.create')).toHaveLength(1);
		expect(auditActions('agreement.create')).toHaveLength(2);
		expect(countStates(rows)).toMatchObject({ ready: 1, gaps: 1, waiting: 0 });
	});

	it('drafts for the chosen tenants only, leaving out archived and unknown ones', () => {
		const id = started({ scope: 'chosen', tenantIds: [noAgreement, archived, crypto.randomUUID(), noAgreement] });
		expect(listCampaignRows(db, id, T0).map((r) => r.tenantId)).toEqual([noAgreement]);
	});

	it('gives each tenant the chosen version in its own agreement language', () => {
		const swedish = addAgreementTenant(db, world.admin, passwordHash, { input: { name: 'Ek Vård Ab', agreementLanguage: 'sv' } }).tenantId;
		const id = started({ scope: 'chosen', tenantIds: [swedish, noAgreement] });
		const sv = defaultTemplate(db, 'sv')!;
		expect(getAgreement(db, rowOf(id, swedish).agreementId)).toMatchObject({ language: 'sv', templateId: sv.id });
		expect(getAgreement(db, rowOf(id, noAgreement).agreementId)).toMatchObject({ language: 'fi', templateId: world.templateId });
	});

	it('refuses an unknown template and a campaign that reaches no one, storing nothing', () => {
		expect(createCampaign(db, world.admin, input({ templateId: crypto.randomUUID() }), T0)).toEqual({ ok: false, reason: 'no_template' });
		expect(createCampaign(db, world.admin, input({ scope: 'chosen', tenantIds: [archived] }), T0)).toEqual({
			ok: false,
			reason: 'no_tenants'
		});
		expect(db.select().from(agreement).where(eq(agreement.status, 'draft')).all()).toHaveLength(0);
	});
});

describe('fixing gaps', () => {
	it('fills a common value only where a draft leaves it empty', () => {
		const id = started();
		const [a, b] = listCampaignRows(db, id, T0);
		db.update(agreement).set({ place: '' }).where(eq(agreement.id, a.agreementId)).run();
		db.update(agreement).set({ place: 'Turku' }).where(eq(agreement.id, b.agreementId)).run();
		expect(rowOf(id, inForceA).missing).toEqual(['place']);
		expect(fillCampaignDrafts(db, world.admin, id, { place: 'Espoo', serviceAgreementReference: '' }, T0)).toBe(1);
		expect(getAgreement(db, a.agreementId)!.place).toBe('Espoo');
		expect(getAgreement(db, b.agreementId)!.place).toBe('Turku');
		expect(rowOf(id, inForceA).state).toBe('ready');
	});

	it('sees a gap fixed in the tenant record at once', () => {
		const id = started();
		const b = getTenant(db, inForceB)!;
		updateTenant(db, world.admin, inForceB, tenantInput({ ...b, serviceIds: b.serviceIds, soteriRegistration: 'SOTERI-2026-0042' }));
		expect(rowOf(id, inForceB)).toMatchObject({ state: 'ready', missing: [] });
	});
});

describe('sendCampaign', () => {
	it('sends every complete draft with the campaign message, and leaves the drafts with gaps', async () => {
		const id = started();
		const result = await sendCampaign(db, world.admin, id, at(1));
		expect(result.sent).toEqual([rowOf(id, inForceA).agreementId]);
		expect(result.left).toBe(1);
		expect(rowOf(id, inForceA)).toMatchObject({ state: 'waiting', sentAt: at(1) });
		expect(rowOf(id, inForceB).state).toBe('gaps');
		expect(notifyPayloads(rowOf(id, inForceA).agreementId)).toEqual([{ step: 'sent', note: 'Uusi malliversio korvaa aiemman.' }]);
		expect(auditActions('agreement.send')).toHaveLength(1);
		expect(auditActions('campaign.send')).toHaveLength(1);
		// Sending again sends nothing twice.
		expect((await sendCampaign(db, world.admin, id, at(2))).sent).toEqual([]);
		// A draft the tenant declined waits for the administrator rather than going out again.
		expect(declineAgreement(db, signerA, rowOf(id, inForceA).agreementId, 'Väärä osoite', '')).toBe(true);
		expect(rowOf(id, inForceA).state).toBe('declined');
		expect((await sendCampaign(db, world.admin, id, at(3))).sent).toEqual([]);
		expect(countStates(listCampaignRows(db, id, at(3)))).toMatchObject({ declined: 1, gaps: 1 });
	});
});

describe('sending in chunks', () => {
	/** `count` more tenants without gaps, all chosen for a campaign with the two in force. */
	function manyTenants(count: number): string {
		const ids = Array.from(
			{ length: count },
			(_, i) => addAgreementTenant(db, world.admin, passwordHash, { input: { name: `Monta ${String(i).padStart(2, '0')} Oy` } }).tenantId
		);
		return started({ scope: 'chosen', tenantIds: [inForceA, ...ids] });
	}
	const draftsLeft = (id: string) => listCampaignRows(db, id, at(1)).filter((r) => r.state === 'ready').length;

	it('sends each draft exactly once, one transaction and one audit entry per chunk, yielding between chunks', async () => {
		const id = manyTenants(11); // 12 complete drafts, chunks of 5: 5 + 5 + 2
		const chunks: string[][] = [];
		let otherWorkRan = false;
		setImmediate(() => (otherWorkRan = true));
		const sending = startSending(db, world.admin, id, at(1), { chunkSize: 5, afterChunk: (sent) => void chunks.push(sent) });
		expect(sending.total).toBe(12);
		expect(sendingProgress(id)).toMatchObject({ total: 12, running: true });
		// A second press while the first is running does not start another sending.
		expect(startSending(db, world.admin, id, at(1)).alreadyRunning).toBe(true);
		const result = await sending.finished;
		expect(otherWorkRan).toBe(true);
		expect(chunks.map((c) => c.length)).toEqual([5, 5, 2]);
		expect(new Set(result.sent).size).toBe(12);
		expect(result).toMatchObject({ left: 0, failed: 0 });
		expect(auditActions('agreement.send')).toHaveLength(12);
		expect(auditActions('campaign.send')).toHaveLength(3);
		expect(sendingProgress(id)).toEqual({ total: 12, done: 12, sent: 12, failed: 0, running: false });
		for (const agreementId of result.sent) expect(notifyPayloads(agreementId)).toHaveLength(1);
		// Again: nothing is sent twice.
		expect((await sendCampaign(db, world.admin, id, at(2))).sent).toEqual([]);
		expect(auditActions('agreement.send')).toHaveLength(12);
	});

	it('a chunk that fails is rolled back whole, the other chunks stay sent, and sending again sends the rest', async () => {
		const id = manyTenants(11);
		const ids = listCampaignRows(db, id, at(1)).map((r) => r.agreementId);
		// The seventh draft (the second chunk of five) cannot be written.
		const broken = ids[6];
		db.$client.exec(
			`create trigger refuse_one before update on agreement when new.id = '${broken}' and new.status <> 'draft' begin select raise(abort, 'disk trouble'); end`
		);
		const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
		const result = await sendCampaign(db, world.admin, id, at(1), { chunkSize: 5 });
		quiet.mockRestore();
		expect(result.sent).toHaveLength(7);
		expect(result.failed).toBe(5);
		expect(draftsLeft(id)).toBe(5);
		expect(auditActions('agreement.send')).toHaveLength(7);
		expect(auditActions('campaign.send')).toHaveLength(2);
		db.$client.exec('drop trigger refuse_one');
		const again = await sendCampaign(db, world.admin, id, at(2), { chunkSize: 5 });
		expect(again.sent).toHaveLength(5);
		expect(draftsLeft(id)).toBe(0);
		expect(new Set([...result.sent, ...again.sent]).size).toBe(12);
	});
});

describe('reminders', () => {
	it('reminds those waiting when the administrator asks, once each, with the campaign message', async () => {
		const id = started({ scope: 'chosen', tenantIds: [inForceA, noAgreement] });
		await sendCampaign(db, world.admin, id, at(1));
		expect(remindWaiting(db, world.admin, id, at(2))).toHaveLength(2);
		const a = rowOf(id, inForceA);
		expect(a).toMatchObject({ reminders: 1, lastRemindedAt: at(2) });
		expect(notifyPayloads(a.agreementId).map((p) => p.step)).toEqual(['sent', 'reminder']);
		expect(auditActions('campaign.remind')).toHaveLength(2);
	});

	it('reminds automatically once per N days after sending, and not those who signed', async () => {
		const id = started({ scope: 'chosen', tenantIds: [inForceA, noAgreement], remindAfterDays: 10 });
		expect(scanCampaignReminders(db, at(30))).toBe(0); // not sent yet
		await sendCampaign(db, world.admin, id, at(1));
		expect(scanCampaignReminders(db, at(10))).toBe(0);
		expect(scanCampaignReminders(db, at(11))).toBe(2);
		expect(scanCampaignReminders(db, at(11))).toBe(0);
		expect(scanCampaignReminders(db, at(20))).toBe(0);
		await signAgreement(
			db,
			signerA,
			rowOf(id, inForceA).agreementId,
			{ typedName: 'Anni Aalto', title: 'Toimitusjohtaja', password: PASSWORD },
			CLIENT
		);
		expect(scanCampaignReminders(db, at(21))).toBe(1);
		expect(rowOf(id, noAgreement).reminders).toBe(2);
		expect(rowOf(id, inForceA).reminders).toBe(1);
		expect(auditActions('campaign.remind').map((e) => e.actorLabel)).toEqual(['system', 'system', 'system']);
	});
});

describe('countersignCampaign', () => {
	/** A campaign of three tenants, all sent; the first two have signed. */
	async function twoSigned() {
		const other = addAgreementTenant(db, world.admin, passwordHash, { input: { name: 'Aava Fysio Oy' }, signerName: 'Olli Aava' });
		const id = started({ scope: 'chosen', tenantIds: [inForceA, other.tenantId, noAgreement] });
		await sendCampaign(db, world.admin, id, at(1));
		for (const [tenantId, signer, name] of [
			[inForceA, signerA, 'Anni Aalto'],
			[other.tenantId, other.signer, 'Olli Aava']
		] as const) {
			const signed = await signAgreement(
				db,
				signer,
				rowOf(id, tenantId).agreementId,
				{ typedName: name, title: 'Johtaja', password: PASSWORD },
				CLIENT
			);
			expect(signed).toEqual({ ok: true, status: 'awaiting_countersignature' });
		}
		return {
			id,
			signed: [rowOf(id, inForceA).agreementId, rowOf(id, other.tenantId).agreementId],
			waiting: rowOf(id, noAgreement).agreementId
		};
	}
	const sign = { typedName: 'Sakari Signer', title: 'Toimitusjohtaja', password: PASSWORD };

	it('countersigns every tenant-signed agreement, each with its own signature and its own seal', async () => {
		const { id, signed, waiting } = await twoSigned();
		const previous = db
			.select()
			.from(agreement)
			.where(and(eq(agreement.tenantId, inForceA), eq(agreement.status, 'in_force')))
			.get()!;
		const result = await countersignCampaign(db, world.mainSigner, id, sign, CLIENT, at(3));
		expect(result).toEqual({ ok: true, countersigned: expect.arrayContaining(signed), refused: [] });
		for (const agreementId of signed) {
			expect(getAgreement(db, agreementId)!.status).toBe('in_force');
			expect(
				listSignatures(db, agreementId)
					.map((s) => s.party)
					.sort()
			).toEqual(['main_connector', 'tenant']);
		}
		expect(getAgreement(db, waiting)!.status).toBe('awaiting_tenant_signature');
		// §20: the new version replaces the earlier agreement.
		expect(getAgreement(db, previous.id)).toMatchObject({ status: 'superseded', supersededById: signed[0] });
		expect(auditActions('agreement.countersign')).toHaveLength(2);
		expect(countStates(listCampaignRows(db, id, at(3)))).toMatchObject({ countersigned: 2, waiting: 1 });

		expect(sealingProgress(db, id)).toEqual({ total: 2, sealed: 0, failing: 0 });
		await carryOutCampaignFollowUp(db, signed);
		expect(sealingProgress(db, id)).toEqual({ total: 2, sealed: 2, failing: 0 });
		const paths = signed.map((agreementId) => getAgreement(db, agreementId)!.sealedPath);
		expect(new Set(paths).size).toBe(2);
	}, 30_000);

	it('reports a seal that fails, keeps the countersignature, and seals it on the retry', async () => {
		const { id, signed } = await twoSigned();
		const result = await countersignCampaign(db, world.mainSigner, id, sign, CLIENT, at(3));
		expect(result.ok).toBe(true);
		// Something in the way of one file: a folder where the sealed PDF should go.
		const blocked = join(dataDir, 'agreements', `${signed[1]}.pdf`);
		mkdirSync(blocked, { recursive: true });
		await carryOutCampaignFollowUp(db, signed);
		expect(sealingProgress(db, id)).toEqual({ total: 2, sealed: 1, failing: 1 });
		expect(getAgreement(db, signed[1])).toMatchObject({ status: 'in_force', sealedPath: null });
		expect(
			listSignatures(db, signed[1])
				.map((s) => s.party)
				.sort()
		).toEqual(['main_connector', 'tenant']);

		rmSync(blocked, { recursive: true });
		// The scheduler's retry, once the back-off has passed.
		await runEffectsLater(signed[1]);
		expect(sealingProgress(db, id)).toEqual({ total: 2, sealed: 2, failing: 0 });
	}, 30_000);

	it('asks for the authenticator code once for the whole batch', async () => {
		const { id, signed } = await twoSigned();
		const t = new Date();
		const secret = pendingSecret(db, world.admin, world.mainSigner, t);
		const session = generateSessionToken();
		createSession(db, session, world.mainSigner.id, {}, t);
		expect(confirmEnrolment(db, world.admin, world.mainSigner, currentCode(secret, t, -1), hashToken(session), t).ok).toBe(true);
		// A code is good for one step-up only: were each agreement confirmed apart, the second would fail.
		const result = await countersignCampaign(db, world.mainSigner, id, { ...sign, code: currentCode(secret, t) }, CLIENT, t);
		expect(result).toMatchObject({ ok: true, refused: [] });
		if (result.ok) expect(result.countersigned.sort()).toEqual([...signed].sort());
		const methods = db
			.select({ method: agreementSignature.method })
			.from(agreementSignature)
			.where(eq(agreementSignature.party, 'main_connector'))
			.all();
		expect(methods.map((m) => m.method)).toEqual(['password-totp-step-up', 'password-totp-step-up']);
	}, 30_000);

	it('refuses agreements the tenant has not signed, and countersigns nothing on a wrong password', async () => {
		const { id, signed, waiting } = await twoSigned();
		expect(await countersignCampaign(db, world.mainSigner, id, { ...sign, password: 'väärä' }, CLIENT, at(3))).toEqual({
			ok: false,
			reason: 'wrong_password'
		});
		expect(auditActions('auth.step_up_failed')).toHaveLength(1);
		expect(await countersignCampaign(db, world.mainSigner, id, { ...sign, typedName: 'Joku Muu' }, CLIENT, at(3))).toEqual({
			ok: false,
			reason: 'name_mismatch'
		});
		expect(db.select().from(agreementSignature).where(eq(agreementSignature.party, 'main_connector')).all()).toHaveLength(0);

		const result = await countersignCampaign(db, world.mainSigner, id, sign, CLIENT, at(3), [waiting, signed[0]]);
		expect(result).toEqual({ ok: true, countersigned: [signed[0]], refused: [waiting] });
		expect(getAgreement(db, waiting)!.status).toBe('awaiting_tenant_signature');
		expect(listSignatures(db, waiting)).toHaveLength(0);
	}, 30_000);

	it('is not for a tenant signatory', async () => {
		const { id } = await twoSigned();
		expect(await countersignCampaign(db, signerA, id, { ...sign, typedName: 'Anni Aalto' }, CLIENT, at(3))).toEqual({
			ok: false,
			reason: 'not_main_connector'
		});
	}, 30_000);
});
