import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { agreement, agreementCampaign, campaignAgreement, tenant } from '../db/schema';
import { CAMPAIGN_STATES, type AgreementStatus, type CampaignState } from '../../domain';
import { expressions, listed, type Expressions } from './campaign-state-sql';

/**
 * The campaign's list, counted, filtered and paged by the database. Where a draft stands depends on
 * its gaps, which are worked out from the records as they are now (a fix on the tenant record shows
 * at once), by SQL made from the campaign's templates (campaign-state-sql.ts).
 *
 * Working that out for every draft of a national campaign on every page view costs tens of
 * milliseconds, so each draft's result is stored on its campaign_agreement row and worked out again
 * only when stale (`withFreshStates`): triggers null it when the records it follows change (migration
 * 0029), and a fingerprint of the SQL, in which the values every draft shares are constants, tells
 * when all of them are. The page then counts and pages the stored states from an index.
 */

export { CAMPAIGN_STATES, type CampaignState };

export interface CampaignRow {
	agreementId: string;
	tenantId: string;
	tenantName: string;
	businessId: string;
	status: AgreementStatus;
	state: CampaignState;
	/** Template values still empty (drafts only): what must be filled before sending. */
	missing: string[];
	declinedReason: string | null;
	sentAt: Date | null;
	lastRemindedAt: Date | null;
	reminders: number;
	sealed: boolean;
}

/** The state and gaps as last worked out and stored (`refreshStates`). */
const stored: Expressions = {
	state: sql<CampaignState>`${campaignAgreement.state}`,
	missing: sql<string>`${campaignAgreement.missing}`
};

function selectRows(db: DbOrTx, e: Expressions, where: SQL | undefined) {
	return db
		.select({
			// Read through `listed` (SQL, not the table): drizzle checks that a column's table is joined.
			agreementId: sql<string>`${agreement.id}`,
			tenantId: campaignAgreement.tenantId,
			tenantName: tenant.name,
			businessId: tenant.businessId,
			status: sql<AgreementStatus>`${agreement.status}`,
			state: e.state,
			missing: e.missing,
			declinedReason: sql<string | null>`${agreement.declinedReason}`,
			sentAt: campaignAgreement.sentAt,
			lastRemindedAt: campaignAgreement.lastRemindedAt,
			reminders: campaignAgreement.reminders,
			sealed: sql<number>`(${agreement.sealedPath} is not null)`
		})
		.from(campaignAgreement)
		.innerJoin(listed, eq(agreement.id, campaignAgreement.agreementId))
		.innerJoin(tenant, eq(tenant.id, campaignAgreement.tenantId))
		.where(where)
		.orderBy(asc(tenant.name), asc(tenant.id));
}

type SelectedRow = Omit<CampaignRow, 'missing' | 'sealed'> & { missing: string; sealed: number };

const toRow = (r: SelectedRow): CampaignRow => ({ ...r, missing: r.missing ? r.missing.split(',') : [], sealed: r.sealed === 1 });

const inCampaign = (campaignId: string) => eq(campaignAgreement.campaignId, campaignId);

/** Every tenant's agreement in the campaign, by tenant name, with where it stands (for a whole campaign at once). */
export function listCampaignRows(db: DbOrTx, campaignId: string, now = new Date()): CampaignRow[] {
	return selectRows(db, expressions(db, campaignId, now).e, inCampaign(campaignId))
		.all()
		.map(toRow);
}

export function countStates(rows: CampaignRow[]): Record<CampaignState, number> {
	const counts = Object.fromEntries(CAMPAIGN_STATES.map((s) => [s, 0])) as Record<CampaignState, number>;
	for (const row of rows) counts[row.state]++;
	return counts;
}

export interface CampaignListQuery {
	/** Only the rows in this state, or all. */
	state: CampaignState | null;
	/** The page asked for (from 1); a page past the end shows the last. */
	page: number;
	pageSize: number;
	/** How many of the drafts with gaps to list (for fixing them). */
	gapsShown: number;
}

export interface CampaignList {
	counts: Record<CampaignState, number>;
	total: number;
	/** Rows in the state asked for (all when none). */
	shownTotal: number;
	page: number;
	pages: number;
	rows: CampaignRow[];
	/** The first `gapsShown` drafts with gaps, in list order. */
	gaps: CampaignRow[];
}

/** Whether any stored state of the campaign is missing, or was worked out by other SQL than the one made now. */
function isStale(db: DbOrTx, campaignId: string, fingerprint: string): boolean {
	const found = db.get<{ fingerprint: string | null; unset: number }>(sql`
		select (select ${agreementCampaign.stateFingerprint} from ${agreementCampaign} where ${agreementCampaign.id} = ${campaignId}) as fingerprint,
			exists (select 1 from ${campaignAgreement} where ${inCampaign(campaignId)} and ${campaignAgreement.state} is null) as unset`);
	return found.fingerprint !== fingerprint || found.unset === 1;
}

/**
 * Works out again the states the triggers nulled, or every state of the campaign when the SQL made now
 * differs (the shared values changed). A derived cache kept in step with the records, not a change
 * anyone made to an agreement: so no audit entry (the record changes behind it are audited where made).
 */
function refreshStates(db: DbOrTx, campaignId: string, e: Expressions, fingerprint: string): void {
	db.transaction(
		(tx) => {
			const campaign = getFingerprint(tx, campaignId);
			if (!campaign) return;
			// Worked out by other SQL: every state again (in the one pass, rather than nulled first).
			const all = campaign.fingerprint !== fingerprint;
			// (SQLite's UPDATE names the columns it sets without their table.)
			tx.run(sql`update ${campaignAgreement} set state = ${e.state}, missing = ${e.missing}
				from ${listed}, ${tenant}
				where ${campaignAgreement.campaignId} = ${campaignId} ${all ? sql`` : sql`and ${campaignAgreement.state} is null`}
					and ${agreement.id} = ${campaignAgreement.agreementId} and ${tenant.id} = ${campaignAgreement.tenantId}`);
			if (all) tx.update(agreementCampaign).set({ stateFingerprint: fingerprint }).where(eq(agreementCampaign.id, campaignId)).run();
		},
		// Holding the write lock from the start: a read transaction that then writes fails at once
		// (without waiting) when another connection wrote in between.
		{ behavior: 'immediate' }
	);
}

const getFingerprint = (db: DbOrTx, campaignId: string) =>
	db.select({ fingerprint: agreementCampaign.stateFingerprint }).from(agreementCampaign).where(eq(agreementCampaign.id, campaignId)).get();

/**
 * `read` over stored states that are all current, in one snapshot. Usually they are, and the page
 * only reads; stale ones are worked out first. A write landing between the two (another request, the
 * jobs script) sends it round again; after a few rounds it refreshes and reads holding the write lock.
 */
function withFreshStates<T>(db: DbOrTx, campaignId: string, now: Date, read: (tx: DbOrTx) => T): T {
	const { e, fingerprint } = expressions(db, campaignId, now);
	for (let round = 0; round < 3; round++) {
		const result = db.transaction((tx): { value: T } | undefined =>
			isStale(tx, campaignId, fingerprint) ? undefined : { value: read(tx) }
		);
		if (result) return result.value;
		refreshStates(db, campaignId, e, fingerprint);
	}
	return db.transaction(
		(tx) => {
			refreshStates(tx, campaignId, e, fingerprint);
			return read(tx);
		},
		{ behavior: 'immediate' }
	);
}

function countStored(db: DbOrTx, campaignId: string): Record<CampaignState, number> {
	const counts = Object.fromEntries(CAMPAIGN_STATES.map((s) => [s, 0])) as Record<CampaignState, number>;
	for (const { state, count } of db
		.select({ state: stored.state, count: sql<number>`count(*)` })
		.from(campaignAgreement)
		.where(inCampaign(campaignId))
		.groupBy(campaignAgreement.state)
		.all())
		counts[state] = count;
	return counts;
}

/** Works out the campaign's stale states now (a new campaign's, so the first view of it only reads). */
export function refreshCampaignStates(db: DbOrTx, campaignId: string, now = new Date()): void {
	const { e, fingerprint } = expressions(db, campaignId, now);
	refreshStates(db, campaignId, e, fingerprint);
}

/** How many of the campaign's agreements stand where. */
export function countCampaignStates(db: DbOrTx, campaignId: string, now = new Date()): Record<CampaignState, number> {
	return withFreshStates(db, campaignId, now, (tx) => countStored(tx, campaignId));
}

/**
 * The stored states read three ways in one statement, each from an index of campaign_agreement: the
 * counts by state, the ids of the page asked for, and the ids of the first drafts with gaps.
 */
function pick(db: DbOrTx, campaignId: string, state: CampaignState | null, limit: number, offset: number, gapsShown: number) {
	const ca = campaignAgreement;
	const result = db.all<{ kind: 'count' | 'page' | 'gaps'; state: CampaignState; n: number | null; id: string | null }>(sql`
		select 'count' as kind, ${ca.state} as state, count(*) as n, null as id from ${ca} where ${ca.campaignId} = ${campaignId} group by ${ca.state}
		union all
		select 'page', state, null, id from (select ${ca.state} as state, ${ca.agreementId} as id from ${ca}
			where ${ca.campaignId} = ${campaignId} ${state ? sql`and ${ca.state} = ${state}` : sql``}
			order by ${ca.tenantName}, ${ca.tenantId} limit ${limit} offset ${offset})
		union all
		select 'gaps', state, null, id from (select ${ca.state} as state, ${ca.agreementId} as id from ${ca}
			where ${ca.campaignId} = ${campaignId} and ${ca.state} = 'gaps'
			order by ${ca.tenantName}, ${ca.tenantId} limit ${gapsShown})`);
	const counts = Object.fromEntries(CAMPAIGN_STATES.map((s) => [s, 0])) as Record<CampaignState, number>;
	const page: string[] = [];
	const gaps: string[] = [];
	for (const r of result) {
		if (r.kind === 'count') counts[r.state] = r.n!;
		else (r.kind === 'page' ? page : gaps).push(r.id!);
	}
	return { counts, page, gaps };
}

/** The rows of these agreements, in the list's order, with their stored state and gaps. */
function rowsOf(db: DbOrTx, campaignId: string, ids: string[]): CampaignRow[] {
	if (ids.length === 0) return [];
	return selectRows(
		db,
		stored,
		and(inCampaign(campaignId), sql`${campaignAgreement.agreementId} in (select value from json_each(${JSON.stringify(ids)}))`)
	)
		.all()
		.map(toRow);
}

/** What the campaign page shows: the counts by state, one page of the list, and the first drafts with gaps. */
export function campaignList(db: DbOrTx, campaignId: string, query: CampaignListQuery, now = new Date()): CampaignList {
	return withFreshStates(db, campaignId, now, (tx) => {
		const asked = Math.max(1, Math.trunc(query.page) || 1);
		const gapsShown = Math.max(0, query.gapsShown);
		let picked = pick(tx, campaignId, query.state, query.pageSize, (asked - 1) * query.pageSize, gapsShown);
		const total = CAMPAIGN_STATES.reduce((sum, s) => sum + picked.counts[s], 0);
		const shownTotal = query.state ? picked.counts[query.state] : total;
		const pages = Math.max(1, Math.ceil(shownTotal / query.pageSize));
		const page = Math.min(pages, asked);
		// A page past the end (an old link, the list shorter since): the last one, asked again.
		if (page !== asked) picked = pick(tx, campaignId, query.state, query.pageSize, (page - 1) * query.pageSize, gapsShown);
		const rows = rowsOf(tx, campaignId, [...new Set([...picked.page, ...picked.gaps])]);
		const byId = new Map(rows.map((r) => [r.agreementId, r]));
		return {
			counts: picked.counts,
			total,
			shownTotal,
			page,
			pages,
			rows: picked.page.map((id) => byId.get(id)!),
			gaps: picked.gaps.map((id) => byId.get(id)!)
		};
	});
}

/**
 * Every row of the campaign in parts of `size`, each read when it is asked for (the CSV export sends
 * one part, then lets other requests run). The list's order is taken when the first part is read;
 * each part is read and its gaps worked out as the records are then.
 */
export function* campaignRowParts(db: DbOrTx, campaignId: string, size: number, now = new Date()): Generator<CampaignRow[]> {
	const ids = db
		.select({ id: campaignAgreement.agreementId })
		.from(campaignAgreement)
		.innerJoin(tenant, eq(tenant.id, campaignAgreement.tenantId))
		.where(inCampaign(campaignId))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.all()
		.map((r) => r.id);
	for (let i = 0; i < ids.length; i += size) {
		const part = ids.slice(i, i + size);
		const position = new Map(part.map((id, at) => [id, at]));
		const rows = selectRows(
			db,
			expressions(db, campaignId, now).e,
			and(inCampaign(campaignId), sql`${campaignAgreement.agreementId} in (select value from json_each(${JSON.stringify(part)}))`)
		)
			.all()
			.map(toRow);
		yield rows.sort((a, b) => position.get(a.agreementId)! - position.get(b.agreementId)!);
	}
}
