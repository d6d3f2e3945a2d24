import { and, asc, eq, isNull, or, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { tenant, user } from '../db/schema';
import { contains, containsSearch } from '../db/text-search';
import { can } from '../auth/authorize';
import type { SessionUser } from '../auth/session';
import type { CertificateKind, HolderType } from '../../domain';
import { getMainConnector } from '../organisation/organisation';
import { getTenant } from '../tenants/tenants';
import { getUser } from '../auth/accounts';
import type { Actor } from '../actor';
import { addCertificate, type AddCertificateResult, type CertificateData, type Holder } from './registry';

/** How many holders the picker shows at most; a search narrows the rest down. */
export const HOLDER_SEARCH_LIMIT = 50;

/** A tenant or one of its active people, as the certificate holder picker offers them. */
export interface HolderMatch {
	type: 'tenant' | 'person';
	tenantId: string;
	userId: string | null;
	name: string;
	tenantName: string;
	/** The business ID of a tenant, the e-mail address of a person: what tells two alike names apart. */
	detail: string;
}

export interface HolderSearchResult {
	matches: HolderMatch[];
	/** More holders match than are shown. */
	more: boolean;
}

/**
 * Tenants and active people who may hold a certificate the viewer manages, matching `query` in the
 * name, business ID or e-mail address (case and å/ä/ö folded as the lists do), by name, at most
 * `limit`. An empty query gives the first ones by name. Bounded however many tenants there are:
 * two indexed queries, whatever the number of tenants.
 */
export function searchHolders(db: DbOrTx, viewer: SessionUser, query: string, limit = HOLDER_SEARCH_LIMIT): HolderSearchResult {
	// Main connector people manage every tenant's certificates; anyone else at most their own tenant's.
	const scope = viewer.tenantId === null ? (can(viewer, 'certificate.manage') ? 'all' : null) : viewer.tenantId;
	if (scope === null || (scope !== 'all' && !can(viewer, 'certificate.manage', { tenantId: scope }))) return { matches: [], more: false };

	const text = query.trim();
	const search = text ? containsSearch(text) : undefined;
	const matches = (...columns: SQLColumn[]): SQL | undefined =>
		search ? or(...columns.map((column) => contains(column, search.pattern, search.unicode))) : undefined;
	const tenantScope = scope === 'all' ? undefined : eq(tenant.id, scope);

	const tenants = db
		.select({ id: tenant.id, name: tenant.name, businessId: tenant.businessId })
		.from(tenant)
		.where(and(isNull(tenant.archivedAt), tenantScope, matches(tenant.name, tenant.businessId)))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.limit(limit + 1)
		.all()
		.map((t): HolderMatch => ({ type: 'tenant', tenantId: t.id, userId: null, name: t.name, tenantName: t.name, detail: t.businessId }));
	const people = db
		.select({ id: user.id, name: user.name, email: user.email, tenantId: tenant.id, tenantName: tenant.name })
		.from(user)
		.innerJoin(tenant, eq(tenant.id, user.tenantId))
		.where(and(eq(user.status, 'active'), isNull(tenant.archivedAt), tenantScope, matches(user.name, user.email)))
		.orderBy(asc(user.name), asc(user.id))
		.limit(limit + 1)
		.all()
		.map((p): HolderMatch => ({
			type: 'person',
			tenantId: p.tenantId,
			userId: p.id,
			name: p.name,
			tenantName: p.tenantName,
			detail: p.email
		}));
	// Each list holds its first limit + 1 by name, so the first limit + 1 of both together are among them.
	const both = [...tenants, ...people].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	return { matches: both.slice(0, limit), more: both.length > limit };
}

type SQLColumn = Parameters<typeof contains>[0];

/** The holder a form chose, if it is still one the picker would offer (to keep it listed beside the matches). */
export function findHolder(
	db: DbOrTx,
	viewer: SessionUser,
	choice: { tenantId: string | null; userId: string | null }
): HolderMatch | null {
	if (!choice.tenantId || !can(viewer, 'certificate.manage', { tenantId: choice.tenantId })) return null;
	const owner = db
		.select({ id: tenant.id, name: tenant.name, businessId: tenant.businessId })
		.from(tenant)
		.where(and(eq(tenant.id, choice.tenantId), isNull(tenant.archivedAt)))
		.get();
	if (!owner) return null;
	if (!choice.userId)
		return { type: 'tenant', tenantId: owner.id, userId: null, name: owner.name, tenantName: owner.name, detail: owner.businessId };
	const person = db
		.select({ id: user.id, name: user.name, email: user.email })
		.from(user)
		.where(and(eq(user.id, choice.userId), eq(user.tenantId, owner.id), eq(user.status, 'active')))
		.get();
	return person
		? { type: 'person', tenantId: owner.id, userId: person.id, name: person.name, tenantName: owner.name, detail: person.email }
		: null;
}

export type HolderChoice = { type: HolderType; tenantId: string | null; userId: string | null };

/**
 * What the holder picker lists besides the main connector: the holder already chosen (if the viewer
 * may still choose it) followed by the search's matches, each once.
 */
export function holderPicker(db: DbOrTx, viewer: SessionUser, query: string, chosen: HolderChoice | null): HolderSearchResult {
	const found = searchHolders(db, viewer, query);
	const kept = chosen && chosen.type !== 'main_connector' ? findHolder(db, viewer, chosen) : null;
	const same = (a: HolderMatch, b: HolderMatch) => a.type === b.type && a.tenantId === b.tenantId && a.userId === b.userId;
	if (!kept || found.matches.some((match) => same(match, kept))) return found;
	return { matches: [kept, ...found.matches], more: found.more };
}

/**
 * A chosen holder, if it exists as chosen: the main connector, a current tenant, or an active
 * person of that very tenant. The certificate form and the integration API both ask this.
 */
export function resolveHolder(db: DbOrTx, choice: HolderChoice): Holder | null {
	if (choice.type === 'main_connector') {
		const main = getMainConnector(db);
		return main ? { type: 'main_connector', tenantId: null, userId: null, name: main.name } : null;
	}
	const tenant = getTenant(db, choice.tenantId ?? '');
	if (!tenant || tenant.archivedAt) return null;
	if (choice.type === 'tenant') return { type: 'tenant', tenantId: tenant.id, userId: null, name: tenant.name };
	const person = getUser(db, choice.userId ?? '');
	if (!person || person.tenantId !== tenant.id || person.status !== 'active') return null;
	return { type: 'person', tenantId: tenant.id, userId: person.id, name: person.name };
}

export type AddCertificateForResult = AddCertificateResult | { ok: false; reason: 'holder_not_found' };

/**
 * Records a certificate for the holder a form or a request chose: the holder is resolved in the same
 * transaction, so a tenant archived or a person deactivated meanwhile is refused, never recorded.
 */
export function addCertificateFor(
	db: Db,
	actor: Actor,
	kind: CertificateKind,
	choice: HolderChoice,
	data: CertificateData,
	now = new Date()
): AddCertificateForResult {
	return db.transaction((tx): AddCertificateForResult => {
		const holder = resolveHolder(tx, choice);
		if (!holder) return { ok: false, reason: 'holder_not_found' };
		// A nested transaction (a savepoint) on the outer one, as the tenant import does.
		return addCertificate(tx as unknown as Db, actor, kind, holder, data, now);
	});
}
