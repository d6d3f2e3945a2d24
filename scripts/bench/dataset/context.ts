import type Database from 'better-sqlite3';
import type { Db } from '../../../src/lib/server/db';
import type { Role, TenantStage } from '../../../src/lib/domain';
import type { AuditEvent } from './audit-chain';
import type { Random } from './random';

export interface GenPerson {
	id: string;
	email: string;
	name: string;
	roles: Role[];
	status: 'invited' | 'active' | 'deactivated';
	locale: 'fi' | 'sv' | 'en';
	createdAt: number;
}

export interface GenTenant {
	id: string;
	name: string;
	stage: TenantStage;
	language: 'fi' | 'sv';
	createdAt: number;
	/** When its agreement came into force (stages from agreement_signed on). */
	signedAt: number | null;
	archived: boolean;
	people: GenPerson[];
}

/** What every part of the generator shares: the database, the clock, the dice and the history being written. */
export interface Context {
	db: Db;
	client: Database.Database;
	random: Random;
	now: number;
	passwordHash: string;
	admin: { id: string; email: string };
	signatory: GenPerson;
	certAdmin: GenPerson;
	events: AuditEvent[];
}

/** An audit event by a person (from an office address) or by the system (id null). */
export function eventBy(
	person: { id: string | null; email: string },
	at: number,
	tenantId: string | null,
	action: string,
	targetType: string,
	targetId: string,
	summary = ''
): AuditEvent {
	return {
		at,
		actorId: person.id,
		actorLabel: person.email,
		tenantId,
		action,
		targetType,
		targetId,
		summary,
		ipAddress: person.id ? '10.20.0.1' : ''
	};
}

const ROWS_PER_STATEMENT = 10;

/**
 * Multi-row INSERTs: binding values is most of what a row costs, and ten rows per statement
 * roughly halve it. Call `flush` after the last `add`.
 */
export function batchInsert(client: Database.Database, table: string, columns: string[]) {
	const row = `(${columns.map(() => '?').join(', ')})`;
	const sql = (rows: number) => `insert into "${table}" (${columns.join(', ')}) values ${Array(rows).fill(row).join(', ')}`;
	const full = client.prepare(sql(ROWS_PER_STATEMENT));
	let pending: unknown[] = [];
	return {
		add(values: unknown[]) {
			for (const value of values) pending.push(value);
			if (pending.length === ROWS_PER_STATEMENT * columns.length) {
				full.run(pending);
				pending = [];
			}
		},
		flush() {
			if (pending.length) client.prepare(sql(pending.length / columns.length)).run(pending);
			pending = [];
		}
	};
}

/** Inserts one row per item, in one transaction; returns how many. */
export function insertAll<T>(
	client: Database.Database,
	table: string,
	columns: string[],
	items: Iterable<T>,
	values: (item: T) => unknown[]
): number {
	const insert = batchInsert(client, table, columns);
	let n = 0;
	client.transaction(() => {
		for (const item of items) {
			insert.add(values(item));
			n++;
		}
		insert.flush();
	})();
	return n;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let counter = 0;
/**
 * A UUID whose first 48 bits count up. The portal's ids are random; for the million
 * acknowledgements, ascending ids let the primary key grow at its end instead of splitting pages
 * all over it, which halves their insert time. Nothing reads ids in order.
 */
export function ascendingUuid(): string {
	const prefix = (counter++).toString(16).padStart(12, '0');
	return `${prefix.slice(0, 8)}-${prefix.slice(8)}${crypto.randomUUID().slice(13)}`;
}
