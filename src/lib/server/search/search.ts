import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import type { AgreementStatus, CertificateKind } from '../db/schema';
import { contains, containsSearch } from '../db/text-search';
import { can } from '../auth/authorize';
import type { SessionUser } from '../auth/session';
import { getInstruction, instructionVisibleTo } from '../instructions/instructions';

/**
 * The header search: one box, results grouped by what they are. Everything is scoped as the lists
 * are: a group is searched only when `can()` lets the person see that kind of thing, and a tenant's
 * people search only their own tenant's rows. Case is folded in every letter (Ä = ä, Å = å), as the
 * list filters do; ä and a stay different letters.
 *
 * Main connector people search the whole country through trigram full-text indexes (migration
 * `search_index`), so a search is index lookups whatever the size. A tenant's person searches the
 * few rows of their own tenant, found through the tenant_id indexes.
 */

/** Below this many characters a search is not run (the trigram index needs three). */
export const SEARCH_MIN_LENGTH = 3;
export const SEARCH_MAX_LENGTH = 100;
/** Results shown per group; `more` says there are others (the person then narrows the search). */
export const SEARCH_GROUP_LIMIT = 8;
/** How many matching tenants the agreement group looks through. */
const AGREEMENT_TENANTS = 50;

export interface SearchGroup<T> {
	items: T[];
	more: boolean;
}

export interface TenantHit {
	id: string;
	name: string;
	businessId: string;
	archived: boolean;
}
export interface PersonHit {
	id: string;
	name: string;
	email: string;
	tenantId: string | null;
	tenantName: string | null;
	status: string;
}
export interface CertificateHit {
	id: string;
	holderName: string;
	subject: string;
	serialNumber: string;
	kind: CertificateKind;
	validTo: Date;
	tenantName: string | null;
}
export interface AgreementHit {
	id: string;
	tenantName: string;
	businessId: string;
	status: AgreementStatus;
	createdAt: Date;
}
export interface InstructionHit {
	id: string;
	title: string;
	/** Whether the person manages instructions (the link then goes to the library, else to reading). */
	manage: boolean;
}

export interface SearchResults {
	query: string;
	/** The query was shorter than SEARCH_MIN_LENGTH: nothing was searched. */
	tooShort: boolean;
	/** Null: the person may not see that kind of thing, so it is neither searched nor shown. */
	tenants: SearchGroup<TenantHit> | null;
	people: SearchGroup<PersonHit> | null;
	certificates: SearchGroup<CertificateHit> | null;
	agreements: SearchGroup<AgreementHit> | null;
	instructions: SearchGroup<InstructionHit> | null;
}

/** An FTS5 phrase: the typed text, matched as one substring (quotes doubled). */
export const ftsPhrase = (text: string) => `"${text.replace(/"/g, '""')}"`;

const group = <T>(rows: T[], limit: number, byName?: (row: T) => string): SearchGroup<T> => {
	const items = rows.slice(0, limit);
	// The index returns matches in storage order; within the page, by name reads better.
	if (byName) items.sort((a, b) => byName(a).localeCompare(byName(b), 'fi'));
	return { items, more: rows.length > limit };
};

const toDate = (value: number | null) => (value === null ? null : new Date(value));

interface Scope {
	/** null: every tenant and the main connector (main connector people); else that tenant only. */
	tenantId: string | null;
	phrase: string;
	like: ReturnType<typeof containsSearch>;
	limit: number;
}

function tenantsMatching(db: DbOrTx, scope: Scope, limit: number): TenantHit[] {
	const where: SQL =
		scope.tenantId === null
			? sql`t.rowid in (select rowid from search_tenant where search_tenant match ${scope.phrase} limit ${limit})`
			: sql`t.id = ${scope.tenantId} and (${contains(sql`t.name`, scope.like.pattern, scope.like.unicode)} or ${contains(sql`t.business_id`, scope.like.pattern, scope.like.unicode)})`;
	return db
		.all<{ id: string; name: string; business_id: string; archived_at: number | null }>(
			sql`select t.id, t.name, t.business_id, t.archived_at from tenant t where ${where} limit ${limit}`
		)
		.map((r) => ({ id: r.id, name: r.name, businessId: r.business_id, archived: r.archived_at !== null }));
}

function peopleMatching(db: DbOrTx, scope: Scope): PersonHit[] {
	const where: SQL =
		scope.tenantId === null
			? sql`u.rowid in (select rowid from search_person where search_person match ${scope.phrase} limit ${scope.limit + 1})`
			: sql`u.tenant_id = ${scope.tenantId} and (${contains(sql`u.name`, scope.like.pattern, scope.like.unicode)} or ${contains(sql`u.email`, scope.like.pattern, scope.like.unicode)})`;
	return db
		.all<{ id: string; name: string; email: string; tenant_id: string | null; tenant_name: string | null; status: string }>(
			sql`select u.id, u.name, u.email, u.tenant_id, t.name as tenant_name, u.status
				from user u left join tenant t on t.id = u.tenant_id where ${where} limit ${scope.limit + 1}`
		)
		.map((r) => ({ id: r.id, name: r.name, email: r.email, tenantId: r.tenant_id, tenantName: r.tenant_name, status: r.status }));
}

function certificatesMatching(db: DbOrTx, scope: Scope): CertificateHit[] {
	const like = (column: SQL) => contains(column, scope.like.pattern, scope.like.unicode);
	// Superseded certificates are history: the search finds the current ones. Across the country the
	// full-text index leads and each match is read by rowid; `+` keeps SQLite from scanning every
	// current certificate along the (superseded_at, valid_to) index instead (measured: 20 ms against 0.1 ms).
	const from: SQL =
		scope.tenantId === null
			? sql`search_certificate s join certificate c on c.rowid = s.rowid left join tenant t on t.id = c.tenant_id
				where search_certificate match ${scope.phrase}`
			: sql`certificate c left join tenant t on t.id = c.tenant_id
				where c.tenant_id = ${scope.tenantId} and (${like(sql`c.holder_name`)} or ${like(sql`c.subject`)} or ${like(sql`c.serial_number`)})`;
	return db
		.all<{
			id: string;
			holder_name: string;
			subject: string;
			serial_number: string;
			kind: CertificateKind;
			valid_to: number;
			tenant_name: string | null;
		}>(
			sql`select c.id, c.holder_name, c.subject, c.serial_number, c.kind, c.valid_to, t.name as tenant_name
				from ${from} and +c.superseded_at is null limit ${scope.limit + 1}`
		)
		.map((r) => ({
			id: r.id,
			holderName: r.holder_name,
			subject: r.subject,
			serialNumber: r.serial_number,
			kind: r.kind,
			validTo: toDate(r.valid_to)!,
			tenantName: r.tenant_name
		}));
}

function agreementsOf(db: DbOrTx, tenants: TenantHit[], limit: number): AgreementHit[] {
	if (tenants.length === 0) return [];
	const ids = sql.join(
		tenants.map((t) => sql`${t.id}`),
		sql`, `
	);
	return db
		.all<{ id: string; name: string; business_id: string; status: AgreementStatus; created_at: number }>(
			sql`select a.id, t.name, t.business_id, a.status, a.created_at from agreement a join tenant t on t.id = a.tenant_id
				where a.tenant_id in (${ids}) order by a.created_at desc limit ${limit + 1}`
		)
		.map((r) => ({ id: r.id, tenantName: r.name, businessId: r.business_id, status: r.status, createdAt: toDate(r.created_at)! }));
}

/** The title in the reader's language, as instructions are shown (English only where written). */
const titleIn = (v: { title_fi: string; title_sv: string; title_en: string | null }, locale: string) =>
	locale === 'en' && v.title_en ? v.title_en : locale === 'sv' ? v.title_sv : v.title_fi;

function instructionsMatching(
	db: DbOrTx,
	user: SessionUser,
	needle: string,
	locale: string,
	manage: boolean,
	limit: number
): InstructionHit[] {
	// The current (newest) version of each instruction still in use: tens of rows, not a national table.
	const versions = db.all<{ instruction_id: string; title_fi: string; title_sv: string; title_en: string | null }>(
		sql`select v.instruction_id, v.title_fi, v.title_sv, v.title_en from instruction_version v join instruction i on i.id = v.instruction_id
			where i.archived_at is null and v.version = (select max(w.version) from instruction_version w where w.instruction_id = v.instruction_id)
			order by i.created_at desc`
	);
	const hits: InstructionHit[] = [];
	for (const v of versions) {
		if (hits.length > limit) break;
		const titles = [v.title_fi, v.title_sv, v.title_en ?? ''];
		if (!titles.some((title) => title.toLowerCase().includes(needle))) continue;
		if (!manage) {
			const item = getInstruction(db, v.instruction_id);
			if (!item || !instructionVisibleTo(db, item, user)) continue;
		}
		hits.push({ id: v.instruction_id, title: titleIn(v, locale), manage });
	}
	return hits;
}

/** Runs the header search for this person. `locale` chooses the language of instruction titles. */
export function searchPortal(db: DbOrTx, user: SessionUser, rawQuery: string, locale = 'fi', limit = SEARCH_GROUP_LIMIT): SearchResults {
	const query = rawQuery.trim().slice(0, SEARCH_MAX_LENGTH);
	const own = user.tenantId === null ? {} : { tenantId: user.tenantId };
	const allowed = {
		tenants: user.tenantId === null ? can(user, 'tenant.list') : can(user, 'tenant.view', own),
		people: can(user, 'tenant.people.view', own),
		certificates: can(user, 'certificate.view', own),
		agreements: can(user, 'agreement.view', own),
		instructions: can(user, 'instruction.manage') || can(user, 'instruction.read')
	};
	const empty = <T>(ok: boolean): SearchGroup<T> | null => (ok ? { items: [], more: false } : null);
	const tooShort = [...query].length < SEARCH_MIN_LENGTH;
	if (tooShort)
		return {
			query,
			tooShort,
			tenants: empty(allowed.tenants),
			people: empty(allowed.people),
			certificates: empty(allowed.certificates),
			agreements: empty(allowed.agreements),
			instructions: empty(allowed.instructions)
		};
	const scope: Scope = { tenantId: user.tenantId, phrase: ftsPhrase(query), like: containsSearch(query), limit };
	const tenantRows = allowed.tenants || allowed.agreements ? tenantsMatching(db, scope, Math.max(limit + 1, AGREEMENT_TENANTS)) : [];
	const manage = can(user, 'instruction.manage');
	return {
		query,
		tooShort,
		tenants: allowed.tenants ? group(tenantRows, limit, (t) => t.name) : null,
		people: allowed.people ? group(peopleMatching(db, scope), limit, (p) => p.name) : null,
		certificates: allowed.certificates ? group(certificatesMatching(db, scope), limit, (c) => c.holderName) : null,
		agreements: allowed.agreements ? group(agreementsOf(db, tenantRows, limit), limit) : null,
		instructions: allowed.instructions
			? group(instructionsMatching(db, user, query.toLowerCase(), locale, manage, limit), limit, (i) => i.title)
			: null
	};
}

/** Fills the search indexes afresh from their tables (after a bulk load that ran without the triggers). */
export function rebuildSearchIndexes(db: DbOrTx): void {
	for (const table of ['search_tenant', 'search_person', 'search_certificate'])
		db.run(sql.raw(`insert into ${table}(${table}) values ('rebuild')`));
}
