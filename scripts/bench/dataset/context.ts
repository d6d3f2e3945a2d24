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
	scale: number;
	passwordHash: string;
	admin: { id: string; email: string };
	signatory: GenPerson;
	certAdmin: GenPerson;
	tenants: GenTenant[];
	events: AuditEvent[];
}

/** An audit event by a person (from an office address) or by the system (id null). */
export function eventBy(person: { id: string | null; email: string }, at: number, tenantId: string | null, action: string, targetType: string, targetId: string, summary = ''): AuditEvent {
	return { at, actorId: person.id, actorLabel: person.email, tenantId, action, targetType, targetId, summary, ipAddress: person.id ? '10.20.0.1' : '' };
}

/** Runs `insert(row)` for every row in one transaction; returns how many. */
export function insertAll<T>(client: Database.Database, sql: string, rows: Iterable<T>, values: (row: T) => unknown[]): number {
	const statement = client.prepare(sql);
	let n = 0;
	client.transaction(() => {
		for (const row of rows) {
			statement.run(...values(row));
			n++;
		}
	})();
	return n;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
