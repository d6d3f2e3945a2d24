import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { agreementTemplate, auditEntry, tenantService } from '../db/schema';
import { listServices } from '../services/kanta-services';
import { hashPassword } from '../auth/password';
import { confirmEnrolment, currentCode, pendingSecret } from '../auth/two-factor';
import { createSession, generateSessionToken, hashToken } from '../auth/session';
import { listEntriesForTarget, verifyAuditChain } from '../audit/audit-log';
import { getTenant, setTenantArchived, updateTenant } from '../tenants/tenants';
import { listDesignatedPersons, removeDesignatedPerson } from '../organisation/organisation';
import {
	ADMIN_ACTOR,
	DRAFT_CHOICES,
	addAgreementTenant,
	freshDb,
	setUpAgreementWorld,
	tenantInput,
	type AgreementWorld
} from '../test-support';
import {
	createDraft,
	declineAgreement,
	getAgreement,
	giveNotice,
	listSignatures,
	rescindAgreement,
	runAgreementSweep,
	sendForSignature,
	setServiceAgreementEnd,
	signAgreement,
	SIGNATURE_METHODS,
	updateDraft
} from './agreements';
import { addUploadedTemplate, getTemplate, setDefaultTemplate } from './templates-store';
import type { AgreementContent } from './values';

const PASSWORD = 'oikea-hevonen-akku-niitti';
const CLIENT = { ipAddress: '198.51.100.7', userAgent: 'vitest' };
const T0 = new Date('2026-01-10T09:00:00Z');

let passwordHash: string;
beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

let db: Db;
let world: AgreementWorld;
beforeEach(() => {
	db = freshDb();
	world = setUpAgreementWorld(db, passwordHash, { tenant: { name: 'Hammaslääkäri Virtanen Oy' }, tenantSignerName: 'Ville Virtanen' });
});

const actions = (id: string) => listEntriesForTarget(db, id).map((e) => e.action);

function draft(tenantId = world.tenantId, choices = DRAFT_CHOICES): string {
	const created = createDraft(db, world.admin, { tenantId, templateId: world.templateId }, T0);
	if (!created.ok) throw new Error(created.reason);
	expect(updateDraft(db, world.admin, created.id, choices, T0)).toEqual({ ok: true, status: 'draft' });
	return created.id;
}

function sent(tenantId = world.tenantId): string {
	const id = draft(tenantId);
	expect(sendForSignature(db, world.admin, id, T0)).toEqual({ ok: true });
	return id;
}

const tenantSigns = (id: string, typedName = 'Ville Virtanen', password = PASSWORD, signer = world.tenantSigner) =>
	signAgreement(db, signer, id, { typedName, title: 'Toimitusjohtaja', password }, CLIENT);
const mainSigns = (id: string, typedName = 'Sakari Signer', password = PASSWORD) =>
	signAgreement(db, world.mainSigner, id, { typedName, title: 'Hallituksen puheenjohtaja', password }, CLIENT);

/** The main connector's administrator, as a person who confirms who they are. */
const adminPerson = () => ({ id: world.admin.id!, email: world.admin.label, tenantId: null });
const notice = (
	id: string,
	now?: Date,
	person: { id: string; email: string; tenantId: string | null } = adminPerson(),
	password = PASSWORD
) => giveNotice(db, person, id, { password }, CLIENT, now);
const rescind = (id: string, reason: string, now?: Date, password = PASSWORD) =>
	rescindAgreement(db, adminPerson(), id, { reason, password }, CLIENT, now);

async function inForce(tenantId = world.tenantId, signer = world.tenantSigner): Promise<string> {
	const id = sent(tenantId);
	expect(await tenantSigns(id, signer.name, PASSWORD, signer)).toEqual({ ok: true, status: 'awaiting_countersignature' });
	expect(await mainSigns(id)).toEqual({ ok: true, status: 'in_force' });
	return id;
}

describe('createDraft', () => {
	it('copies the template text into the agreement, so later template changes leave it alone', () => {
		const template = getTemplate(db, world.templateId)!;
		const created = createDraft(db, world.admin, { tenantId: world.tenantId, templateId: template.id }, T0);
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		const stored = getAgreement(db, created.id)!;
		expect(stored).toMatchObject({
			status: 'draft',
			language: 'fi',
			templateId: template.id,
			place: 'Helsinki',
			valuesSnapshot: null,
			contentHash: null
		});
		expect(stored.templateSource).toBe(template.source);

		// A new version becomes the default, and (however unlikely) the stored row itself changes.
		const v3 = addUploadedTemplate(
			db,
			ADMIN_ACTOR,
			template.source.replace('version: 2', 'version: 3').replace('## 1 § Sopijapuolet', '## 1 § Uudet sopijapuolet')
		);
		expect(v3.ok).toBe(true);
		if (v3.ok) setDefaultTemplate(db, ADMIN_ACTOR, v3.id);
		db.update(agreementTemplate)
			.set({ source: `${template.source}\nLisäys.` })
			.where(eq(agreementTemplate.id, template.id))
			.run();

		const after = getAgreement(db, created.id)!;
		expect(after.templateSource).toBe(template.source);
		expect(after.templateSource).not.toContain('Uudet sopijapuolet');
		expect(after.templateId).toBe(template.id);
		expect(actions(created.id)).toEqual(['agreement.create']);
	});

	it('refuses an archived tenant and an unknown template', () => {
		setTenantArchived(db, world.admin, world.tenantId, true);
		expect(createDraft(db, world.admin, { tenantId: world.tenantId, templateId: world.templateId })).toEqual({
			ok: false,
			reason: 'no_tenant'
		});
		setTenantArchived(db, world.admin, world.tenantId, false);
		expect(createDraft(db, world.admin, { tenantId: world.tenantId, templateId: crypto.randomUUID() })).toEqual({
			ok: false,
			reason: 'no_template'
		});
		expect(createDraft(db, world.admin, { tenantId: crypto.randomUUID(), templateId: world.templateId })).toEqual({
			ok: false,
			reason: 'no_tenant'
		});
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'agreement.create')).all()).toHaveLength(0);
	});
});

describe('Annex 1 of a new agreement', () => {
	it('leaves out a service kept only for older records (Kelain, the Pharmaceutical Database)', () => {
		// Tenants recorded before these stopped being a tenant's choice may still carry them.
		const { tenantId } = addAgreementTenant(db, world.admin, passwordHash, { services: ['prescription'] });
		const withdrawn = listServices(db).filter((s) => s.code === 'kelain' || s.code === 'pharmaceutical_database');
		db.insert(tenantService)
			.values(withdrawn.map((s) => ({ tenantId, serviceId: s.id })))
			.run();
		expect(getTenant(db, tenantId)!.serviceIds).toHaveLength(3);
		const id = draft(tenantId);
		expect(sendForSignature(db, world.admin, id, T0)).toEqual({ ok: true });
		const snapshot = JSON.parse(getAgreement(db, id)!.valuesSnapshot!) as AgreementContent;
		expect(snapshot.annex1).toEqual(['Resepti']);
		expect(snapshot.values['uses.prescription']).toBe(true);
		expect(snapshot.values['uses.kelain']).toBeUndefined();
		expect(snapshot.values['uses.pharmaceutical_database']).toBeUndefined();
	});
});

describe('sendForSignature', () => {
	it('refuses while values are missing and names each of them', () => {
		const fresh = freshDb();
		const w = setUpAgreementWorld(fresh, passwordHash, { omitRoles: ['archivist'], tenant: { soteriRegistration: '' } });
		const created = createDraft(fresh, w.admin, { tenantId: w.tenantId, templateId: w.templateId }, T0);
		if (!created.ok) throw new Error(created.reason);
		const result = sendForSignature(fresh, w.admin, created.id, T0);
		expect(result).toEqual({ ok: false, missing: ['contact.archivist', 'tenant.soteri'] });
		const stored = getAgreement(fresh, created.id)!;
		expect(stored).toMatchObject({ status: 'draft', valuesSnapshot: null, contentHash: null });
		expect(listEntriesForTarget(fresh, created.id).map((e) => e.action)).toEqual(['agreement.create']);
	});

	it('freezes the values and a content hash; later record changes do not reach the agreement', () => {
		const id = draft();
		expect(sendForSignature(db, world.admin, id, T0)).toEqual({ ok: true });
		const frozen = getAgreement(db, id)!;
		expect(frozen.status).toBe('awaiting_tenant_signature');
		expect(frozen.contentHash).toMatch(/^[0-9a-f]{64}$/);
		const snapshot = JSON.parse(frozen.valuesSnapshot!) as AgreementContent;
		expect(snapshot.values['tenant.name']).toBe('Hammaslääkäri Virtanen Oy');
		expect(snapshot.values['contact.archivist']).toBe('Arja Arkisto, Arkistonhoitaja, arkisto@mc.example.fi');
		expect(snapshot.values['uses.will_expression']).toBe(true);
		expect(snapshot.annex1).toEqual(['Potilastiedon arkisto', 'Tiedonhallintapalvelu', 'Tahdonilmaisupalvelu']);

		const before = getTenant(db, world.tenantId)!;
		const renamed = tenantInput({ name: 'Uusi Nimi Oy', businessId: before.businessId, soteriRegistration: 'SOTERI-UUSI', serviceIds: [] });
		expect(updateTenant(db, world.admin, world.tenantId, renamed)).toEqual({ ok: true, id: world.tenantId });
		removeDesignatedPerson(db, world.admin, listDesignatedPersons(db).find((p) => p.role === 'archivist')!.id);
		const after = getAgreement(db, id)!;
		expect(after.valuesSnapshot).toBe(frozen.valuesSnapshot);
		expect(after.contentHash).toBe(frozen.contentHash);
		expect(actions(id)).toEqual(['agreement.create', 'agreement.edit', 'agreement.send']);
	});

	it('only sends drafts', async () => {
		const id = sent();
		expect(sendForSignature(db, world.admin, id)).toEqual({ ok: false, reason: 'wrong_state' });
		expect(sendForSignature(db, world.admin, crypto.randomUUID())).toEqual({ ok: false, reason: 'wrong_state' });
	});
});

describe('signAgreement', () => {
	it('keeps the order: tenant first, then the main connector', async () => {
		const id = sent();
		expect(await mainSigns(id)).toEqual({ ok: false, reason: 'wrong_state' });
		expect(getAgreement(db, id)!.status).toBe('awaiting_tenant_signature');
		expect(listSignatures(db, id, true)).toHaveLength(0);

		expect(await tenantSigns(id)).toEqual({ ok: true, status: 'awaiting_countersignature' });
		expect(await tenantSigns(id)).toEqual({ ok: false, reason: 'wrong_state' });
		expect(listSignatures(db, id)).toHaveLength(1);
	});

	it('refuses a wrong password and a typed name that is not the account name', async () => {
		const id = sent();
		expect(await tenantSigns(id, 'Ville Virtanen', 'väärä-salasana')).toEqual({ ok: false, reason: 'wrong_password' });
		expect(await tenantSigns(id, 'Ville Virtala')).toEqual({ ok: false, reason: 'name_mismatch' });
		expect(await tenantSigns(id, 'Ville')).toEqual({ ok: false, reason: 'name_mismatch' });
		expect(getAgreement(db, id)!.status).toBe('awaiting_tenant_signature');
		expect(listSignatures(db, id, true)).toHaveLength(0);
		expect(actions(id)).not.toContain('agreement.sign');
	});

	it('asks a signer who uses an authenticator for its code as well, once per code', async () => {
		const id = sent();
		const t = new Date();
		expect(await tenantSigns(id)).toEqual({ ok: true, status: 'awaiting_countersignature' });
		const secret = pendingSecret(db, ADMIN_ACTOR, world.mainSigner, t);
		const signerSession = generateSessionToken();
		createSession(db, signerSession, world.mainSigner.id, {}, t);
		const enrolled = confirmEnrolment(db, ADMIN_ACTOR, world.mainSigner, currentCode(secret, t, -1), hashToken(signerSession), t);
		expect(enrolled.ok).toBe(true);
		const countersign = (code?: string) =>
			signAgreement(
				db,
				world.mainSigner,
				id,
				{ typedName: 'Sakari Signer', title: 'Hallituksen puheenjohtaja', password: PASSWORD, code },
				CLIENT,
				t
			);

		expect(await countersign()).toEqual({ ok: false, reason: 'wrong_code' });
		expect(await countersign('000000')).toEqual({ ok: false, reason: 'wrong_code' });
		// The code spent at enrolment does not sign.
		expect(await countersign(currentCode(secret, t, -1))).toEqual({ ok: false, reason: 'wrong_code' });
		expect(getAgreement(db, id)!.status).toBe('awaiting_countersignature');
		expect(await countersign(currentCode(secret, t))).toEqual({ ok: true, status: 'in_force' });
		expect(listSignatures(db, id).find((s) => s.party === 'main_connector')!.method).toBe(SIGNATURE_METHODS.passwordAndCode);
		expect(listSignatures(db, id).find((s) => s.party === 'tenant')!.method).toBe(SIGNATURE_METHODS.password);
	});

	it('accepts the name in another case and with extra spaces, and stores it tidied', async () => {
		const id = sent();
		expect(await tenantSigns(id, '  VILLE    virtanen ')).toEqual({ ok: true, status: 'awaiting_countersignature' });
		const [signature] = listSignatures(db, id);
		expect(signature).toMatchObject({
			party: 'tenant',
			userId: world.tenantSigner.id,
			signerName: 'VILLE virtanen',
			signerTitle: 'Toimitusjohtaja',
			organisationName: 'Hammaslääkäri Virtanen Oy',
			contentHash: getAgreement(db, id)!.contentHash,
			ipAddress: CLIENT.ipAddress,
			invalidatedAt: null
		});
	});

	it('puts the agreement in force on the countersignature and moves the tenant on', async () => {
		expect(getTenant(db, world.tenantId)!.stage).toBe('invited');
		const id = sent();
		await tenantSigns(id);
		const before = Date.now();
		expect(await mainSigns(id)).toEqual({ ok: true, status: 'in_force' });
		const stored = getAgreement(db, id)!;
		expect(stored.status).toBe('in_force');
		expect(stored.inForceAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
		expect(listSignatures(db, id).map((s) => [s.party, s.signerName, s.organisationName])).toEqual([
			['tenant', 'Ville Virtanen', 'Hammaslääkäri Virtanen Oy'],
			['main_connector', 'Sakari Signer', 'Pääliittyjä Terveys Oy']
		]);
		expect(getTenant(db, world.tenantId)!.stage).toBe('agreement_signed');
		expect(actions(id)).toEqual(['agreement.create', 'agreement.edit', 'agreement.send', 'agreement.sign', 'agreement.countersign']);
		expect(actions(world.tenantId)).toContain('tenant.stage_change');
		expect(verifyAuditChain(db).ok).toBe(true);
	});

	it('supersedes the earlier in-force agreement of the same tenant, and only that one', async () => {
		const other = addAgreementTenant(db, world.admin, passwordHash, { input: { name: 'Toinen Oy' } });
		const othersAgreement = await inForce(other.tenantId, other.signer);
		const first = await inForce();
		const second = await inForce();
		expect(getAgreement(db, first)).toMatchObject({ status: 'superseded', supersededById: second });
		expect(getAgreement(db, second)).toMatchObject({ status: 'in_force', supersededById: null });
		expect(getAgreement(db, othersAgreement)!.status).toBe('in_force');
		expect(actions(first).at(-1)).toBe('agreement.supersede');
		expect(verifyAuditChain(db).ok).toBe(true);
	});

	it('supersedes an agreement under notice as well', async () => {
		const first = await inForce();
		expect((await notice(first, undefined, world.tenantSigner)).ok).toBe(true);
		const second = await inForce();
		expect(getAgreement(db, first)).toMatchObject({ status: 'superseded', supersededById: second });
	});
});

describe('updateDraft', () => {
	it('after the tenant signed: invalidates the signature and sends it back to the tenant with a new hash', async () => {
		const id = sent();
		await tenantSigns(id);
		const signedHash = getAgreement(db, id)!.contentHash;
		const later = new Date('2026-01-11T12:00:00Z');
		expect(updateDraft(db, world.admin, id, { ...DRAFT_CHOICES, noticeMonths: 3 }, later)).toEqual({
			ok: true,
			status: 'awaiting_tenant_signature'
		});

		const stored = getAgreement(db, id)!;
		expect(stored.status).toBe('awaiting_tenant_signature');
		expect(stored.noticeMonths).toBe(3);
		expect(stored.contentHash).toMatch(/^[0-9a-f]{64}$/);
		expect(stored.contentHash).not.toBe(signedHash);
		expect(JSON.parse(stored.valuesSnapshot!).values['notice.months']).toBe('3');
		expect(listSignatures(db, id)).toEqual([]);
		const all = listSignatures(db, id, true);
		expect(all).toHaveLength(1);
		expect(all[0].invalidatedAt).toEqual(later);
		expect(actions(id).at(-1)).toBe('agreement.edit');
		expect(listEntriesForTarget(db, id).at(-1)!.summary).toContain('signatures invalidated');

		// The main connector still cannot countersign; the tenant signs the new text again.
		expect(await mainSigns(id)).toEqual({ ok: false, reason: 'wrong_state' });
		expect(await tenantSigns(id)).toEqual({ ok: true, status: 'awaiting_countersignature' });
		expect(listSignatures(db, id).map((s) => s.contentHash)).toEqual([stored.contentHash]);
	});

	it('refuses an agreement in force and leaves it as it was', async () => {
		const id = await inForce();
		const before = getAgreement(db, id)!;
		expect(updateDraft(db, world.admin, id, { ...DRAFT_CHOICES, place: 'Turku' })).toEqual({ ok: false, reason: 'not_editable' });
		expect(getAgreement(db, id)).toEqual(before);
		expect(listSignatures(db, id)).toHaveLength(2);
	});

	it('refuses a change after sending that leaves a value missing', () => {
		const id = sent();
		const before = getAgreement(db, id)!;
		expect(updateDraft(db, world.admin, id, { ...DRAFT_CHOICES, place: '  ' })).toEqual({ ok: false, missing: ['place'] });
		expect(getAgreement(db, id)).toEqual(before);
	});
});

describe('declineAgreement', () => {
	it('returns to draft with the reason and clears the frozen content', async () => {
		const id = sent();
		expect(declineAgreement(db, world.mainSigner, id, 'väärä vuokralainen', '192.0.2.5')).toBe(false);
		expect(declineAgreement(db, world.tenantSigner, id, 'Y-tunnus on väärin', '192.0.2.5')).toBe(true);
		expect(getAgreement(db, id)).toMatchObject({
			status: 'draft',
			declinedReason: 'Y-tunnus on väärin',
			valuesSnapshot: null,
			contentHash: null
		});
		const entry = listEntriesForTarget(db, id).at(-1)!;
		expect(entry).toMatchObject({
			action: 'agreement.decline',
			actorId: world.tenantSigner.id,
			summary: 'Y-tunnus on väärin',
			ipAddress: '192.0.2.5'
		});

		// Sent again, the reason is cleared.
		expect(sendForSignature(db, world.admin, id)).toEqual({ ok: true });
		expect(getAgreement(db, id)!.declinedReason).toBeNull();
	});

	it('by the main connector, invalidates the tenant signature', async () => {
		const id = sent();
		await tenantSigns(id);
		expect(declineAgreement(db, world.mainSigner, id, 'hinnasto puuttuu', '')).toBe(true);
		expect(getAgreement(db, id)!.status).toBe('draft');
		expect(listSignatures(db, id)).toEqual([]);
		expect(listSignatures(db, id, true)[0].invalidatedAt).not.toBeNull();
	});
});

describe('notice, ending and rescinding', () => {
	const endCount = (id: string, action: string) => listEntriesForTarget(db, id).filter((e) => e.action === action).length;

	it('giveNotice counts the notice period from today in Helsinki', async () => {
		const id = await inForce();
		// 22:30 UTC on 31 January is already 1 February in Helsinki: the period ends 1 March, not 28 February.
		const now = new Date('2026-01-31T22:30:00Z');
		expect(await notice(id, now)).toEqual({ ok: true, endDate: '2026-03-01' });
		expect(getAgreement(db, id)).toMatchObject({
			status: 'notice_given',
			noticeGivenBy: 'main_connector',
			noticeGivenAt: now,
			endDate: '2026-03-01'
		});
		expect(getTenant(db, world.tenantId)!.stage).toBe('notice_given');
		expect(listEntriesForTarget(db, id).at(-1)).toMatchObject({
			action: 'agreement.notice',
			summary: 'by main_connector; ends 2026-03-01'
		});
		expect(await notice(id, now, world.tenantSigner)).toEqual({ ok: false, reason: 'wrong_state' });
	});

	it('giveNotice uses the agreed notice period', async () => {
		const id = sent();
		expect(updateDraft(db, world.admin, id, { ...DRAFT_CHOICES, noticeMonths: 6 }).ok).toBe(true);
		await tenantSigns(id);
		await mainSigns(id);
		expect(await notice(id, new Date('2026-08-31T09:00:00Z'), world.tenantSigner)).toEqual({ ok: true, endDate: '2027-02-28' });
	});

	it('the sweep ends an agreement under notice on its end date, exactly once', async () => {
		const id = await inForce();
		await notice(id, new Date('2026-01-31T22:30:00Z'), world.tenantSigner);

		// 23:59 on 28 February in Helsinki: not yet.
		expect(runAgreementSweep(db, new Date('2026-02-28T21:59:00Z'))).toEqual({ ended: [], endedAutomatically: [] });
		expect(getAgreement(db, id)!.status).toBe('notice_given');
		expect(endCount(id, 'agreement.end')).toBe(0);

		const due = new Date('2026-02-28T22:00:00Z'); // 00:00 on 1 March in Helsinki
		expect(runAgreementSweep(db, due)).toEqual({ ended: [id], endedAutomatically: [] });
		expect(getAgreement(db, id)).toMatchObject({ status: 'ended', endedAt: due });
		expect(getTenant(db, world.tenantId)!.stage).toBe('ended');

		expect(runAgreementSweep(db, due)).toEqual({ ended: [], endedAutomatically: [] });
		expect(runAgreementSweep(db, new Date('2026-06-01T09:00:00Z'))).toEqual({ ended: [], endedAutomatically: [] });
		expect(getAgreement(db, id)!.endedAt).toEqual(due);
		expect(endCount(id, 'agreement.end')).toBe(1);
		expect(verifyAuditChain(db).ok).toBe(true);
	});

	it('the sweep leaves agreements in force without notice alone', async () => {
		const id = await inForce();
		expect(runAgreementSweep(db, new Date('2030-01-01T09:00:00Z'))).toEqual({ ended: [], endedAutomatically: [] });
		expect(getAgreement(db, id)!.status).toBe('in_force');
	});

	it('an ended service-production agreement ends this one automatically', async () => {
		const id = await inForce();
		expect(setServiceAgreementEnd(db, world.admin, id, '2026-05-31')).toBe(true);
		expect(getAgreement(db, id)!.serviceAgreementEndDate).toBe('2026-05-31');
		expect(listEntriesForTarget(db, id).at(-1)).toMatchObject({ action: 'agreement.service_agreement_end', summary: '2026-05-31' });

		expect(runAgreementSweep(db, new Date('2026-05-30T20:59:00Z'))).toEqual({ ended: [], endedAutomatically: [] });
		const now = new Date('2026-05-30T21:00:00Z'); // 00:00 on 31 May in Helsinki (summer time)
		expect(runAgreementSweep(db, now)).toEqual({ ended: [], endedAutomatically: [id] });
		expect(getAgreement(db, id)).toMatchObject({ status: 'ended_automatically', endedAt: now });
		expect(runAgreementSweep(db, now)).toEqual({ ended: [], endedAutomatically: [] });
		expect(endCount(id, 'agreement.end_automatically')).toBe(1);
		expect(setServiceAgreementEnd(db, world.admin, id, null)).toBe(false);
	});

	it('rescindAgreement ends an agreement in force or under notice at once, and nothing else', async () => {
		const draftId = draft();
		expect(await rescind(draftId, 'vakava rikkomus')).toEqual({ ok: false, reason: 'wrong_state' });
		const awaiting = sent(addAgreementTenant(db, world.admin, passwordHash).tenantId);
		expect(await rescind(awaiting, 'vakava rikkomus')).toEqual({ ok: false, reason: 'wrong_state' });
		expect(getAgreement(db, draftId)!.status).toBe('draft');
		expect(getAgreement(db, awaiting)!.status).toBe('awaiting_tenant_signature');

		const id = await inForce();
		const now = new Date('2026-04-15T21:30:00Z'); // 16 April in Helsinki
		expect(await rescind(id, 'tietoturvaloukkaus', now)).toEqual({ ok: true });
		expect(getAgreement(db, id)).toMatchObject({
			status: 'rescinded',
			rescindReason: 'tietoturvaloukkaus',
			endedAt: now,
			endDate: '2026-04-16'
		});
		expect(getTenant(db, world.tenantId)!.stage).toBe('ended');
		expect(await rescind(id, 'uudelleen')).toEqual({ ok: false, reason: 'wrong_state' });
		expect(endCount(id, 'agreement.rescind')).toBe(1);

		const other = addAgreementTenant(db, world.admin, passwordHash);
		const underNotice = await inForce(other.tenantId, other.signer);
		await notice(underNotice, undefined, other.signer);
		expect(await rescind(underNotice, 'maksut laiminlyöty')).toEqual({ ok: true });
		expect(getAgreement(db, underNotice)!.status).toBe('rescinded');
	});
});

describe('step-up before notice and rescission', () => {
	const failedStepUps = () => db.select().from(auditEntry).where(eq(auditEntry.action, 'auth.step_up_failed')).all();

	it('refuses notice and rescission without the right password, and records the attempts', async () => {
		const id = await inForce();
		expect(await notice(id, T0, world.tenantSigner, 'väärä-salasana')).toEqual({ ok: false, reason: 'wrong_password' });
		expect(await rescind(id, 'vakava rikkomus', T0, '')).toEqual({ ok: false, reason: 'wrong_password' });
		expect(getAgreement(db, id)!.status).toBe('in_force');
		expect(failedStepUps()).toMatchObject([
			{ actorId: world.tenantSigner.id, targetId: world.tenantSigner.id, summary: 'notice', ipAddress: CLIENT.ipAddress },
			{ actorId: world.admin.id, targetId: world.admin.id, summary: 'rescind' }
		]);
		expect(actions(id)).not.toContain('agreement.notice');
	});

	it('asks a person who uses an authenticator for its code as well, exactly like a signature', async () => {
		const id = await inForce();
		const t = new Date();
		const secret = pendingSecret(db, ADMIN_ACTOR, adminPerson(), t);
		const adminSession = generateSessionToken();
		createSession(db, adminSession, world.admin.id!, {}, t);
		expect(confirmEnrolment(db, ADMIN_ACTOR, adminPerson(), currentCode(secret, t, -1), hashToken(adminSession), t).ok).toBe(true);
		const confirm = (code?: string) =>
			rescindAgreement(db, adminPerson(), id, { reason: 'vakava rikkomus', password: PASSWORD, code }, CLIENT, t);
		expect(await confirm()).toEqual({ ok: false, reason: 'wrong_code' });
		expect(await confirm('000000')).toEqual({ ok: false, reason: 'wrong_code' });
		expect(getAgreement(db, id)!.status).toBe('in_force');
		expect(await confirm(currentCode(secret, t))).toEqual({ ok: true });
		expect(getAgreement(db, id)!.status).toBe('rescinded');
	});

	it('throttles password guesses at notice like sign-in: five checked, then refused even with the right password', async () => {
		const id = await inForce();
		for (let i = 0; i < 5; i++)
			expect(await notice(id, T0, world.tenantSigner, `arvaus ${i}`)).toEqual({ ok: false, reason: 'wrong_password' });
		expect(await notice(id, T0, world.tenantSigner)).toEqual({
			ok: false,
			reason: 'throttled',
			retryAt: new Date(T0.getTime() + 60_000),
			field: 'password'
		});
		expect(failedStepUps()).toHaveLength(5);
		expect(getAgreement(db, id)!.status).toBe('in_force');
		expect(await notice(id, new Date(T0.getTime() + 60_000), world.tenantSigner)).toMatchObject({ ok: true });
	});
});

describe('audit trail', () => {
	it('records every step of a full life, and the chain stays intact', async () => {
		const id = sent();
		declineAgreement(db, world.tenantSigner, id, 'korjattavaa', '');
		updateDraft(db, world.admin, id, { ...DRAFT_CHOICES, place: 'Espoo' });
		sendForSignature(db, world.admin, id);
		await tenantSigns(id);
		await mainSigns(id);
		setServiceAgreementEnd(db, world.admin, id, '2030-12-31');
		await notice(id, new Date('2026-03-01T10:00:00Z'), world.tenantSigner);
		runAgreementSweep(db, new Date('2026-04-01T10:00:00Z'));
		expect(actions(id)).toEqual([
			'agreement.create',
			'agreement.edit',
			'agreement.send',
			'agreement.decline',
			'agreement.edit',
			'agreement.send',
			'agreement.sign',
			'agreement.countersign',
			'agreement.service_agreement_end',
			'agreement.notice',
			'agreement.end'
		]);
		const entries = listEntriesForTarget(db, id);
		expect(entries.every((e) => e.targetType === 'agreement' && e.tenantId === world.tenantId)).toBe(true);
		expect(entries.find((e) => e.action === 'agreement.end')!.actorLabel).toBe('system');
		expect(entries.find((e) => e.action === 'agreement.countersign')).toMatchObject({
			actorId: world.mainSigner.id,
			ipAddress: CLIENT.ipAddress
		});
		expect(verifyAuditChain(db)).toMatchObject({ ok: true });
	});
});
