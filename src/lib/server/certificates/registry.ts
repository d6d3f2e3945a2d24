import { and, asc, count, desc, eq, gt, gte, isNotNull, isNull, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { certificate, tenant, type Certificate } from '../db/schema';
import { contains, containsSearch } from '../db/text-search';
import type { CertificateKind, ExpiryBucket, HolderType } from '../../domain';
import { audit, type Actor } from '../actor';
import { getSettings, type Settings } from '../settings';
import type { ParsedCertificate } from './x509';
import { addMonths, DAY_MS, startOfHelsinkiDay } from '../../time';

export interface Holder {
	type: HolderType;
	/** The tenant for tenant and tenant-staff holders. */
	tenantId: string | null;
	userId: string | null;
	name: string;
}

export type CertificateData =
	| { source: 'upload'; parsed: ParsedCertificate; reference: string }
	| { source: 'manual'; validTo: Date; validFrom: Date | null; reference: string };

export type AddCertificateResult =
	{ ok: true; id: string; supersededId: string | null } | { ok: false; reason: 'duplicate'; existingId: string };

/** The holder's current certificate of this kind, which a new one replaces (a renewal). */
function currentFor(tx: DbOrTx, kind: CertificateKind, holder: Holder): Certificate | undefined {
	const conditions: SQL[] = [eq(certificate.kind, kind), eq(certificate.holderType, holder.type), isNull(certificate.supersededAt)];
	conditions.push(holder.tenantId ? eq(certificate.tenantId, holder.tenantId) : isNull(certificate.tenantId));
	conditions.push(holder.userId ? eq(certificate.holderUserId, holder.userId) : isNull(certificate.holderUserId));
	return tx
		.select()
		.from(certificate)
		.where(and(...conditions))
		.orderBy(asc(certificate.validTo))
		.get();
}

/**
 * Records a certificate. A second certificate for the same holder and kind is a renewal: the old
 * one is superseded (kept, linked) and its reminders stop; the new one's start afresh.
 */
export function addCertificate(
	db: Db,
	actor: Actor,
	kind: CertificateKind,
	holder: Holder,
	data: CertificateData,
	now = new Date()
): AddCertificateResult {
	return db.transaction((tx) => {
		if (data.source === 'upload') {
			const existing = tx
				.select({ id: certificate.id })
				.from(certificate)
				.where(eq(certificate.fingerprintSha256, data.parsed.fingerprintSha256))
				.get();
			if (existing) return { ok: false, reason: 'duplicate', existingId: existing.id } as const;
		}
		const previous = currentFor(tx, kind, holder);
		const id = crypto.randomUUID();
		const details =
			data.source === 'upload'
				? {
						subject: data.parsed.subject,
						issuer: data.parsed.issuer,
						serialNumber: data.parsed.serialNumber,
						fingerprintSha256: data.parsed.fingerprintSha256,
						keyType: data.parsed.keyType,
						keySize: data.parsed.keySize,
						validFrom: data.parsed.validFrom,
						validTo: data.parsed.validTo,
						pem: data.parsed.pem
					}
				: { validFrom: data.validFrom, validTo: data.validTo };
		tx.insert(certificate)
			.values({
				...details,
				id,
				kind,
				holderType: holder.type,
				tenantId: holder.tenantId,
				holderUserId: holder.userId,
				holderName: holder.name,
				reference: data.reference,
				source: data.source,
				supersedesId: previous?.id ?? null,
				createdAt: now,
				createdBy: actor.label
			})
			.run();
		if (previous) {
			tx.update(certificate).set({ supersededAt: now }).where(eq(certificate.id, previous.id)).run();
			audit(tx, actor, {
				tenantId: holder.tenantId,
				action: 'certificate.supersede',
				targetType: 'certificate',
				targetId: previous.id,
				summary: `renewed by ${id}`
			});
		}
		audit(tx, actor, {
			tenantId: holder.tenantId,
			action: 'certificate.add',
			targetType: 'certificate',
			targetId: id,
			summary: `${kind} for ${holder.name}, valid until ${details.validTo.toISOString().slice(0, 10)}`
		});
		return { ok: true, id, supersededId: previous?.id ?? null } as const;
	});
}

export function getCertificate(db: DbOrTx, id: string): Certificate | undefined {
	return db.select().from(certificate).where(eq(certificate.id, id)).get();
}

/** Every certificate in the renewal chain this one belongs to, oldest first. */
export function renewalChain(db: DbOrTx, id: string): Certificate[] {
	const chain: Certificate[] = [];
	let cursor = getCertificate(db, id);
	while (cursor?.supersedesId) cursor = getCertificate(db, cursor.supersedesId);
	for (let guard = 0; cursor && guard < 100; guard++) {
		chain.push(cursor);
		cursor = db.select().from(certificate).where(eq(certificate.supersedesId, cursor.id)).get();
	}
	return chain;
}

export function markRenewalOrdered(db: Db, actor: Actor, id: string, note: string, now = new Date()): boolean {
	return db.transaction((tx) => {
		const current = getCertificate(tx, id);
		if (!current || current.supersededAt) return false;
		tx.update(certificate).set({ renewalOrderedAt: now, renewalNote: note }).where(eq(certificate.id, id)).run();
		audit(tx, actor, {
			tenantId: current.tenantId,
			action: 'certificate.renewal_ordered',
			targetType: 'certificate',
			targetId: id,
			summary: note
		});
		return true;
	});
}

/** When the renewal has to be ordered: expiry less the kind's lead time. */
export function orderByDate(validTo: Date, kind: CertificateKind, settings: Settings): Date {
	return new Date(validTo.getTime() - settings.orderLeadDays[kind] * DAY_MS);
}

export function expiryBucket(validTo: Date, now: Date): ExpiryBucket {
	const days = (validTo.getTime() - now.getTime()) / DAY_MS;
	if (days <= 0) return 'expired';
	if (days <= 30) return 'within_30';
	if (days <= 60) return 'within_60';
	if (days <= 90) return 'within_90';
	return 'later';
}

export interface CertificateFilter {
	/** Restricts to one tenant's certificates (its own and its staff's): tenant administrators' view. */
	tenantId?: string;
	bucket?: ExpiryBucket;
	kind?: CertificateKind;
	holderType?: HolderType;
	query?: string;
	/** Expiring in this Finnish calendar month, YYYY-MM. */
	month?: string;
	includeSuperseded?: boolean;
	page: number;
	pageSize: number;
}

export interface CertificateRow extends Certificate {
	tenantName: string | null;
	bucket: ExpiryBucket;
	orderBy: Date;
}

function bucketCondition(bucket: ExpiryBucket, now: Date): SQL {
	const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
	switch (bucket) {
		case 'expired':
			return lte(certificate.validTo, now);
		case 'within_30':
			return and(gt(certificate.validTo, now), lte(certificate.validTo, at(30)))!;
		case 'within_60':
			return and(gt(certificate.validTo, at(30)), lte(certificate.validTo, at(60)))!;
		case 'within_90':
			return and(gt(certificate.validTo, at(60)), lte(certificate.validTo, at(90)))!;
		case 'later':
			return gt(certificate.validTo, at(90));
	}
}

function filterConditions(filter: Omit<CertificateFilter, 'page' | 'pageSize' | 'bucket'>): SQL[] {
	const conditions: SQL[] = [];
	if (!filter.includeSuperseded) conditions.push(isNull(certificate.supersededAt));
	if (filter.tenantId) conditions.push(eq(certificate.tenantId, filter.tenantId));
	if (filter.kind) conditions.push(eq(certificate.kind, filter.kind));
	if (filter.holderType) conditions.push(eq(certificate.holderType, filter.holderType));
	if (filter.month) {
		const first = `${filter.month}-01`;
		conditions.push(gte(certificate.validTo, startOfHelsinkiDay(first)), lt(certificate.validTo, startOfHelsinkiDay(addMonths(first, 1))));
	}
	const query = filter.query?.trim();
	if (query) {
		const { pattern, unicode } = containsSearch(query);
		conditions.push(
			or(
				contains(certificate.holderName, pattern, unicode),
				contains(certificate.subject, pattern, unicode),
				contains(certificate.reference, pattern, unicode)
			)!
		);
	}
	return conditions;
}

/** The expiry dashboard's rows, soonest expiry first. */
export function listCertificates(db: DbOrTx, filter: CertificateFilter, now = new Date()): { rows: CertificateRow[]; total: number } {
	const conditions = filterConditions(filter);
	if (filter.bucket) conditions.push(bucketCondition(filter.bucket, now));
	const where = conditions.length ? and(...conditions) : undefined;
	const total = db.select({ n: count() }).from(certificate).where(where).get()?.n ?? 0;
	const settings = getSettings(db);
	const rows = db
		.select({ certificate, tenantName: tenant.name })
		.from(certificate)
		.leftJoin(tenant, eq(certificate.tenantId, tenant.id))
		.where(where)
		.orderBy(asc(certificate.validTo), asc(certificate.id))
		.limit(filter.pageSize)
		.offset((filter.page - 1) * filter.pageSize)
		.all()
		.map((r) => ({
			...r.certificate,
			tenantName: r.tenantName,
			bucket: expiryBucket(r.certificate.validTo, now),
			orderBy: orderByDate(r.certificate.validTo, r.certificate.kind, settings)
		}));
	return { rows, total };
}

export type CertificateExportRow = Pick<
	CertificateRow,
	| 'id'
	| 'holderName'
	| 'tenantName'
	| 'kind'
	| 'subject'
	| 'issuer'
	| 'serialNumber'
	| 'fingerprintSha256'
	| 'validFrom'
	| 'validTo'
	| 'orderBy'
	| 'renewalOrderedAt'
	| 'reference'
>;

/**
 * The dashboard's rows for the export, soonest expiry first, `chunk` at a time up to `max`. Each part
 * is a query of its own that starts after the last row of the one before (no OFFSET, no statement
 * left open), so the export is sent as it is read and other requests are answered in between.
 */
export function* certificateExportChunks(
	db: DbOrTx,
	filter: Omit<CertificateFilter, 'page' | 'pageSize'>,
	options: { chunk: number; max: number },
	now = new Date()
): Generator<CertificateExportRow[]> {
	const conditions = filterConditions(filter);
	if (filter.bucket) conditions.push(bucketCondition(filter.bucket, now));
	const settings = getSettings(db);
	let after: { validTo: Date; id: string } | undefined;
	for (let sent = 0; sent < options.max;) {
		const keyset = after
			? or(gt(certificate.validTo, after.validTo), and(eq(certificate.validTo, after.validTo), gt(certificate.id, after.id)))
			: undefined;
		const rows = db
			.select({
				id: certificate.id,
				holderName: certificate.holderName,
				tenantName: tenant.name,
				kind: certificate.kind,
				subject: certificate.subject,
				issuer: certificate.issuer,
				serialNumber: certificate.serialNumber,
				fingerprintSha256: certificate.fingerprintSha256,
				validFrom: certificate.validFrom,
				validTo: certificate.validTo,
				renewalOrderedAt: certificate.renewalOrderedAt,
				reference: certificate.reference
			})
			.from(certificate)
			.leftJoin(tenant, eq(certificate.tenantId, tenant.id))
			.where(and(...conditions, keyset))
			.orderBy(asc(certificate.validTo), asc(certificate.id))
			.limit(Math.min(options.chunk, options.max - sent))
			.all();
		if (rows.length === 0) return;
		yield rows.map((r) => ({ ...r, orderBy: orderByDate(r.validTo, r.kind, settings) }));
		sent += rows.length;
		after = rows.at(-1)!;
	}
}

/** How many current certificates fall in each expiry bucket (the dashboard's headline). */
export function countByBucket(
	db: DbOrTx,
	filter: Omit<CertificateFilter, 'page' | 'pageSize' | 'bucket'>,
	now = new Date()
): Record<ExpiryBucket, number> {
	const base = filterConditions(filter);
	const counts = {} as Record<ExpiryBucket, number>;
	for (const bucket of ['expired', 'within_30', 'within_60', 'within_90', 'later'] as const) {
		counts[bucket] =
			db
				.select({ n: count() })
				.from(certificate)
				.where(and(...base, bucketCondition(bucket, now)))
				.get()?.n ?? 0;
	}
	return counts;
}

/** Current certificates that expire by `until` (reminder scans). */
export function listCurrentExpiringBy(db: DbOrTx, until: Date): Certificate[] {
	return db
		.select()
		.from(certificate)
		.where(and(isNull(certificate.supersededAt), lte(certificate.validTo, until), isNotNull(certificate.validTo)))
		.all();
}

/** Current certificates whose renewal must be ordered within `days` and has not been: "order this week". */
export function listToOrder(db: DbOrTx, now = new Date(), days = 7, limit = 10): CertificateRow[] {
	const settings = getSettings(db);
	const limitDate = new Date(now.getTime() + days * DAY_MS);
	const horizon = new Date(limitDate.getTime() + Math.max(...Object.values(settings.orderLeadDays)) * DAY_MS);
	// orderByDate(validTo) <= limitDate, written per kind as validTo <= limitDate + lead, so the test
	// runs in SQL along the (superseded_at, valid_to) index and the scan stops after `limit` rows.
	const orderDue = or(
		...Object.entries(settings.orderLeadDays).map(([kind, lead]) =>
			and(eq(certificate.kind, kind as CertificateKind), lte(certificate.validTo, new Date(limitDate.getTime() + lead * DAY_MS)))
		)
	);
	return (
		db
			.select({ certificate, tenantName: tenant.name })
			.from(certificate)
			.leftJoin(tenant, eq(certificate.tenantId, tenant.id))
			// An expired certificate can no longer be renewed in time: listExpiredUnreplaced says so instead.
			.where(
				and(
					isNull(certificate.supersededAt),
					isNull(certificate.renewalOrderedAt),
					gt(certificate.validTo, now),
					lte(certificate.validTo, horizon),
					orderDue
				)
			)
			.orderBy(asc(certificate.validTo))
			.limit(limit)
			.all()
			.map((r) => ({
				...r.certificate,
				tenantName: r.tenantName,
				bucket: expiryBucket(r.certificate.validTo, now),
				orderBy: orderByDate(r.certificate.validTo, r.certificate.kind, settings)
			}))
	);
}

/**
 * Current certificates that have already expired and that no newer certificate replaces, newest
 * expiry first: the connection or the person is without a valid certificate now.
 */
export function listExpiredUnreplaced(db: DbOrTx, now = new Date(), limit = 10): { rows: CertificateRow[]; total: number } {
	const settings = getSettings(db);
	const where = and(isNull(certificate.supersededAt), lte(certificate.validTo, now));
	const rows = db
		.select({ certificate, tenantName: tenant.name })
		.from(certificate)
		.leftJoin(tenant, eq(certificate.tenantId, tenant.id))
		.where(where)
		.orderBy(desc(certificate.validTo))
		.limit(limit)
		.all()
		.map((r) => ({
			...r.certificate,
			tenantName: r.tenantName,
			bucket: expiryBucket(r.certificate.validTo, now),
			orderBy: orderByDate(r.certificate.validTo, r.certificate.kind, settings)
		}));
	const total = db.select({ n: count() }).from(certificate).where(where).get()?.n ?? 0;
	return { rows, total };
}
