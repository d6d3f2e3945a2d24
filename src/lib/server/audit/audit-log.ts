/**
 * The append-only audit log. Each entry's hash covers its content and the previous entry's hash,
 * so editing or removing any entry breaks the chain from that point on.
 *
 * What this cannot catch: someone with write access who rewrites the whole tail and recomputes
 * every hash (and `sqlite_sequence`). Guarding against that needs the latest hash kept elsewhere.
 */
import { createHash } from 'node:crypto';
import { and, count, desc, eq, gte, lt, max, or, sql, type SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { auditEntry, type AuditEntry } from '../db/schema';
import type { Db, DbOrTx } from '../db/index';
import { contains, containsSearch } from '../db/text-search';

export interface AuditInput {
	actor: { id: string | null; label: string };
	tenantId?: string | null;
	action: string;
	targetType?: string;
	targetId?: string;
	summary?: string;
	ipAddress?: string;
	at?: Date;
}

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a hash covers, exactly as they are stored. */
interface HashedFields {
	seq: number;
	atMs: number;
	actorId: string | null;
	actorLabel: string;
	tenantId: string | null;
	action: string;
	targetType: string;
	targetId: string;
	summary: string;
	ipAddress: string;
}

function entryHash(prevHash: string, f: HashedFields): string {
	const content = {
		action: f.action,
		actorId: f.actorId,
		actorLabel: f.actorLabel,
		at: new Date(f.atMs).toISOString(),
		ipAddress: f.ipAddress,
		seq: f.seq,
		summary: f.summary,
		targetId: f.targetId,
		targetType: f.targetType,
		tenantId: f.tenantId
	};
	// Listing the keys sorted pins the serialisation, so the hash never depends on property order.
	const canonical = JSON.stringify(content, Object.keys(content).sort());
	return createHash('sha256')
		.update(prevHash + canonical)
		.digest('hex');
}

/** SQLite's own AUTOINCREMENT counters (not in schema.ts: the migrations never create it). */
const sqliteSequence = sqliteTable('sqlite_sequence', { name: text('name').notNull(), seq: integer('seq').notNull() });

/** Highest seq AUTOINCREMENT has ever handed out; survives deletion of the newest rows. */
function highestIssuedSeq(tx: DbOrTx): number {
	const row = tx.get<{ seq: number } | undefined>(sql`select seq from sqlite_sequence where name = 'audit_entry'`);
	return row?.seq ?? 0;
}

/**
 * Appends an entry. Call it inside the transaction that makes the change it records, so the
 * change and its audit entry are committed (or rolled back) together.
 */
export function recordAudit(tx: DbOrTx, input: AuditInput): void {
	// A savepoint (or a transaction, if given the bare db) keeps the read-then-insert atomic.
	tx.transaction((inner) => auditAppender(inner)(input));
}

/**
 * The entry appender behind `recordAudit`, with its statements prepared once: for a bulk change
 * (an import) that records thousands of entries in one transaction. Use it only inside a
 * transaction, which keeps each read-then-insert atomic (it opens no savepoint of its own); it
 * reads the newest entry afresh each time, so entries written meanwhile by `recordAudit` chain in.
 */
export function auditAppender(tx: DbOrTx): (input: AuditInput) => void {
	const newest = tx
		.select({ seq: auditEntry.seq, hash: auditEntry.hash })
		.from(auditEntry)
		.orderBy(desc(auditEntry.seq))
		.limit(1)
		.prepare();
	const issued = tx.select({ seq: sqliteSequence.seq }).from(sqliteSequence).where(eq(sqliteSequence.name, 'audit_entry')).prepare();
	const insert = tx
		.insert(auditEntry)
		.values({
			seq: sql.placeholder('seq'),
			at: sql.placeholder('at'),
			actorId: sql.placeholder('actorId'),
			actorLabel: sql.placeholder('actorLabel'),
			tenantId: sql.placeholder('tenantId'),
			action: sql.placeholder('action'),
			targetType: sql.placeholder('targetType'),
			targetId: sql.placeholder('targetId'),
			summary: sql.placeholder('summary'),
			ipAddress: sql.placeholder('ipAddress'),
			prevHash: sql.placeholder('prevHash'),
			hash: sql.placeholder('hash')
		})
		.prepare();
	return (input) => {
		const last = newest.get();
		// The hash covers seq, so it must be known before the insert. Taking max(seq) alone would
		// reuse the numbers of deleted newest rows and hide their deletion; AUTOINCREMENT's own
		// counter never goes back, so the gap stays visible to verifyAuditChain.
		const seq = Math.max(last?.seq ?? 0, issued.get()?.seq ?? 0) + 1;
		const prevHash = last?.hash ?? GENESIS_HASH;
		const fields: HashedFields = {
			seq,
			atMs: (input.at ?? new Date()).getTime(),
			actorId: input.actor.id,
			actorLabel: input.actor.label,
			tenantId: input.tenantId ?? null,
			action: input.action,
			targetType: input.targetType ?? '',
			targetId: input.targetId ?? '',
			summary: input.summary ?? '',
			ipAddress: input.ipAddress ?? ''
		};
		const hash = entryHash(prevHash, fields);
		const { atMs, ...rest } = fields;
		insert.run({ ...rest, at: new Date(atMs), prevHash, hash });
	};
}

/**
 * The better-sqlite3 connection under the drizzle handle. drizzle() sets `$client`, but the `Db`
 * type in db/index.ts does not declare it.
 */
function sqliteOf(db: Db): Database.Database {
	return (db as Db & { $client: Database.Database }).$client;
}

export type AuditVerification = { ok: true; count: number } | { ok: false; seq: number; reason: string };

interface AuditRow {
	seq: number;
	at: number;
	actor_id: string | null;
	actor_label: string;
	tenant_id: string | null;
	action: string;
	target_type: string;
	target_id: string;
	summary: string;
	ip_address: string;
	prev_hash: string;
	hash: string;
}

function missing(from: number, to: number): string {
	return from === to ? `entry #${from} is missing` : `entries #${from}–#${to} are missing`;
}

/** Walks the whole log in seq order and reports the first entry that breaks the chain. */
export function verifyAuditChain(db: Db): AuditVerification {
	const client = sqliteOf(db);
	// One read transaction, so the row walk and sqlite_sequence come from the same snapshot even
	// while the portal keeps writing.
	const verify = client.transaction((): AuditVerification => {
		const highest = highestIssuedSeq(db);
		const rows = client.prepare('select * from audit_entry order by seq').iterate() as IterableIterator<AuditRow>;
		let prevHash = GENESIS_HASH;
		let expectedSeq = 1;
		for (const row of rows) {
			if (row.seq !== expectedSeq) {
				return { ok: false, seq: expectedSeq, reason: missing(expectedSeq, row.seq - 1) };
			}
			if (row.prev_hash !== prevHash) {
				return { ok: false, seq: row.seq, reason: 'does not link to the previous entry' };
			}
			if (typeof row.at !== 'number' || !Number.isFinite(new Date(row.at).getTime())) {
				return { ok: false, seq: row.seq, reason: 'timestamp is not a valid time' };
			}
			const recomputed = entryHash(prevHash, {
				seq: row.seq,
				atMs: row.at,
				actorId: row.actor_id,
				actorLabel: row.actor_label,
				tenantId: row.tenant_id,
				action: row.action,
				targetType: row.target_type,
				targetId: row.target_id,
				summary: row.summary,
				ipAddress: row.ip_address
			});
			if (recomputed !== row.hash) {
				return { ok: false, seq: row.seq, reason: 'content does not match its hash' };
			}
			prevHash = row.hash;
			expectedSeq++;
		}
		if (highest >= expectedSeq) {
			const reason = `${missing(expectedSeq, highest)} (end of log)`;
			return { ok: false, seq: expectedSeq, reason };
		}
		return { ok: true, count: expectedSeq - 1 };
	});
	return verify();
}

export interface AuditFilter {
	/** When given, only that tenant's entries: how tenant administrators see the log. */
	tenantId?: string;
	/** Exact action, or everything below it: `tenant` and `tenant.` both match `tenant.create`. */
	action?: string;
	/** Case-insensitive substring of the actor's label. */
	actor?: string;
	/** Inclusive lower bound. */
	from?: Date;
	/** Exclusive upper bound (pass the start of the day after the last day wanted). */
	to?: Date;
	/** 1-based. */
	page: number;
	pageSize: number;
}

const MAX_PAGE_SIZE = 500;

/** Entries newest first, one page at a time, with the total matching the filter. */
export function listAuditEntries(db: Db, filter: AuditFilter): { entries: AuditEntry[]; total: number } {
	const conditions: (SQL | undefined)[] = [];
	// Compared even when empty: an empty tenant ID must match nothing rather than lift the scope.
	if (filter.tenantId !== undefined) conditions.push(eq(auditEntry.tenantId, filter.tenantId));
	const action = filter.action?.trim();
	if (action) conditions.push(actionCondition(action));
	const actor = filter.actor?.trim();
	if (actor) {
		const { pattern, unicode } = containsSearch(actor);
		conditions.push(contains(auditEntry.actorLabel, pattern, unicode));
	}
	if (filter.from) conditions.push(gte(auditEntry.at, filter.from));
	if (filter.to) conditions.push(lt(auditEntry.at, filter.to));
	const where = and(...conditions);

	const pageSize = Math.min(Math.max(Math.floor(filter.pageSize) || 1, 1), MAX_PAGE_SIZE);
	const page = Math.max(Math.floor(filter.page) || 1, 1);
	const entries = db
		.select()
		.from(auditEntry)
		.where(where)
		.orderBy(desc(auditEntry.seq))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.all();
	// Unfiltered, the count is the highest seq: the chain numbers entries 1, 2, 3, … without gaps
	// (verifyAuditChain reports any gap), and the primary key's last entry is found at once, where
	// counting millions of entries takes tens of milliseconds.
	const total =
		where === undefined
			? (db
					.select({ n: max(auditEntry.seq) })
					.from(auditEntry)
					.get()?.n ?? 0)
			: (db.select({ n: count() }).from(auditEntry).where(where).get()?.n ?? 0);
	return { entries, total };
}

function actionCondition(action: string): SQL | undefined {
	const prefix = action.endsWith('.') ? action : `${action}.`;
	// A range instead of LIKE lets SQLite use the (action, seq) index; '/' is the character
	// after '.', so the range holds exactly the actions starting with the prefix.
	const prefixEnd = `${prefix.slice(0, -1)}/`;
	return or(eq(auditEntry.action, action), and(gte(auditEntry.action, prefix), lt(auditEntry.action, prefixEnd)));
}

/** One object's history, oldest first (an agreement's audit page). */
export function listEntriesForTarget(db: DbOrTx, targetId: string): AuditEntry[] {
	return db.select().from(auditEntry).where(eq(auditEntry.targetId, targetId)).orderBy(auditEntry.seq).all();
}
