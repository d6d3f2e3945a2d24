import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import {
	agreement,
	agreementCampaign,
	agreementTemplate,
	campaignAgreement,
	pendingEffect,
	tenant,
	type AgreementCampaign
} from '../db/schema';
import { audit, SYSTEM_ACTOR, type Actor } from '../actor';
import type { SessionUser } from '../auth/session';
import {
	countersignMany,
	insertDraft,
	sendForSignature,
	updateDraft,
	type BatchCountersignResult,
	type SignatureInput
} from '../agreements/agreements';
import { getTemplate } from '../agreements/templates-store';
import { sharedValues } from '../agreements/values';
import { carryOutAgreementFollowUp } from '../agreements/follow-up';
import { recordEffect } from '../effects/effects';
import { getMainConnector } from '../organisation/organisation';
import { listed } from './campaign-state-sql';
import { refreshCampaignStates } from './campaign-rows';

export const CAMPAIGN_SCOPES = ['in_force', 'chosen'] as const;
export type CampaignScope = (typeof CAMPAIGN_SCOPES)[number];

export { CAMPAIGN_STATES, campaignList, campaignRowParts, countCampaignStates, countStates, listCampaignRows } from './campaign-rows';
export type { CampaignList, CampaignListQuery, CampaignRow, CampaignState } from './campaign-rows';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CampaignInput {
	name: string;
	templateId: string;
	scope: CampaignScope;
	/** With scope `chosen`: the tenants picked. */
	tenantIds: string[];
	message: string;
	remindAfterDays: number;
}

export type CreateCampaignResult = { ok: true; id: string; drafts: number } | { ok: false; reason: 'no_template' | 'no_tenants' };

/** Current tenants with an agreement in force (or under notice): those a new model version must reach. */
function tenantsWithAgreementInForce(db: DbOrTx): { id: string; agreementLanguage: string }[] {
	return db
		.selectDistinct({ id: tenant.id, agreementLanguage: tenant.agreementLanguage })
		.from(tenant)
		.innerJoin(agreement, eq(agreement.tenantId, tenant.id))
		.where(and(isNull(tenant.archivedAt), inArray(agreement.status, ['in_force', 'notice_given'])))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.all();
}

function chosenTenants(db: DbOrTx, ids: string[]): { id: string; agreementLanguage: string }[] {
	const unique = [...new Set(ids)];
	const found: { id: string; agreementLanguage: string }[] = [];
	// SQLite bounds the number of parameters in one statement.
	for (let i = 0; i < unique.length; i += 500)
		found.push(
			...db
				.select({ id: tenant.id, agreementLanguage: tenant.agreementLanguage })
				.from(tenant)
				.where(and(inArray(tenant.id, unique.slice(i, i + 500)), isNull(tenant.archivedAt)))
				.all()
		);
	return found;
}

/**
 * Starts a campaign: one draft per target tenant, made by the same command as a single draft, in the
 * tenant's agreement language where the chosen version exists in it. All drafts or none.
 */
export function createCampaign(db: Db, actor: Actor, input: CampaignInput, now = new Date()): CreateCampaignResult {
	return db.transaction((tx) => {
		const chosen = getTemplate(tx, input.templateId);
		if (!chosen) return { ok: false, reason: 'no_template' } as const;
		const versions = tx
			.select()
			.from(agreementTemplate)
			.where(and(eq(agreementTemplate.templateKey, chosen.templateKey), eq(agreementTemplate.version, chosen.version)))
			.all();
		const templateFor = new Map(versions.map((v) => [v.language as string, v.id]));
		const targets = input.scope === 'in_force' ? tenantsWithAgreementInForce(tx) : chosenTenants(tx, input.tenantIds);
		if (targets.length === 0) return { ok: false, reason: 'no_tenants' } as const;
		const id = crypto.randomUUID();
		tx.insert(agreementCampaign)
			.values({
				id,
				name: input.name,
				templateKey: chosen.templateKey,
				templateVersion: chosen.version,
				templateId: chosen.id,
				scope: input.scope,
				message: input.message,
				remindAfterDays: input.remindAfterDays,
				createdBy: actor.id,
				createdAt: now
			})
			.run();
		audit(tx, actor, {
			action: 'campaign.create',
			targetType: 'campaign',
			targetId: id,
			summary: `${input.name}: ${chosen.templateKey} v${chosen.version}, ${targets.length} tenants (${input.scope})`
		});
		// Read once for all the drafts rather than once for each.
		const known = { templates: new Map(versions.map((v) => [v.id, v])), main: getMainConnector(tx) };
		for (const target of targets) {
			const templateId = templateFor.get(target.agreementLanguage) ?? chosen.id;
			const draft = insertDraft(tx, actor, { tenantId: target.id, templateId }, now, known);
			if (!draft.ok) throw new Error(`Could not draft for tenant ${target.id}: ${draft.reason}`);
			tx.insert(campaignAgreement).values({ campaignId: id, agreementId: draft.id, tenantId: target.id }).run();
		}
		// Every draft's state worked out now, so the campaign page its creator is sent to only reads
		// (for drafts to every tenant of the country, about 80 ms here instead of on that first view).
		refreshCampaignStates(tx, id, now);
		return { ok: true, id, drafts: targets.length } as const;
	});
}

export function getCampaign(db: DbOrTx, id: string): AgreementCampaign | undefined {
	return db.select().from(agreementCampaign).where(eq(agreementCampaign.id, id)).get();
}

export function listCampaigns(db: DbOrTx): AgreementCampaign[] {
	return db.select().from(agreementCampaign).orderBy(desc(agreementCampaign.createdAt)).all();
}

/**
 * Fills a value common to all the campaign's drafts where a draft leaves it empty (the place of
 * signing, the service-production agreement's reference), through the same command as editing one
 * draft. Values a draft already has are kept. Returns how many drafts changed.
 */
export function fillCampaignDrafts(
	db: Db,
	actor: Actor,
	campaignId: string,
	common: { place: string; serviceAgreementReference: string },
	now = new Date()
): number {
	return db.transaction(() => {
		const drafts = db
			.select({ agreement })
			.from(campaignAgreement)
			.innerJoin(agreement, eq(agreement.id, campaignAgreement.agreementId))
			.where(and(eq(campaignAgreement.campaignId, campaignId), eq(agreement.status, 'draft')))
			.all()
			.map((r) => r.agreement);
		let changed = 0;
		for (const draft of drafts) {
			const place = draft.place.trim() ? draft.place : common.place;
			const serviceAgreementReference = draft.serviceAgreementReference.trim()
				? draft.serviceAgreementReference
				: common.serviceAgreementReference;
			if (place === draft.place && serviceAgreementReference === draft.serviceAgreementReference) continue;
			const choices = { place, noticeMonths: draft.noticeMonths, renewalsForwarded: draft.renewalsForwarded, serviceAgreementReference };
			if (updateDraft(db, actor, draft.id, choices, now).ok) changed++;
		}
		return changed;
	});
}

/** Drafts sent in one transaction; between two chunks the server answers other requests. */
export const SEND_CHUNK = 200;

export interface SendingProgress {
	/** Drafts to try, how many were tried so far, how many of them were sent. */
	total: number;
	done: number;
	sent: number;
	/** Drafts of chunks that failed (rolled back, still drafts: sending again retries them). */
	failed: number;
	running: boolean;
}

/**
 * Sending under way or last finished, per campaign, in this server process. Not stored: after a
 * restart mid-way the drafts not yet sent are simply still drafts, and sending again carries on.
 */
const sendingNow = new Map<string, SendingProgress>();

export function sendingProgress(campaignId: string): SendingProgress | null {
	const progress = sendingNow.get(campaignId);
	return progress ? { ...progress } : null;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SendOptions {
	chunkSize?: number;
	/** Called after each chunk commits with the agreements it sent (their mails can go out then). */
	afterChunk?: (sent: string[]) => void | Promise<void>;
}

export interface Sending {
	/** Drafts that will be tried (declined ones excluded); 0 when another sending of the campaign is running. */
	total: number;
	alreadyRunning: boolean;
	finished: Promise<{ sent: string[]; left: number; failed: number }>;
}

/**
 * Sends every complete draft of the campaign for signature, with the campaign's message in the
 * e-mail; drafts with gaps, and those a tenant declined, stay behind. Drafts go in chunks of
 * `SEND_CHUNK`, each chunk one transaction with its own audit entries, yielding to the event loop
 * between chunks so that a national campaign does not hold the server. A chunk that fails is rolled
 * back and the others are kept: those drafts stay drafts and sending again tries them.
 */
export function startSending(db: Db, actor: Actor, campaignId: string, now = new Date(), options: SendOptions = {}): Sending {
	const chunkSize = options.chunkSize ?? SEND_CHUNK;
	const campaign = getCampaign(db, campaignId);
	if (!campaign) return { total: 0, alreadyRunning: false, finished: Promise.resolve({ sent: [], left: 0, failed: 0 }) };
	if (sendingNow.get(campaignId)?.running)
		return { total: 0, alreadyRunning: true, finished: Promise.resolve({ sent: [], left: 0, failed: 0 }) };
	// Drafts the tenant declined wait for the administrator; the rest are tried, and sending itself
	// refuses (and leaves as they are) those with gaps, so their values are worked out once.
	const ids = db
		.select({ id: agreement.id })
		.from(campaignAgreement)
		.innerJoin(agreement, eq(agreement.id, campaignAgreement.agreementId))
		.innerJoin(tenant, eq(tenant.id, agreement.tenantId))
		.where(and(eq(campaignAgreement.campaignId, campaignId), eq(agreement.status, 'draft'), isNull(agreement.declinedReason)))
		// In the order of the campaign's list, so the progress moves down the list the page shows.
		.orderBy(asc(tenant.name), asc(tenant.id))
		.all()
		.map((r) => r.id);
	const progress: SendingProgress = { total: ids.length, done: 0, sent: 0, failed: 0, running: true };
	sendingNow.set(campaignId, progress);
	const run = async () => {
		const sent: string[] = [];
		const shared = sharedValues(db);
		try {
			for (let i = 0; i < ids.length; i += chunkSize) {
				if (i > 0) await nextTurn();
				const chunk = ids.slice(i, i + chunkSize);
				let chunkSent: string[] = [];
				try {
					chunkSent = db.transaction(() => {
						const done: string[] = [];
						for (const id of chunk) {
							// Each draft is sent at most once: sending refuses what is no longer a draft.
							if (!sendForSignature(db, actor, id, now, campaign.message, shared).ok) continue;
							db.update(campaignAgreement).set({ sentAt: now }).where(eq(campaignAgreement.agreementId, id)).run();
							done.push(id);
						}
						if (done.length && !getCampaign(db, campaignId)?.sentAt)
							db.update(agreementCampaign).set({ sentAt: now }).where(eq(agreementCampaign.id, campaignId)).run();
						audit(db, actor, {
							action: 'campaign.send',
							targetType: 'campaign',
							targetId: campaignId,
							summary: `chunk ${i / chunkSize + 1}: ${done.length} sent, ${chunk.length - done.length} left as drafts`
						});
						return done;
					});
				} catch (error) {
					console.error(`Campaign ${campaignId}: sending chunk ${i / chunkSize + 1} failed`, error);
					progress.failed += chunk.length;
				}
				progress.done += chunk.length;
				progress.sent += chunkSent.length;
				sent.push(...chunkSent);
				if (chunkSent.length && options.afterChunk) await options.afterChunk(chunkSent);
			}
		} finally {
			progress.running = false;
		}
		return { sent, left: ids.length - sent.length, failed: progress.failed };
	};
	return { total: ids.length, alreadyRunning: false, finished: run() };
}

/** Sends the whole campaign (see `startSending`) and resolves when every chunk is done. */
export async function sendCampaign(
	db: Db,
	actor: Actor,
	campaignId: string,
	now = new Date(),
	options: SendOptions = {}
): Promise<{ sent: string[]; left: number; failed: number }> {
	return startSending(db, actor, campaignId, now, options).finished;
}

/** Agreements of the campaign waiting for the tenant's signature, with when they were last nudged. */
function waitingLinks(db: DbOrTx, campaignId: string) {
	return db
		.select({
			agreementId: campaignAgreement.agreementId,
			tenantId: campaignAgreement.tenantId,
			sentAt: campaignAgreement.sentAt,
			lastRemindedAt: campaignAgreement.lastRemindedAt
		})
		.from(campaignAgreement)
		.innerJoin(agreement, eq(agreement.id, campaignAgreement.agreementId))
		.where(and(eq(campaignAgreement.campaignId, campaignId), eq(agreement.status, 'awaiting_tenant_signature')))
		.all();
}

function remind(
	tx: DbOrTx,
	actor: Actor,
	campaign: AgreementCampaign,
	link: { agreementId: string; tenantId: string },
	now: Date,
	automatic: boolean
) {
	recordEffect(tx, {
		kind: 'agreement.notify',
		subjectId: link.agreementId,
		payload: campaign.message ? { step: 'reminder', note: campaign.message } : { step: 'reminder' }
	});
	const current = tx
		.select({ reminders: campaignAgreement.reminders })
		.from(campaignAgreement)
		.where(eq(campaignAgreement.agreementId, link.agreementId))
		.get();
	tx.update(campaignAgreement)
		.set({ lastRemindedAt: now, reminders: (current?.reminders ?? 0) + 1 })
		.where(eq(campaignAgreement.agreementId, link.agreementId))
		.run();
	audit(tx, actor, {
		tenantId: link.tenantId,
		action: 'campaign.remind',
		targetType: 'agreement',
		targetId: link.agreementId,
		summary: `${campaign.name}${automatic ? ' (automatic)' : ''}`
	});
}

/** The administrator reminds every tenant still to sign. Returns the agreements whose tenants were reminded. */
export function remindWaiting(db: Db, actor: Actor, campaignId: string, now = new Date()): string[] {
	return db.transaction((tx) => {
		const campaign = getCampaign(tx, campaignId);
		if (!campaign) return [];
		const waiting = waitingLinks(tx, campaignId);
		for (const link of waiting) remind(tx, actor, campaign, link, now, false);
		return waiting.map((link) => link.agreementId);
	});
}

/**
 * The scheduler's pass: a tenant still to sign is reminded once the campaign's number of days has
 * passed since it was sent or last reminded, so at most once per that many days however often this runs.
 */
export function scanCampaignReminders(db: Db, now = new Date()): number {
	return db.transaction((tx) => {
		let reminded = 0;
		for (const campaign of tx.select().from(agreementCampaign).where(isNotNull(agreementCampaign.sentAt)).all()) {
			const due = now.getTime() - campaign.remindAfterDays * DAY_MS;
			for (const link of waitingLinks(tx, campaign.id)) {
				const since = link.lastRemindedAt ?? link.sentAt;
				if (!since || since.getTime() > due) continue;
				remind(tx, SYSTEM_ACTOR, campaign, link, now, true);
				reminded++;
			}
		}
		return reminded;
	});
}

/**
 * The main connector's signatory countersigns every agreement of the campaign the tenant has signed,
 * confirming who they are once. Each agreement is countersigned by the same command as a single one
 * (own signature record, own seal follow-up); `only` narrows it to the agreements listed.
 */
export async function countersignCampaign(
	db: Db,
	signer: SessionUser,
	campaignId: string,
	input: SignatureInput,
	client: { ipAddress: string; userAgent: string },
	now = new Date(),
	only?: string[]
): Promise<BatchCountersignResult> {
	const ids = only ?? signedAgreementIds(db, campaignId);
	const result = await countersignMany(db, signer, ids, input, client, now);
	if (result.ok)
		audit(
			db,
			{ id: signer.id, label: signer.email, ipAddress: client.ipAddress },
			{
				action: 'campaign.countersign',
				targetType: 'campaign',
				targetId: campaignId,
				summary: `${result.countersigned.length} countersigned, ${result.refused.length} refused`
			}
		);
	return result;
}

/** Agreements of the campaign signed by the tenant and waiting for the countersignature. */
export function signedAgreementIds(db: DbOrTx, campaignId: string): string[] {
	return db
		.select({ id: agreement.id })
		.from(campaignAgreement)
		.innerJoin(agreement, eq(agreement.id, campaignAgreement.agreementId))
		.where(and(eq(campaignAgreement.campaignId, campaignId), eq(agreement.status, 'awaiting_countersignature')))
		.all()
		.map((r) => r.id);
}

export interface SealingProgress {
	/** Countersigned agreements of the campaign, and how many of them are sealed. */
	total: number;
	sealed: number;
	/** Seals that failed at least once and wait to be tried again. */
	failing: number;
}

export function sealingProgress(db: DbOrTx, campaignId: string): SealingProgress {
	const inForce = and(eq(campaignAgreement.campaignId, campaignId), isNotNull(agreement.inForceAt));
	// Counted from the agreement's list index: a national campaign has ten thousand of them.
	const counts = db
		.select({ total: sql<number>`count(*)`, sealed: sql<number>`count(${agreement.sealedPath})` })
		.from(campaignAgreement)
		.innerJoin(listed, eq(agreement.id, campaignAgreement.agreementId))
		.where(inForce)
		.get() ?? { total: 0, sealed: 0 };
	const unsealed =
		counts.sealed < counts.total
			? db
					.select({ id: sql<string>`${agreement.id}` })
					.from(campaignAgreement)
					.innerJoin(listed, eq(agreement.id, campaignAgreement.agreementId))
					.where(and(inForce, isNull(agreement.sealedPath)))
					.limit(500)
					.all()
					.map((r) => r.id)
			: [];
	const failing = unsealed.length
		? db
				.select({ id: pendingEffect.id })
				.from(pendingEffect)
				.where(
					and(
						eq(pendingEffect.kind, 'agreement.seal'),
						isNull(pendingEffect.doneAt),
						isNotNull(pendingEffect.lastError),
						inArray(pendingEffect.subjectId, unsealed)
					)
				)
				.all().length
		: 0;
	return { total: counts.total, sealed: counts.sealed, failing };
}

/**
 * Seals and mails of many agreements, one agreement at a time (each PDF sealed on its own). Meant to
 * run after the response: the campaign page shows the progress, and the scheduler retries what fails.
 */
export async function carryOutCampaignFollowUp(db: Db, agreementIds: string[]): Promise<void> {
	for (const id of agreementIds) await carryOutAgreementFollowUp(db, id);
}
