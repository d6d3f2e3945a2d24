import { createHash } from 'node:crypto';
import { and, asc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../db';
import {
	agreement,
	agreementCampaign,
	agreementTemplate,
	campaignAgreement,
	kantaService,
	tenant,
	tenantService,
	type Tenant
} from '../db/schema';
import { CAMPAIGN_STATES, type AgreementStatus, type CampaignState } from '../../domain';
import {
	parseTemplate,
	TEMPLATE_LANGUAGES,
	truthy,
	whenMissing,
	type ConditionAlgebra,
	type ParsedTemplate,
	type TemplateValues
} from '../agreements/template';
import { contentOf, sharedValues, type SharedValues } from '../agreements/values';
import { isMissingValue } from '../printable';
import { formatLongDate } from '../../i18n/format';

/**
 * The campaign's list, counted, filtered and paged by the database. Where a draft stands depends on
 * its gaps, which are worked out from the records as they are now (a fix on the tenant record shows
 * at once): each template the campaign's drafts use is turned into SQL that says, for a draft and its
 * tenant, which printed values are empty (`whenMissing`, the walk `missingValues` makes).
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

type Condition = SQL | boolean;

const and2 = (a: Condition, b: Condition): Condition =>
	a === false || b === false ? false : a === true ? b : b === true ? a : sql`(${a} and ${b})`;
const or2 = (a: Condition, b: Condition): Condition =>
	a === true || b === true ? true : a === false ? b : b === false ? a : sql`(${a} or ${b})`;
const not = (a: Condition): Condition => (typeof a === 'boolean' ? !a : sql`(not ${a})`);
const toSql = (c: Condition): SQL => (typeof c === 'boolean' ? sql.raw(c ? '1' : '0') : c);

/** What JavaScript's `trim()` and `\s` take for white space. */
export const JS_WHITESPACE =
	'\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
/** White space and the control characters `printable` turns into spaces, but NUL: SQLite's trim reads its set only up to one. */
const PRINT_BLANKS = JS_WHITESPACE + Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('') + '\u007f';

/**
 * Starts with a printable ASCII character other than a brace (from "!" up to "z"): printed as it is,
 * so neither empty nor blank. The usual value, told by two comparisons without a function call.
 */
const plainStart = (column: SQLWrapper): SQL => sql`(${column} >= '!' and ${column} < '{')`;

/** A letter or digit anywhere: printed as it is, so the value is not empty. */
const ALNUM = "'*[0-9A-Za-z]*'";

/** `typeof value !== 'string' || !printable(value)` for a text column. */
function blankText(column: SQLWrapper): SQL {
	// Without braces or NUL, printing only turns control characters into spaces and trims: empty when
	// nothing but those is left. The rare value with either goes to JavaScript (`blank_value`).
	return sql`(case when ${column} = '' then 1 when ${plainStart(column)} or ${column} glob ${sql.raw(ALNUM)} then 0 when ${column} glob '*[{}]*' or instr(cast(${column} as blob), x'00') > 0 then blank_value(${column}) else trim(${column}, ${PRINT_BLANKS}) = '' end)`;
}

/** `truthy(value)` for a text column: not empty once trimmed. */
const filled = (column: SQLWrapper): SQL => sql`(${plainStart(column)} or (${column} <> '' and trim(${column}, ${JS_WHITESPACE}) <> ''))`;

/**
 * The columns behind each value a draft's own records give (`contentOf`), all of them text. A value
 * read from another table needs a trigger in a migration that nulls the stored states (see 0029).
 */
const TEXT_COLUMNS: Record<string, SQLWrapper> = {
	'tenant.name': tenant.name,
	'tenant.businessId': tenant.businessId,
	'tenant.soteri': tenant.soteriRegistration,
	'tenant.oid': tenant.oid,
	'serviceAgreement.reference': agreement.serviceAgreementReference,
	place: agreement.place
};

/** The tenant's address as `contentOf` joins it: street, then postal code and city, the empty parts left out. */
const street = sql`${tenant.streetAddress}`;
const postalCity = sql`(${tenant.postalCode} || ' ' || ${tenant.city})`;

/**
 * The algebra `whenMissing` needs, in SQL over `agreement` and `tenant`: values shared by every
 * draft (the main connector, the designated persons) are decided here once; the others per row.
 */
function sqlAlgebra(shared: SharedValues, now: Date): ConditionAlgebra<Condition> {
	// The shared values exactly as contentOf makes them (the draft and tenant given here do not affect them).
	// (No main connector at all would leave its values and the designated persons' missing.)
	const probe: TemplateValues = shared.main
		? contentOf(
				{ noticeMonths: 1, renewalsForwarded: false, serviceAgreementReference: '', place: '', language: 'fi' },
				{} as Tenant,
				[],
				now,
				shared
			).values
		: {};
	const isShared = (name: string) => name.startsWith('main.') || name.startsWith('contact.');
	const dates = TEMPLATE_LANGUAGES.map((language) => [language, formatLongDate(now, language)] as const);
	const inLanguages = (languages: string[]): Condition =>
		languages.length === 0
			? false
			: sql`(${agreement.language} in (${sql.join(
					languages.map((l) => sql`${l}`),
					sql`, `
				)}))`;
	const unknown = (name: string): never => {
		throw new Error(`The campaign list does not know where "${name}" comes from: add it to campaign-rows.ts`);
	};
	return {
		always: true,
		and: and2,
		or: or2,
		not,
		blank(name) {
			if (name in TEXT_COLUMNS) return blankText(TEXT_COLUMNS[name]);
			if (isShared(name)) return isMissingValue(probe[name]);
			switch (name) {
				case 'tenant.address': {
					// One part kept prints as it is; two print with ", " between them, never empty.
					const [a, b] = [filled(street), filled(postalCity)];
					return sql`(case when ${a} and ${b} then 0 when ${a} then ${blankText(street)} when ${b} then ${blankText(postalCity)} else 1 end)`;
				}
				case 'notice.months':
					return false; // a whole number
				case 'date':
					return inLanguages(dates.filter(([, text]) => isMissingValue(text)).map(([language]) => language));
			}
			return unknown(name);
		},
		holds(name) {
			if (name in TEXT_COLUMNS) return filled(TEXT_COLUMNS[name]);
			if (isShared(name)) return truthy(probe[name]);
			if (name.startsWith('uses.'))
				return sql`exists (select 1 from ${tenantService} join ${kantaService} on ${kantaService.id} = ${tenantService.serviceId} where ${tenantService.tenantId} = ${tenant.id} and ${kantaService.code} = ${name.slice('uses.'.length)} and ${kantaService.selectable} = 1)`;
			switch (name) {
				case 'tenant.address':
					return sql`(${filled(street)} or ${filled(postalCity)})`;
				case 'renewals.forwarded':
					return sql`(${agreement.renewalsForwarded} = 1)`;
				case 'notice.custom':
					return sql`(${agreement.noticeMonths} <> 1)`;
				case 'notice.months':
					return true;
				case 'date':
					return inLanguages(dates.filter(([, text]) => truthy(text)).map(([language]) => language));
			}
			return unknown(name);
		}
	};
}

/**
 * The agreement as the list reads it: from its covering index (SQLite would otherwise take the
 * primary key's and read each row, walking through the template text, about 20 kB, that comes
 * before the columns the list needs).
 */
export const listed = sql`${agreement} indexed by agreement_campaign_list_idx`;

interface Expressions {
	state: SQL<CampaignState>;
	/** The missing values' names, comma-separated ('' for none). */
	missing: SQL<string>;
}

/** The SQL for a campaign's states, and its hash (`fingerprintOf`). */
interface Made {
	e: Expressions;
	fingerprint: string;
}

/** The SQL made lately, by what it is made from (`expressions`); a handful of campaigns and days at most. */
const made = new Map<string, Made>();

/**
 * The SQL for a draft's state and gaps. A campaign's drafts are made from its template version, in
 * each tenant's language where it exists (createCampaign), and a stored template's text never
 * changes: so each of those versions is parsed once, and the SQL picks the draft's.
 *
 * The SQL follows from the templates' ids, the shared values and the date as each language prints it,
 * nothing else: made again only when one of those differs from a recent call (building it and hashing
 * it cost several milliseconds, reading what it is made from well under one).
 */
function expressions(db: DbOrTx, campaignId: string, now: Date): Made {
	const campaign = db
		.select({ templateKey: agreementCampaign.templateKey, version: agreementCampaign.templateVersion })
		.from(agreementCampaign)
		.where(eq(agreementCampaign.id, campaignId))
		.get();
	const templates = campaign
		? db
				.select({ id: agreementTemplate.id })
				.from(agreementTemplate)
				.where(and(eq(agreementTemplate.templateKey, campaign.templateKey), eq(agreementTemplate.version, campaign.version)))
				.orderBy(asc(agreementTemplate.id))
				.all()
				.map((t) => t.id)
		: [];
	const shared = templates.length ? sharedValues(db) : undefined;
	const dates = TEMPLATE_LANGUAGES.map((language) => formatLongDate(now, language));
	const key = createHash('sha256')
		.update(JSON.stringify([templates, shared, dates]))
		.digest('hex');
	let found = made.get(key);
	if (!found) {
		const e = build(db, templates, shared, now);
		found = { e, fingerprint: fingerprintOf(e) };
		if (made.size >= 32) made.clear();
		made.set(key, found);
	}
	return found;
}

function build(db: DbOrTx, templates: string[], shared: SharedValues | undefined, now: Date): Expressions {
	const byTemplate: { templateId: string; missing: [string, Condition][] }[] = [];
	if (shared) {
		const algebra = sqlAlgebra(shared, now);
		for (const id of templates) {
			const { source } = db.select({ source: agreementTemplate.source }).from(agreementTemplate).where(eq(agreementTemplate.id, id)).get()!;
			const parsed: ParsedTemplate = parseTemplate(source);
			byTemplate.push({ templateId: id, missing: whenMissing(parsed, algebra).filter(([, when]) => when !== false) });
		}
	}
	const perTemplate = (make: (missing: [string, Condition][]) => SQL, otherwise: SQL) =>
		byTemplate.length === 0
			? otherwise
			: sql`(case ${agreement.templateId} ${sql.join(
					byTemplate.map(({ templateId, missing }) => sql`when ${templateId} then ${make(missing)}`),
					sql` `
				)} else ${otherwise} end)`;
	const hasGaps = perTemplate((missing) => toSql(missing.map(([, when]) => when).reduce<Condition>(or2, false)), sql.raw('0'));
	const missingList = perTemplate(
		(missing) =>
			missing.length === 0
				? sql`''`
				: sql`concat_ws(',', ${sql.join(
						missing.map(([name, when]) => (when === true ? sql`${name}` : sql`case when ${when} then ${name} end`)),
						sql`, `
					)})`,
		sql`''`
	);
	return {
		state: sql<CampaignState>`(case ${agreement.status}
			when 'draft' then (case when coalesce(${agreement.declinedReason}, '') <> '' then 'declined' when ${hasGaps} then 'gaps' else 'ready' end)
			when 'awaiting_tenant_signature' then 'waiting'
			when 'awaiting_countersignature' then 'signed'
			else (case when ${agreement.inForceAt} is not null then 'countersigned' else 'closed' end) end)`,
		missing: sql<string>`(case when ${agreement.status} = 'draft' then ${missingList} else '' end)`
	};
}

/** The state and gaps as last worked out and stored (`refreshStates`). */
const stored: Expressions = {
	state: sql<CampaignState>`${campaignAgreement.state}`,
	missing: sql<string>`${campaignAgreement.missing}`
};

const dialect = new SQLiteSyncDialect();

/** A hash of the SQL made now: the stored states were worked out by the same SQL when the campaign's is the same. */
function fingerprintOf(e: Expressions): string {
	const query = dialect.sqlToQuery(sql`${e.state} ${e.missing}`);
	return createHash('sha256')
		.update(JSON.stringify([query.sql, query.params]))
		.digest('hex');
}

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
