import { and, count, desc, eq, inArray, isNull, lte, ne, or, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import {
	agreement,
	agreementSignature,
	tenant,
	type Agreement,
	type AgreementSignature,
	type AgreementTemplate,
	type MainConnector
} from '../db/schema';
import type { AgreementStatus, Party, WebhookEvent } from '../../domain';
import { audit, SYSTEM_ACTOR, type Actor } from '../actor';
import type { SessionUser } from '../auth/session';
import { stepUp, type Confirmation, type StepUpRefused } from '../auth/step-up';
import type { TwoFactorPerson } from '../auth/two-factor';
import { getUser } from '../auth/accounts';
import { getMainConnector } from '../organisation/organisation';
import { getTenant } from '../tenants/tenants';
import { advanceTenantStage } from '../tenant-stage';
import { addMonths, todayInHelsinki } from '../../time';
import { isEditable, isEffective, nextStatus, type AgreementEvent } from './lifecycle';
import { fillTemplate, MissingValuesError, parseTemplate } from './template';
import { getTemplate, sha256Hex } from './templates-store';
import { currentContent, type AgreementContent, type SharedValues } from './values';
import { recordEffect } from '../effects/effects';
import { enqueueWebhookEvent } from '../webhooks/outbox';
import {
	checkIdentification,
	signingRequirement,
	startIdentification,
	subjectHash,
	type IdentificationRefusal,
	type StrongIdentification
} from './strong-identification';
import type { AgreementStep } from './notify';

export function getAgreement(db: DbOrTx, id: string): Agreement | undefined {
	return db.select().from(agreement).where(eq(agreement.id, id)).get();
}

export function listTenantAgreements(db: DbOrTx, tenantId: string): Agreement[] {
	return db.select().from(agreement).where(eq(agreement.tenantId, tenantId)).orderBy(desc(agreement.createdAt)).all();
}

export type AgreementListRow = Pick<Agreement, 'id' | 'tenantId' | 'status' | 'language' | 'createdAt' | 'inForceAt'> & {
	tenantName: string;
};

/**
 * Every tenant's agreements, newest first, a page at a time. Only the columns the list shows: the
 * (status,) created_at indexes hold them all, so neither the sort nor the count reads an agreement
 * row (each carries its whole template text), and the page stops after its rows.
 */
export function listAgreements(
	db: Db,
	filter: { status?: AgreementStatus; page: number; pageSize: number }
): { rows: AgreementListRow[]; total: number } {
	const where = filter.status ? eq(agreement.status, filter.status) : undefined;
	const total = db.select({ n: count() }).from(agreement).where(where).get()?.n ?? 0;
	const rows = db
		.select({
			id: agreement.id,
			tenantId: agreement.tenantId,
			status: agreement.status,
			language: agreement.language,
			createdAt: agreement.createdAt,
			inForceAt: agreement.inForceAt,
			tenantName: tenant.name
		})
		.from(agreement)
		.innerJoin(tenant, eq(agreement.tenantId, tenant.id))
		.where(where)
		.orderBy(desc(agreement.createdAt), desc(agreement.id))
		.limit(filter.pageSize)
		.offset((filter.page - 1) * filter.pageSize)
		.all();
	return { rows, total };
}

/** Signatures that still count (a later edit invalidates earlier ones). */
export function listSignatures(db: DbOrTx, agreementId: string, includeInvalidated = false): AgreementSignature[] {
	const conditions: SQL[] = [eq(agreementSignature.agreementId, agreementId)];
	if (!includeInvalidated) conditions.push(isNull(agreementSignature.invalidatedAt));
	return db
		.select()
		.from(agreementSignature)
		.where(and(...conditions))
		.orderBy(agreementSignature.signedAt)
		.all();
}

/** Moves the agreement on, refusing anything the state machine does not allow. */
/** Who is told of each step (see `notify.ts`); a step not listed tells no one. */
const NOTICES: Partial<Record<AgreementEvent, AgreementStep>> = {
	send_for_signature: 'sent',
	tenant_sign: 'tenant_signed',
	countersign: 'in_force',
	decline: 'declined',
	give_notice: 'notice',
	end: 'ended',
	end_automatically: 'ended',
	rescind: 'ended'
};

/**
 * The webhook events of each step. Countersigning is both a signature and the moment the
 * agreement comes into force, so it publishes both; every way out of force is `agreement.ended`
 * with the final status (ended, ended_automatically, rescinded, superseded).
 */
const WEBHOOK_EVENTS_OF: Partial<Record<AgreementEvent, WebhookEvent[]>> = {
	tenant_sign: ['agreement.signed'],
	countersign: ['agreement.countersigned', 'agreement.in_force'],
	end: ['agreement.ended'],
	end_automatically: ['agreement.ended'],
	rescind: ['agreement.ended'],
	supersede: ['agreement.ended']
};

function publishStep(
	tx: DbOrTx,
	current: Agreement,
	event: AgreementEvent,
	status: AgreementStatus,
	changes: Partial<Agreement>,
	now: Date
) {
	for (const type of WEBHOOK_EVENTS_OF[event] ?? []) {
		const data: Record<string, unknown> = { agreementId: current.id, tenantId: current.tenantId, from: current.status, to: status };
		if (type === 'agreement.in_force') data.inForceAt = now.toISOString();
		if (type === 'agreement.ended') {
			data.endedAt = now.toISOString();
			const endDate = changes.endDate ?? current.endDate;
			if (endDate) data.endDate = endDate;
			if (changes.supersededById) data.supersededById = changes.supersededById;
		}
		enqueueWebhookEvent(tx, type, data, now);
	}
}

function transition(
	tx: DbOrTx,
	current: Agreement,
	event: AgreementEvent,
	changes: Partial<Agreement>,
	now: Date,
	/** A word from the administrator carried in the step's e-mail (a campaign's message). */
	note = ''
): AgreementStatus {
	const status = nextStatus(current.status, event);
	// The status in the WHERE clause makes a concurrent second attempt a no-op rather than a double step.
	const result = tx
		.update(agreement)
		.set({ ...changes, status, updatedAt: now })
		.where(and(eq(agreement.id, current.id), eq(agreement.status, current.status)))
		.run();
	if (result.changes !== 1) throw new Error(`Agreement ${current.id} changed while it was being updated`);
	// The follow-up is recorded with the step, so it exists exactly when the step does (follow-up.ts).
	if (event === 'countersign') recordEffect(tx, { kind: 'agreement.seal', subjectId: current.id });
	// A change after sending goes back to the tenant: it is sent again.
	const notice = event === 'edit' ? (current.status === 'draft' ? undefined : 'sent') : NOTICES[event];
	if (notice)
		recordEffect(tx, { kind: 'agreement.notify', subjectId: current.id, payload: note ? { step: notice, note } : { step: notice } });
	// Webhooks are queued here, where the status really changes, in the same transaction.
	publishStep(tx, current, event, status, changes, now);
	return status;
}

export type CreateDraftResult = { ok: true; id: string } | { ok: false; reason: 'no_tenant' | 'no_template' };

export function createDraft(db: Db, actor: Actor, input: { tenantId: string; templateId: string }, now = new Date()): CreateDraftResult {
	return db.transaction((tx) => insertDraft(tx, actor, input, now));
}

/**
 * A new draft inside the caller's transaction (a campaign makes many in one). `known` carries what
 * the caller has already read for many drafts (the template, the main connector); it must be current.
 */
export function insertDraft(
	tx: DbOrTx,
	actor: Actor,
	input: { tenantId: string; templateId: string },
	now = new Date(),
	known: { templates?: Map<string, AgreementTemplate>; main?: MainConnector } = {}
): CreateDraftResult {
	const party = tx.select({ id: tenant.id, archivedAt: tenant.archivedAt }).from(tenant).where(eq(tenant.id, input.tenantId)).get();
	if (!party || party.archivedAt) return { ok: false, reason: 'no_tenant' } as const;
	const template = known.templates?.get(input.templateId) ?? getTemplate(tx, input.templateId);
	if (!template) return { ok: false, reason: 'no_template' } as const;
	const id = crypto.randomUUID();
	const main = known.main ?? getMainConnector(tx);
	tx.insert(agreement)
		.values({
			id,
			tenantId: party.id,
			templateId: template.id,
			language: template.language,
			templateSource: template.source,
			place: main?.city ?? '',
			createdAt: now
		})
		.run();
	audit(tx, actor, {
		tenantId: party.id,
		action: 'agreement.create',
		targetType: 'agreement',
		targetId: id,
		summary: `${template.templateKey} v${template.version} (${template.language})`
	});
	return { ok: true, id } as const;
}

/** Freezes what the parties will sign: the values as now, and one hash over text and values. */
function freezeContent(
	tx: DbOrTx,
	current: Agreement,
	now: Date,
	shared?: SharedValues
): { valuesSnapshot: string; contentHash: string } | { missing: string[] } {
	const content = currentContent(tx, current, now, shared);
	try {
		fillTemplate(parseTemplate(current.templateSource), content.values);
	} catch (error) {
		if (error instanceof MissingValuesError) return { missing: error.missing };
		throw error;
	}
	const valuesSnapshot = JSON.stringify(content);
	return { valuesSnapshot, contentHash: sha256Hex(`${current.templateSource}\n\u0000\n${valuesSnapshot}`) };
}

export interface DraftChoices {
	place: string;
	noticeMonths: number;
	renewalsForwarded: boolean;
	serviceAgreementReference: string;
}

export type UpdateDraftResult =
	{ ok: true; status: AgreementStatus } | { ok: false; reason: 'not_editable' } | { ok: false; missing: string[] };

/**
 * Completes or corrects the agreement. After it went out for signature, a change sends it back to
 * the tenant: the signatures given so far no longer match the text and stop counting.
 */
export function updateDraft(db: Db, actor: Actor, id: string, choices: DraftChoices, now = new Date()): UpdateDraftResult {
	return db.transaction((tx) => {
		const current = getAgreement(tx, id);
		if (!current || !isEditable(current.status)) return { ok: false, reason: 'not_editable' } as const;
		const edited = { ...current, ...choices };
		let frozen: { valuesSnapshot: string | null; contentHash: string | null } = { valuesSnapshot: null, contentHash: null };
		if (current.status !== 'draft') {
			const result = freezeContent(tx, edited, now);
			if ('missing' in result) return { ok: false, missing: result.missing } as const;
			frozen = result;
			tx.update(agreementSignature)
				.set({ invalidatedAt: now })
				.where(and(eq(agreementSignature.agreementId, id), isNull(agreementSignature.invalidatedAt)))
				.run();
		}
		const status = transition(tx, current, 'edit', { ...choices, ...frozen }, now);
		audit(tx, actor, {
			tenantId: current.tenantId,
			action: 'agreement.edit',
			targetType: 'agreement',
			targetId: id,
			summary: current.status === 'draft' ? 'draft completed' : 'changed after sending: signatures invalidated'
		});
		return { ok: true, status } as const;
	});
}

export type SendResult = { ok: true } | { ok: false; reason: 'wrong_state' } | { ok: false; missing: string[] };

/**
 * Freezes the draft's content and sends it to the tenant. `note` goes into the e-mail; `shared` is the
 * main connector's part of the values when the caller has read it once for many (a campaign).
 */
export function sendForSignature(db: Db, actor: Actor, id: string, now = new Date(), note = '', shared?: SharedValues): SendResult {
	return db.transaction((tx) => {
		const current = getAgreement(tx, id);
		if (!current || current.status !== 'draft') return { ok: false, reason: 'wrong_state' } as const;
		const frozen = freezeContent(tx, current, now, shared);
		if ('missing' in frozen) return { ok: false, missing: frozen.missing } as const;
		transition(tx, current, 'send_for_signature', { ...frozen, declinedReason: null }, now, note);
		audit(tx, actor, {
			tenantId: current.tenantId,
			action: 'agreement.send',
			targetType: 'agreement',
			targetId: id,
			summary: `content ${frozen.contentHash.slice(0, 12)}`
		});
		return { ok: true } as const;
	});
}

export interface SignatureInput extends Confirmation {
	typedName: string;
	title: string;
}

export type WrongState = { ok: false; reason: 'wrong_state' };

export type SignResult =
	| { ok: true; status: AgreementStatus }
	| WrongState
	| { ok: false; reason: 'name_mismatch' }
	| StepUpRefused
	/** The organisation requires strong identification: send the signatory to `url` (the transaction's cookie is `token`). */
	| { ok: false; reason: 'identify'; token: string; url: string; providerName: string }
	| { ok: false; reason: 'identification_unavailable' }
	| { ok: false; reason: 'identification_refused'; why: IdentificationRefusal };

/** How a signature was confirmed, as stored with it and printed on the signature page. */
export const SIGNATURE_METHODS = {
	password: 'password-step-up',
	passwordAndCode: 'password-totp-step-up',
	strongIdentification: 'oidc-strong-identification'
} as const;

const normaliseName = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fi');

/**
 * A signature: the signer types their full name and confirms who they are again (step-up:
 * password, and the authenticator code when they use one; or, where the organisation requires it,
 * a fresh strong identification at its provider, which returns here with `identified`). The
 * tenant signs first; the main connector countersigns, which puts the agreement in force and
 * supersedes the tenant's earlier agreement. The caller has checked the signer's role.
 */
export async function signAgreement(
	db: Db,
	signer: SessionUser,
	id: string,
	input: SignatureInput,
	client: { ipAddress: string; userAgent: string },
	now = new Date(),
	identified?: StrongIdentification
): Promise<SignResult> {
	const party: Party = signer.tenantId ? 'tenant' : 'main_connector';
	const expected: AgreementStatus = party === 'tenant' ? 'awaiting_tenant_signature' : 'awaiting_countersignature';
	const before = getAgreement(db, id);
	if (!before || before.status !== expected) return { ok: false, reason: 'wrong_state' };
	// The name first: a typing slip must not use up the authenticator's code.
	if (normaliseName(input.typedName) !== normaliseName(getUser(db, signer.id)?.name ?? '')) return { ok: false, reason: 'name_mismatch' };
	const actor: Actor = { id: signer.id, label: signer.email, ipAddress: client.ipAddress };
	const requirement = signingRequirement(db, signer);
	let method: string;
	if (requirement === 'unavailable') return { ok: false, reason: 'identification_unavailable' };
	if (requirement) {
		if (!identified) return { ok: false, reason: 'identify', ...(await startIdentification(db, signer, id, input, requirement, now)) };
		const check = checkIdentification(db, actor, signer, requirement, identified, now);
		if (!check.ok) return check;
		method = SIGNATURE_METHODS.strongIdentification;
	} else {
		// An identification nobody asked for (the requirement was lifted meanwhile) proves nothing checked here.
		if (identified) return { ok: false, reason: 'identification_refused', why: 'provider' };
		const confirmed = await stepUp(db, actor, signer, input, 'signature', now);
		if (!confirmed.ok) return confirmed;
		method = confirmed.withCode ? SIGNATURE_METHODS.passwordAndCode : SIGNATURE_METHODS.password;
	}
	const identity: SignatureIdentity = identified
		? {
				idProvider: identified.provider,
				idAcr: identified.acr,
				idSubjectHash: subjectHash(identified.provider, identified.subject),
				idAuthAt: identified.authTime
			}
		: {};
	const summary = identified
		? ` [${identified.provider}, acr=${identified.acr ?? '-'}, auth_time=${identified.authTime?.toISOString() ?? '-'}]`
		: '';
	return recordSignature(db, signer, party, id, input, { method, identity, summary }, before.contentHash, client, now);
}

/** Strong identification's details stored beside a signature (empty for password signatures). */
type SignatureIdentity = Partial<Pick<AgreementSignature, 'idProvider' | 'idAcr' | 'idSubjectHash' | 'idAuthAt'>>;

/** How the signer's identity was confirmed: the stored method, the identification, and what the audit entry adds. */
interface SignatureProof {
	method: string;
	identity: SignatureIdentity;
	summary: string;
}

/**
 * The signature itself, after the signer's identity was confirmed: one transaction that stores the
 * signature, moves the agreement on and, on countersigning, supersedes the tenant's earlier agreement.
 * Shared by the single signature and the batch countersignature, so both record exactly the same.
 */
function recordSignature(
	db: Db,
	signer: SessionUser,
	party: Party,
	id: string,
	input: { typedName: string; title: string },
	proof: SignatureProof,
	expectedHash: string | null,
	client: { ipAddress: string; userAgent: string },
	now: Date
): SignResult {
	const expected: AgreementStatus = party === 'tenant' ? 'awaiting_tenant_signature' : 'awaiting_countersignature';
	const actor: Actor = { id: signer.id, label: signer.email, ipAddress: client.ipAddress };
	return db.transaction((tx) => {
		// Read again inside the transaction: the agreement may have changed during password checking.
		const current = getAgreement(tx, id);
		if (!current || current.status !== expected || current.contentHash !== expectedHash)
			return { ok: false, reason: 'wrong_state' } as const;
		// The party as named in the text being signed: a record renamed after sending must not
		// make the signature page disagree with the agreement it belongs to.
		const named = current.valuesSnapshot
			? (JSON.parse(current.valuesSnapshot) as AgreementContent).values[party === 'tenant' ? 'tenant.name' : 'main.name']
			: undefined;
		const organisationName =
			typeof named === 'string' && named
				? named
				: party === 'tenant'
					? (getTenant(tx, current.tenantId)?.name ?? '')
					: (getMainConnector(tx)?.name ?? '');
		tx.insert(agreementSignature)
			.values({
				id: crypto.randomUUID(),
				agreementId: id,
				party,
				userId: signer.id,
				signerName: input.typedName.trim().replace(/\s+/g, ' '),
				signerTitle: input.title.trim(),
				organisationName,
				method: proof.method,
				...proof.identity,
				contentHash: current.contentHash ?? '',
				signedAt: now,
				ipAddress: client.ipAddress,
				userAgent: client.userAgent.slice(0, 400)
			})
			.run();
		if (party === 'tenant') {
			const status = transition(tx, current, 'tenant_sign', {}, now);
			audit(tx, actor, {
				tenantId: current.tenantId,
				action: 'agreement.sign',
				targetType: 'agreement',
				targetId: id,
				summary: `${input.typedName} (${organisationName})${proof.summary}`
			});
			return { ok: true, status } as const;
		}
		const status = transition(tx, current, 'countersign', { inForceAt: now }, now);
		audit(tx, actor, {
			tenantId: current.tenantId,
			action: 'agreement.countersign',
			targetType: 'agreement',
			targetId: id,
			summary: `${input.typedName} (${organisationName})${proof.summary}`
		});
		const older = tx
			.select()
			.from(agreement)
			.where(and(eq(agreement.tenantId, current.tenantId), ne(agreement.id, id), inArray(agreement.status, ['in_force', 'notice_given'])))
			.all();
		for (const previous of older) {
			transition(tx, previous, 'supersede', { supersededById: id }, now);
			audit(tx, actor, {
				tenantId: current.tenantId,
				action: 'agreement.supersede',
				targetType: 'agreement',
				targetId: previous.id,
				summary: `replaced by ${id}`
			});
		}
		advanceTenantStage(tx, actor, current.tenantId, 'agreement_signed', now);
		return { ok: true, status } as const;
	});
}

export type BatchCountersignResult =
	| { ok: true; countersigned: string[]; refused: string[] }
	| { ok: false; reason: 'name_mismatch' }
	| { ok: false; reason: 'not_main_connector' }
	| { ok: false; reason: 'identification_required' }
	| StepUpRefused;

/**
 * Countersigns many tenant-signed agreements with one confirmation of who the signer is (one step-up):
 * each agreement gets its own signature record and its own seal follow-up, exactly as a single
 * countersignature does. Agreements not awaiting the countersignature are refused and left untouched.
 * The caller has checked the signer's role.
 */
export async function countersignMany(
	db: Db,
	signer: SessionUser,
	ids: string[],
	input: SignatureInput,
	client: { ipAddress: string; userAgent: string },
	now = new Date()
): Promise<BatchCountersignResult> {
	if (signer.tenantId !== null) return { ok: false, reason: 'not_main_connector' };
	if (normaliseName(input.typedName) !== normaliseName(getUser(db, signer.id)?.name ?? '')) return { ok: false, reason: 'name_mismatch' };
	const actor: Actor = { id: signer.id, label: signer.email, ipAddress: client.ipAddress };
	// A batch has no way through a provider: where countersigning needs strong identification, each
	// agreement is countersigned on its own page.
	if (signingRequirement(db, signer)) return { ok: false, reason: 'identification_required' };
	const confirmed = await stepUp(db, actor, signer, input, 'signature', now);
	if (!confirmed.ok) return confirmed;
	const proof: SignatureProof = {
		method: confirmed.withCode ? SIGNATURE_METHODS.passwordAndCode : SIGNATURE_METHODS.password,
		identity: {},
		summary: ''
	};
	const countersigned: string[] = [];
	const refused: string[] = [];
	for (const id of ids) {
		const current = getAgreement(db, id);
		const result =
			current?.status === 'awaiting_countersignature'
				? recordSignature(db, signer, 'main_connector', id, input, proof, current.contentHash, client, now)
				: ({ ok: false, reason: 'wrong_state' } as const);
		(result.ok ? countersigned : refused).push(id);
	}
	return { ok: true, countersigned, refused };
}

/** A signer refuses, with a reason; the agreement returns to draft and earlier signatures lapse. */
export function declineAgreement(db: Db, signer: SessionUser, id: string, reason: string, ipAddress: string, now = new Date()): boolean {
	const expected: AgreementStatus = signer.tenantId ? 'awaiting_tenant_signature' : 'awaiting_countersignature';
	return db.transaction((tx) => {
		const current = getAgreement(tx, id);
		if (!current || current.status !== expected) return false;
		tx.update(agreementSignature)
			.set({ invalidatedAt: now })
			.where(and(eq(agreementSignature.agreementId, id), isNull(agreementSignature.invalidatedAt)))
			.run();
		transition(tx, current, 'decline', { declinedReason: reason, valuesSnapshot: null, contentHash: null }, now);
		audit(
			tx,
			{ id: signer.id, label: signer.email, ipAddress },
			{ tenantId: current.tenantId, action: 'agreement.decline', targetType: 'agreement', targetId: id, summary: reason }
		);
		return true;
	});
}

export type EndResult<T> = ({ ok: true } & T) | WrongState | StepUpRefused;

/**
 * §20: written notice by either party (the person's own); the agreement ends after the notice
 * period. Like a signature it binds the organisation, so the person confirms who they are again.
 */
export async function giveNotice(
	db: Db,
	person: TwoFactorPerson,
	id: string,
	confirmation: Confirmation,
	client: { ipAddress: string },
	now = new Date()
): Promise<EndResult<{ endDate: string }>> {
	if (getAgreement(db, id)?.status !== 'in_force') return { ok: false, reason: 'wrong_state' };
	const actor: Actor = { id: person.id, label: person.email, ipAddress: client.ipAddress };
	const confirmed = await stepUp(db, actor, person, confirmation, 'notice', now);
	if (!confirmed.ok) return confirmed;
	const party: Party = person.tenantId ? 'tenant' : 'main_connector';
	return db.transaction((tx) => {
		const current = getAgreement(tx, id);
		if (!current || current.status !== 'in_force') return { ok: false, reason: 'wrong_state' } as const;
		const endDate = addMonths(todayInHelsinki(now), current.noticeMonths);
		transition(tx, current, 'give_notice', { noticeGivenAt: now, noticeGivenBy: party, endDate }, now);
		audit(tx, actor, {
			tenantId: current.tenantId,
			action: 'agreement.notice',
			targetType: 'agreement',
			targetId: id,
			summary: `by ${party}; ends ${endDate}`
		});
		advanceTenantStage(tx, actor, current.tenantId, 'notice_given', now);
		return { ok: true, endDate } as const;
	});
}

/** §20: the main connector ends the agreement at once for a serious breach, after confirming who they are again. */
export async function rescindAgreement(
	db: Db,
	person: TwoFactorPerson,
	id: string,
	input: Confirmation & { reason: string },
	client: { ipAddress: string },
	now = new Date()
): Promise<EndResult<object>> {
	const before = getAgreement(db, id);
	if (!before || !isEffective(before.status)) return { ok: false, reason: 'wrong_state' };
	const actor: Actor = { id: person.id, label: person.email, ipAddress: client.ipAddress };
	const confirmed = await stepUp(db, actor, person, input, 'rescind', now);
	if (!confirmed.ok) return confirmed;
	return db.transaction((tx) => {
		const current = getAgreement(tx, id);
		if (!current || !isEffective(current.status)) return { ok: false, reason: 'wrong_state' } as const;
		transition(tx, current, 'rescind', { rescindReason: input.reason, endedAt: now, endDate: todayInHelsinki(now) }, now);
		audit(tx, actor, {
			tenantId: current.tenantId,
			action: 'agreement.rescind',
			targetType: 'agreement',
			targetId: id,
			summary: input.reason
		});
		advanceTenantStage(tx, actor, current.tenantId, 'ended', now);
		return { ok: true } as const;
	});
}

/** Records when the separate service-production agreement ends; this one ends with it (§20). */
export function setServiceAgreementEnd(db: Db, actor: Actor, id: string, endDate: string | null, now = new Date()): boolean {
	return db.transaction((tx) => {
		const current = getAgreement(tx, id);
		if (!current || !(isEffective(current.status) || isEditable(current.status))) return false;
		tx.update(agreement).set({ serviceAgreementEndDate: endDate, updatedAt: now }).where(eq(agreement.id, id)).run();
		audit(tx, actor, {
			tenantId: current.tenantId,
			action: 'agreement.service_agreement_end',
			targetType: 'agreement',
			targetId: id,
			summary: endDate ?? 'cleared'
		});
		return true;
	});
}

/**
 * The daily work that dates bring: notice periods that have run out and service-production
 * agreements that have ended. Safe to run any number of times (a restart simply runs it again):
 * each change is guarded by the agreement's current status.
 */
export function runAgreementSweep(db: Db, now = new Date()): { ended: string[]; endedAutomatically: string[] } {
	const today = todayInHelsinki(now);
	return db.transaction((tx) => {
		const ended: string[] = [];
		const endedAutomatically: string[] = [];
		const due = tx
			.select()
			.from(agreement)
			.where(
				or(
					and(eq(agreement.status, 'notice_given'), lte(agreement.endDate, today)),
					and(inArray(agreement.status, ['in_force', 'notice_given']), lte(agreement.serviceAgreementEndDate, today))
				)
			)
			.all();
		for (const current of due) {
			const automatic = current.serviceAgreementEndDate !== null && current.serviceAgreementEndDate <= today;
			transition(tx, current, automatic ? 'end_automatically' : 'end', { endedAt: now }, now);
			audit(tx, SYSTEM_ACTOR, {
				tenantId: current.tenantId,
				action: automatic ? 'agreement.end_automatically' : 'agreement.end',
				targetType: 'agreement',
				targetId: current.id,
				summary: automatic
					? `service-production agreement ended ${current.serviceAgreementEndDate}`
					: `notice period ended ${current.endDate}`
			});
			advanceTenantStage(tx, SYSTEM_ACTOR, current.tenantId, 'ended', now);
			(automatic ? endedAutomatically : ended).push(current.id);
		}
		return { ended, endedAutomatically };
	});
}
