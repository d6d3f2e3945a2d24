import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
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

import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../db';
import {
	agreement,
	agreementCampaign,
	agreementSignature,
	auditEntry,
	campaignAgreement,
	designatedPerson,
	kantaService,
	mainConnector,
	pendingEffect,
	tenant,
	tenantService
} from '../db/schema';
import { hashPassword } from '../auth/password';
import { confirmEnrolment, currentCode, pendingSecret } from '../auth/two-factor';
import { createSession, generateSessionToken, hashToken } from '../auth/session';
import { addAgreementTenant, freshDb, insertAgreementRow, setUpAgreementWorld, tenantInput, type AgreementWorld } from '../test-support';
import { declineAgreement, getAgreement, listSignatures, signAgreement } from '../agreements/agreements';
import { addUploadedTemplate, defaultTemplate, getTemplate } from '../agreements/templates-store';
import { missingValues, parseTemplate, TEXT_PLACEHOLDERS, type ParsedTemplate } from '../agreements/template';
import { contentOf, sharedValues, type ContentService } from '../agreements/values';
import { listServices } from '../services/kanta-services';
import { csvStream, toCsv } from '../csv';
import { isMissingValue } from '../printable';
import { JS_WHITESPACE } from './campaign-state-sql';
import { getTenant, setTenantArchived, updateTenant } from '../tenants/tenants';
import { carryOutAgreementFollowUp } from '../agreements/follow-up';
import {
	CAMPAIGN_STATES,
	campaignList,
	campaignRowParts,
	carryOutCampaignFollowUp,
	countCampaignStates,
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
	type CampaignInput,
	type CampaignRow,
	type CampaignState
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

/** A template version of its own, in one language, with this body. */
function uploadVersion(version: number, language: 'fi' | 'sv', body: string): string {
	const source = `---\ntemplate: kanta-model\nversion: ${version}\nlanguage: ${language}\ntitle: Koe ${version}\nvalid-from: 2026-12-01\nreplaces: -\n---\n## Ehdot\n\n${body}\n\n{{annex1}}\n`;
	const added = addUploadedTemplate(db, world.admin, source);
	if (!added.ok) throw new Error(JSON.stringify(added));
	return added.id;
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

/**
 * The list as it was worked out before the database did it: every row read, each draft's gaps from
 * the production content (contentOf) and template walk (missingValues), then counted, filtered and
 * sliced in JavaScript. The SQL list must give exactly this.
 */
function wholeListReference(campaignId: string, now: Date): CampaignRow[] {
	const parsed = new Map<string, ParsedTemplate>();
	const shared = sharedValues(db);
	const rows = db
		.select({ link: campaignAgreement, agreement, tenant })
		.from(campaignAgreement)
		.innerJoin(agreement, eq(agreement.id, campaignAgreement.agreementId))
		.innerJoin(tenant, eq(tenant.id, campaignAgreement.tenantId))
		.where(eq(campaignAgreement.campaignId, campaignId))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.all();
	const services = new Map<string, ContentService[]>();
	for (const { tenantId, ...service } of db
		.select({
			tenantId: tenantService.tenantId,
			code: kantaService.code,
			nameFi: kantaService.nameFi,
			nameSv: kantaService.nameSv,
			nameEn: kantaService.nameEn
		})
		.from(campaignAgreement)
		.innerJoin(tenantService, eq(tenantService.tenantId, campaignAgreement.tenantId))
		.innerJoin(kantaService, eq(kantaService.id, tenantService.serviceId))
		.where(and(eq(campaignAgreement.campaignId, campaignId), eq(kantaService.selectable, true)))
		.orderBy(asc(kantaService.sortOrder))
		.all()) {
		const list = services.get(tenantId);
		if (list) list.push(service);
		else services.set(tenantId, [service]);
	}
	return rows.map(({ link, agreement: current, tenant: party }) => {
		let missing: string[] = [];
		if (current.status === 'draft') {
			let template = parsed.get(current.templateId);
			if (!template) parsed.set(current.templateId, (template = parseTemplate(current.templateSource)));
			missing = missingValues(template, contentOf(current, party, services.get(party.id) ?? [], now, shared).values);
		}
		const state: CampaignState =
			current.status === 'draft'
				? current.declinedReason
					? 'declined'
					: missing.length
						? 'gaps'
						: 'ready'
				: current.status === 'awaiting_tenant_signature'
					? 'waiting'
					: current.status === 'awaiting_countersignature'
						? 'signed'
						: current.inForceAt
							? 'countersigned'
							: 'closed';
		return {
			agreementId: current.id,
			tenantId: link.tenantId,
			tenantName: party.name,
			businessId: party.businessId,
			status: current.status,
			state,
			missing,
			declinedReason: current.declinedReason,
			sentAt: link.sentAt,
			lastRemindedAt: link.lastRemindedAt,
			reminders: link.reminders,
			sealed: current.sealedPath !== null
		};
	});
}

/** A small seeded generator (mulberry32), so a failing case can be run again. */
function seededRandom(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number) => Math.floor(next() * n);
	const pick = <T>(items: readonly T[]): T => items[int(items.length)];
	return { next, int, pick, chance: (p: number) => next() < p };
}

/** Pieces of text that are empty, or not, in the ways a printed value can be. */
const PIECES = [
	'',
	' ',
	'\t',
	'\n',
	'\u00a0',
	'\u3000',
	'\ufeff',
	'\u200b',
	'\u0001',
	'\u007f',
	'\u0000',
	'{',
	'}',
	'{{',
	'}}',
	'a',
	'Ö',
	'7',
	',',
	'-'
];
/** Whole values at the edges: braces that print nothing, or something; control characters; NUL. */
const TRICKY = ['}}', '{{', '}{{}', '{{}}}', '{{ }}', ' \u0000 ', '\u0001\u007f', '\u200b', ' }} ', '{\u0001{'];
const FLAGS = ['uses.prescription', 'uses.kelain', 'uses.no_such_service', 'renewals.forwarded', 'notice.custom'];

describe('the campaign list, counted and paged by the database', () => {
	const CSV_HEADER = [
		'tenant',
		'business id',
		'state',
		'missing',
		'sent',
		'reminded',
		'reminders',
		'sealed',
		'agreement',
		'status',
		'declined'
	];
	const cells = (r: CampaignRow) => [
		r.tenantName,
		r.businessId,
		r.state,
		r.missing.join('; '),
		r.sentAt?.toISOString() ?? '',
		r.lastRemindedAt?.toISOString() ?? '',
		String(r.reminders),
		r.sealed ? 'yes' : 'no',
		r.agreementId,
		r.status,
		r.declinedReason ?? ''
	];

	/** A template body of nested conditions over every value and flag, different each time. */
	function randomBody(random: ReturnType<typeof seededRandom>, depth = 0): string {
		const parts: string[] = [];
		for (let i = 0, n = 2 + random.int(4); i < n; i++) {
			if (depth < 3 && random.chance(0.35)) {
				const condition = random.chance(0.5) ? random.pick(FLAGS) : random.pick(TEXT_PLACEHOLDERS);
				const otherwise = random.chance(0.5) ? `{{else}}${randomBody(random, depth + 1)}` : '';
				parts.push(`{{#if ${condition}}}${randomBody(random, depth + 1)}${otherwise}{{/if}}`);
			} else parts.push(`{{${random.pick(TEXT_PLACEHOLDERS)}}}`);
		}
		return parts.join(' ');
	}

	it('gives the counts, every filter and page, the gaps list and the CSV of the whole-list computation, on random campaigns', async () => {
		const random = seededRandom(20261207);
		const languages = ['fi', 'sv'] as const;
		const tenants = Array.from(
			{ length: 14 },
			(_, i) =>
				addAgreementTenant(db, world.admin, passwordHash, { input: { name: `Satunnainen ${i} Oy`, agreementLanguage: languages[i % 2] } })
					.tenantId
		);
		const services = new Map(listServices(db).map((s) => [s.code, s.id]));
		const text = () =>
			random.chance(0.3)
				? random.pick(['Hämeentie 3', 'Turku', 'S-1', '00100'])
				: random.chance(0.3)
					? random.pick(TRICKY)
					: Array.from({ length: random.int(4) }, () => random.pick(PIECES)).join('');
		const statuses = [
			'draft',
			'draft',
			'draft',
			'awaiting_tenant_signature',
			'awaiting_countersignature',
			'in_force',
			'ended',
			'superseded'
		] as const;
		const checked = { gaps: 0, ready: 0, waiting: 0, signed: 0, countersigned: 0, declined: 0, closed: 0 };
		for (let round = 0; round < 16; round++) {
			const templateIds = [uploadVersion(100 + round, 'fi', randomBody(random)), uploadVersion(100 + round, 'sv', randomBody(random))];
			const id = started({ scope: 'chosen', tenantIds: tenants, templateId: templateIds[0] });
			// Stored once as the records are at first: every change below must make the list work it out again.
			countCampaignStates(db, id, at(4));
			// The records as they may be: values empty in every way, services on and off, every state.
			tenants.forEach((tenantId, i) => {
				db.update(tenant)
					.set({
						name: text(),
						businessId: random.chance(0.3) ? ' '.repeat(i) : `${text()}${i}`,
						oid: text(),
						streetAddress: text(),
						postalCode: text(),
						city: text(),
						soteriRegistration: text()
					})
					.where(eq(tenant.id, tenantId))
					.run();
				db.delete(tenantService).where(eq(tenantService.tenantId, tenantId)).run();
				for (const code of ['prescription', 'kelain', 'patient_data_repository'])
					if (random.chance(0.5))
						db.insert(tenantService)
							.values({ tenantId, serviceId: services.get(code)! })
							.run();
			});
			for (const link of db.select().from(campaignAgreement).where(eq(campaignAgreement.campaignId, id)).all()) {
				const status = random.pick(statuses);
				db.update(agreement)
					.set({
						status,
						place: text(),
						serviceAgreementReference: text(),
						noticeMonths: random.pick([1, 1, 3]),
						renewalsForwarded: random.chance(0.5),
						declinedReason: status === 'draft' ? random.pick([null, null, '', 'Väärä osoite']) : null,
						inForceAt: status !== 'draft' && random.chance(0.6) ? at(5) : null,
						sealedPath: random.chance(0.3) ? `/tmp/${link.agreementId}.pdf` : null
					})
					.where(eq(agreement.id, link.agreementId))
					.run();
				const sent = random.chance(0.5);
				db.update(campaignAgreement)
					.set({ sentAt: sent ? at(1) : null, lastRemindedAt: sent && random.chance(0.5) ? at(3) : null, reminders: random.int(3) })
					.where(eq(campaignAgreement.agreementId, link.agreementId))
					.run();
			}
			// Values every draft shares: the main connector's, and a designated person who may be gone.
			db.update(mainConnector).set({ soteriRegistration: text(), oid: text() }).run();
			if (round === 9) db.delete(designatedPerson).where(eq(designatedPerson.role, 'archivist')).run();

			const reference = wholeListReference(id, at(4));
			const counts = countStates(reference);
			expect(listCampaignRows(db, id, at(4))).toEqual(reference);
			expect(countCampaignStates(db, id, at(4))).toEqual(counts);
			for (const state of [null, ...CAMPAIGN_STATES]) {
				const shown = state ? reference.filter((r) => r.state === state) : reference;
				const pages = Math.max(1, Math.ceil(shown.length / 4));
				for (let page = 1; page <= pages + 1; page++) {
					const list = campaignList(db, id, { state, page, pageSize: 4, gapsShown: 3 }, at(4));
					const expected = Math.min(page, pages);
					expect(list).toEqual({
						counts,
						total: reference.length,
						shownTotal: shown.length,
						page: expected,
						pages,
						rows: shown.slice((expected - 1) * 4, expected * 4),
						gaps: reference.filter((r) => r.state === 'gaps').slice(0, 3)
					});
				}
			}
			// The CSV: the same bytes as the whole list made into one file, sent in parts of 3.
			const parts = (function* () {
				for (const rows of campaignRowParts(db, id, 3, at(4))) yield rows.map(cells);
			})();
			const streamed = new Uint8Array(await new Response(csvStream(CSV_HEADER, parts)).arrayBuffer());
			expect(Buffer.from(streamed).equals(Buffer.from(toCsv([CSV_HEADER, ...reference.map(cells)])))).toBe(true);
			for (const state of CAMPAIGN_STATES) checked[state] += counts[state];
		}
		// The random campaigns did reach every state.
		for (const state of CAMPAIGN_STATES) expect(checked[state], state).toBeGreaterThan(0);
	}, 60_000);

	it('takes a condition on text as the templates do: a control character counts, white space does not', () => {
		const templateId = uploadVersion(
			90,
			'fi',
			'{{#if tenant.oid}}{{place}}{{else}}{{tenant.soteri}}{{/if}} {{#if tenant.address}}{{tenant.name}}{{/if}}'
		);
		const id = started({ scope: 'chosen', tenantIds: [inForceA, inForceB], templateId });
		const values = { oid: '\u0001', streetAddress: '\u007f', postalCode: '', city: '', name: '{{}}', soteriRegistration: '' };
		db.update(tenant).set(values).where(eq(tenant.id, inForceA)).run();
		db.update(tenant)
			.set({ ...values, oid: '\u3000', streetAddress: '\u2028' })
			.where(eq(tenant.id, inForceB))
			.run();
		db.update(agreement).set({ place: ' ' }).where(eq(agreement.tenantId, inForceA)).run();
		const reference = wholeListReference(id, T0);
		expect(reference.map((r) => [r.tenantId, r.missing])).toEqual(
			expect.arrayContaining([
				[inForceA, ['place', 'tenant.name']],
				[inForceB, ['tenant.soteri']]
			])
		);
		expect(listCampaignRows(db, id, T0)).toEqual(reference);
	});

	it('shows a fix on the tenant record, its services or the shared values at once, in the counts and the gaps list', () => {
		const id = started();
		const list = () => campaignList(db, id, { state: null, page: 1, pageSize: 200, gapsShown: 200 }, T0);
		expect(list().counts).toMatchObject({ ready: 1, gaps: 1 });
		expect(list().gaps.map((r) => [r.tenantId, r.missing])).toEqual([[inForceB, ['tenant.soteri']]]);
		const b = getTenant(db, inForceB)!;
		updateTenant(db, world.admin, inForceB, tenantInput({ ...b, serviceIds: b.serviceIds, soteriRegistration: 'SOTERI-2026-0042' }));
		expect(list().counts).toMatchObject({ ready: 2, gaps: 0 });
		expect(list().gaps).toEqual([]);
		// The main connector's own registration is printed in every draft.
		db.update(mainConnector).set({ soteriRegistration: ' ' }).run();
		expect(list().counts).toMatchObject({ ready: 0, gaps: 2 });
		expect(list().rows.map((r) => r.missing)).toEqual([['main.soteri'], ['main.soteri']]);
	});

	it('judges empty text as the templates do, white space as JavaScript knows it', () => {
		for (let code = 0; code <= 0xffff; code++) {
			const c = String.fromCharCode(code);
			expect(JS_WHITESPACE.includes(c), `U+${code.toString(16)}`).toBe(/\s/.test(c));
		}
		const blank = db.$client.prepare('select blank_value(?) as b');
		for (const value of ['', ' \u0000 ', '{{}}', '{{ }} \u0001', '}{{}', '{', 'a'])
			expect((blank.get(value) as { b: number }).b).toBe(isMissingValue(value) ? 1 : 0);
	});
});

describe('the stored campaign states', () => {
	/** Each tenant's state as the campaign page lists them, in its order. */
	const listed = (id: string, now = T0) =>
		campaignList(db, id, { state: null, page: 1, pageSize: 200, gapsShown: 200 }, now).rows.map((r) => [r.tenantName, r.state]);
	/** What campaign_agreement holds (null: to be worked out again). */
	const stored = (id: string) =>
		db
			.select({ name: campaignAgreement.tenantName, state: campaignAgreement.state })
			.from(campaignAgreement)
			.where(eq(campaignAgreement.campaignId, id))
			.orderBy(asc(campaignAgreement.tenantName))
			.all()
			.map((r) => [r.name, r.state]);
	/** The stored counts agree with the whole-list computation, which reads no stored state. */
	const expectCountsAsComputed = (id: string, now = T0) =>
		expect(countCampaignStates(db, id, now)).toEqual(countStates(listCampaignRows(db, id, now)));
	const fixTenant = (id: string, changes: Partial<ReturnType<typeof tenantInput>>) => {
		const current = getTenant(db, id)!;
		const result = updateTenant(db, world.admin, id, tenantInput({ ...current, serviceIds: current.serviceIds, ...changes }));
		expect(result).toMatchObject({ ok: true });
	};

	it('works the drafts out when the campaign is made, and again after a tenant record is fixed: gaps, then ready; a new name moves it in the list', () => {
		const id = started();
		expect(stored(id)).toEqual([
			['Aalto Hammas Oy', 'ready'],
			['Berg Terapia Oy', 'gaps']
		]);
		expect(listed(id)).toEqual([
			['Aalto Hammas Oy', 'ready'],
			['Berg Terapia Oy', 'gaps']
		]);
		expect(stored(id)).toEqual([
			['Aalto Hammas Oy', 'ready'],
			['Berg Terapia Oy', 'gaps']
		]);
		fixTenant(inForceB, { soteriRegistration: 'SOTERI-2026-0042' });
		expect(stored(id)).toEqual([
			['Aalto Hammas Oy', 'ready'],
			['Berg Terapia Oy', null]
		]);
		expect(listed(id)).toEqual([
			['Aalto Hammas Oy', 'ready'],
			['Berg Terapia Oy', 'ready']
		]);
		fixTenant(inForceB, { name: 'Aakkonen Terapia Oy', soteriRegistration: '' });
		expect(listed(id)).toEqual([
			['Aakkonen Terapia Oy', 'gaps'],
			['Aalto Hammas Oy', 'ready']
		]);
		expectCountsAsComputed(id);
	});

	it("follows the tenant's services and whether a Kanta service may still be chosen", () => {
		const templateId = uploadVersion(91, 'fi', '{{#if uses.prescription}}{{tenant.oid}}{{/if}} {{tenant.name}}');
		const id = started({ scope: 'chosen', tenantIds: [inForceA], templateId });
		const prescription = listServices(db).find((s) => s.code === 'prescription')!.id;
		db.update(tenant).set({ oid: '' }).where(eq(tenant.id, inForceA)).run();
		db.delete(tenantService).where(eq(tenantService.tenantId, inForceA)).run();
		const missing = () =>
			campaignList(db, id, { state: null, page: 1, pageSize: 10, gapsShown: 10 }, T0).rows.map((r) => [r.state, r.missing]);
		expect(missing()).toEqual([['ready', []]]);
		db.insert(tenantService).values({ tenantId: inForceA, serviceId: prescription }).run();
		expect(missing()).toEqual([['gaps', ['tenant.oid']]]);
		db.update(kantaService).set({ selectable: false }).where(eq(kantaService.id, prescription)).run();
		expect(missing()).toEqual([['ready', []]]);
		db.update(kantaService).set({ selectable: true }).where(eq(kantaService.id, prescription)).run();
		expect(missing()).toEqual([['gaps', ['tenant.oid']]]);
		db.delete(tenantService).where(eq(tenantService.tenantId, inForceA)).run();
		expect(missing()).toEqual([['ready', []]]);
		expectCountsAsComputed(id);
	});

	it('moves each agreement along as it is sent, signed, declined and countersigned', async () => {
		const other = addAgreementTenant(db, world.admin, passwordHash, { input: { name: 'Aava Fysio Oy' }, signerName: 'Olli Aava' });
		const id = started({ scope: 'chosen', tenantIds: [inForceA, other.tenantId, noAgreement] });
		expect(listed(id)).toEqual([
			['Aalto Hammas Oy', 'ready'],
			['Aava Fysio Oy', 'ready'],
			['Cedar Klinikka Oy', 'ready']
		]);
		await sendCampaign(db, world.admin, id, at(1));
		expect(listed(id).map(([, state]) => state)).toEqual(['waiting', 'waiting', 'waiting']);
		const agreementOf = (tenantId: string) => rowOf(id, tenantId).agreementId;
		for (const [tenantId, signer, name] of [
			[inForceA, signerA, 'Anni Aalto'],
			[other.tenantId, other.signer, 'Olli Aava']
		] as const)
			expect(
				await signAgreement(db, signer, agreementOf(tenantId), { typedName: name, title: 'Johtaja', password: PASSWORD }, CLIENT)
			).toMatchObject({ ok: true });
		expect(listed(id).map(([, state]) => state)).toEqual(['signed', 'signed', 'waiting']);
		expect(declineAgreement(db, world.mainSigner, agreementOf(other.tenantId), 'Väärä Y-tunnus', '')).toBe(true);
		expect(listed(id).map(([, state]) => state)).toEqual(['signed', 'declined', 'waiting']);
		const sign = { typedName: 'Sakari Signer', title: 'Toimitusjohtaja', password: PASSWORD };
		expect(await countersignCampaign(db, world.mainSigner, id, sign, CLIENT, at(3))).toMatchObject({ ok: true });
		expect(listed(id).map(([, state]) => state)).toEqual(['countersigned', 'declined', 'waiting']);
		expectCountsAsComputed(id, at(3));
	}, 30_000);

	it("works every draft out again when a value all drafts share changes (the main connector's record)", () => {
		const id = started();
		expect(listed(id)).toEqual([
			['Aalto Hammas Oy', 'ready'],
			['Berg Terapia Oy', 'gaps']
		]);
		const fingerprint = () => db.select().from(agreementCampaign).where(eq(agreementCampaign.id, id)).get()!.stateFingerprint;
		const before = fingerprint();
		db.update(mainConnector).set({ soteriRegistration: ' ' }).run();
		expect(listed(id)).toEqual([
			['Aalto Hammas Oy', 'gaps'],
			['Berg Terapia Oy', 'gaps']
		]);
		expect(fingerprint()).not.toBe(before);
		expect(countCampaignStates(db, id, T0)).toMatchObject({ gaps: 2, ready: 0 });
		db.update(mainConnector).set({ soteriRegistration: 'SOTERI-MAIN' }).run();
		expect(countCampaignStates(db, id, T0)).toMatchObject({ gaps: 1, ready: 1 });
		expect(fingerprint()).toBe(before);
		expectCountsAsComputed(id);
	});

	it('sees what another connection wrote with plain SQL (a script, an import in another process)', () => {
		const file = join(dataDir, `two-connections-${crypto.randomUUID()}.db`);
		db = openDatabase(file);
		try {
			world = setUpAgreementWorld(db, passwordHash, { tenant: { name: 'Aalto Hammas Oy' } });
			const berg = addAgreementTenant(db, world.admin, passwordHash, {
				input: { name: 'Berg Terapia Oy', soteriRegistration: '' }
			}).tenantId;
			for (const tenantId of [world.tenantId, berg]) insertAgreementRow(db, tenantId, 'in_force', at(-400));
			const id = started();
			expect(listed(id)).toEqual([
				['Aalto Hammas Oy', 'ready'],
				['Berg Terapia Oy', 'gaps']
			]);
			const other = new Database(file);
			try {
				other.prepare('update tenant set soteri_registration = ? where id = ?').run('SOTERI-2026-0042', berg);
				other.prepare("update agreement set place = '' where tenant_id = ? and status = 'draft'").run(world.tenantId);
				other.prepare('update tenant set name = ? where id = ?').run('Berg Terapia (uusi) Oy', berg);
			} finally {
				other.close();
			}
			expect(listed(id)).toEqual([
				['Aalto Hammas Oy', 'gaps'],
				['Berg Terapia (uusi) Oy', 'ready']
			]);
			expectCountsAsComputed(id);
		} finally {
			db.$client.close();
		}
	});
});
