import { createHash } from 'node:crypto';
import { and, asc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../db';
import { agreement, agreementCampaign, agreementTemplate, kantaService, tenant, tenantService, type Tenant } from '../db/schema';
import type { CampaignState } from '../../domain';
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
 * Where a campaign's draft stands, as SQL: each template the campaign's drafts use is turned into
 * SQL that says, for a draft and its tenant, which printed values are empty (`whenMissing`, the walk
 * `missingValues` makes). The list (campaign-rows.ts) stores what it gives, and hashes it to tell
 * when what it stored was worked out by other SQL.
 */

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

export interface Expressions {
	state: SQL<CampaignState>;
	/** The missing values' names, comma-separated ('' for none). */
	missing: SQL<string>;
}

/** The SQL for a campaign's states, and its hash (`fingerprintOf`). */
export interface Made {
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
export function expressions(db: DbOrTx, campaignId: string, now: Date): Made {
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

const dialect = new SQLiteSyncDialect();

/** A hash of the SQL made now: the stored states were worked out by the same SQL when the campaign's is the same. */
function fingerprintOf(e: Expressions): string {
	const query = dialect.sqlToQuery(sql`${e.state} ${e.missing}`);
	return createHash('sha256')
		.update(JSON.stringify([query.sql, query.params]))
		.digest('hex');
}
