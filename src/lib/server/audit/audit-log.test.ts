import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/index';
import { auditEntry } from '../db/schema';
import { listAuditEntries, recordAudit, verifyAuditChain, type AuditInput } from './audit-log';

let db: Db;

beforeEach(() => {
	db = openDatabase(':memory:');
});

const admin = { id: 'u-admin', label: 'Aino Äijälä (aino@example.fi)' };
const tenantAdmin = { id: 'u-tenant', label: 'Olli Tenant (olli@tenant.fi)' };

function record(input: Partial<AuditInput> = {}) {
	db.transaction((tx) => recordAudit(tx, { actor: admin, action: 'tenant.update', ...input }));
}

function recordFive() {
	for (let i = 1; i <= 5; i++) {
		record({ summary: `change ${i}`, at: new Date(Date.UTC(2025, 0, i)) });
	}
}

/** Tampering as someone with direct access to the database file would. */
function raw(statement: string) {
	db.run(sql.raw(statement));
}

describe('recordAudit', () => {
	it('stores the entry with consecutive seqs and linked hashes', () => {
		record({
			tenantId: 't1',
			targetType: 'tenant',
			targetId: 't1',
			summary: 'renamed',
			ipAddress: '192.0.2.1',
			at: new Date('2025-03-01T10:00:00.123Z')
		});
		record();
		const rows = db.select().from(auditEntry).orderBy(auditEntry.seq).all();
		expect(rows).toHaveLength(2);
		expect(rows[0]).toMatchObject({
			seq: 1,
			actorId: 'u-admin',
			actorLabel: admin.label,
			tenantId: 't1',
			action: 'tenant.update',
			targetType: 'tenant',
			targetId: 't1',
			summary: 'renamed',
			ipAddress: '192.0.2.1',
			at: new Date('2025-03-01T10:00:00.123Z'),
			prevHash: '0'.repeat(64)
		});
		expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
		expect(rows[1].seq).toBe(2);
		expect(rows[1].prevHash).toBe(rows[0].hash);
		expect(rows[1].tenantId).toBeNull();
	});

	it('rolls back with the transaction it belongs to', () => {
		expect(() =>
			db.transaction((tx) => {
				recordAudit(tx, { actor: admin, action: 'tenant.create' });
				throw new Error('the change failed');
			})
		).toThrow('the change failed');
		expect(db.select().from(auditEntry).all()).toEqual([]);
		expect(verifyAuditChain(db)).toEqual({ ok: true, count: 0 });
	});

	it('works when given the database itself', () => {
		recordAudit(db, { actor: { id: null, label: 'system' }, action: 'setup.complete' });
		expect(verifyAuditChain(db)).toEqual({ ok: true, count: 1 });
	});
});

describe('verifyAuditChain', () => {
	it('accepts an empty log', () => {
		expect(verifyAuditChain(db)).toEqual({ ok: true, count: 0 });
	});

	it('accepts an untouched chain', () => {
		recordFive();
		expect(verifyAuditChain(db)).toEqual({ ok: true, count: 5 });
	});

	it.each([
		['at', 'at = at + 1'],
		['actor_id', "actor_id = 'someone-else'"],
		['actor_id (to null)', 'actor_id = null'],
		['actor_label', "actor_label = 'Someone Else'"],
		['tenant_id', "tenant_id = 't2'"],
		['action', "action = 'tenant.delete'"],
		['target_type', "target_type = 'user'"],
		['target_id', "target_id = 'x'"],
		['summary', "summary = 'nothing happened'"],
		['ip_address', "ip_address = '198.51.100.7'"],
		['prev_hash', "prev_hash = '" + 'f'.repeat(64) + "'"],
		['hash', "hash = '" + 'e'.repeat(64) + "'"],
		['at (to text)', "at = 'yesterday'"]
	])('reports a changed %s at that entry', (_field, assignment) => {
		recordFive();
		raw(`update audit_entry set ${assignment} where seq = 3`);
		expect(verifyAuditChain(db)).toMatchObject({ ok: false, seq: 3 });
	});

	it('reports a deleted middle entry', () => {
		recordFive();
		raw('delete from audit_entry where seq = 3');
		expect(verifyAuditChain(db)).toEqual({ ok: false, seq: 3, reason: 'entry #3 is missing' });
	});

	it('reports a deleted first entry', () => {
		recordFive();
		raw('delete from audit_entry where seq = 1');
		expect(verifyAuditChain(db)).toMatchObject({ ok: false, seq: 1 });
	});

	it('reports deleted newest entries', () => {
		recordFive();
		raw('delete from audit_entry where seq >= 4');
		expect(verifyAuditChain(db)).toEqual({
			ok: false,
			seq: 4,
			reason: 'entries #4–#5 are missing (end of log)'
		});
	});

	it('reports a log emptied of all its entries', () => {
		recordFive();
		raw('delete from audit_entry');
		expect(verifyAuditChain(db)).toMatchObject({ ok: false, seq: 1 });
	});

	it('keeps a deletion of the newest entry visible after new entries are added', () => {
		recordFive();
		raw('delete from audit_entry where seq = 5');
		record();
		expect(
			db
				.select()
				.from(auditEntry)
				.all()
				.map((e) => e.seq)
		).toEqual([1, 2, 3, 4, 6]);
		expect(verifyAuditChain(db)).toMatchObject({ ok: false, seq: 5 });
	});

	it('reports a forged entry appended without its hash', () => {
		recordFive();
		raw(
			`insert into audit_entry (at, actor_label, action, prev_hash, hash)
			 select at, 'intruder', 'tenant.delete', hash, 'forged' from audit_entry where seq = 5`
		);
		expect(verifyAuditChain(db)).toMatchObject({ ok: false, seq: 6 });
	});
});

describe('listAuditEntries', () => {
	beforeEach(() => {
		const day = (d: number) => new Date(Date.UTC(2025, 4, d, 12));
		record({ action: 'tenant.create', tenantId: 't1', at: day(1) });
		record({ action: 'tenant.update', tenantId: 't1', at: day(2) });
		record({ action: 'tenantx.create', tenantId: 't2', at: day(3) });
		record({ action: 'user.invite', tenantId: 't2', at: day(4), actor: tenantAdmin });
		record({ action: 'tenant', tenantId: null, at: day(5) });
		record({ action: 'auth.login', tenantId: 't1', at: day(6), actor: tenantAdmin });
	});

	const seqs = (filter: Parameters<typeof listAuditEntries>[1]) => listAuditEntries(db, filter).entries.map((e) => e.seq);

	it('lists newest first with the total', () => {
		const result = listAuditEntries(db, { page: 1, pageSize: 50 });
		expect(result.total).toBe(6);
		expect(result.entries.map((e) => e.seq)).toEqual([6, 5, 4, 3, 2, 1]);
	});

	it('pages through the entries', () => {
		expect(listAuditEntries(db, { page: 1, pageSize: 4 })).toMatchObject({ total: 6 });
		expect(seqs({ page: 1, pageSize: 4 })).toEqual([6, 5, 4, 3]);
		expect(seqs({ page: 2, pageSize: 4 })).toEqual([2, 1]);
		expect(seqs({ page: 3, pageSize: 4 })).toEqual([]);
		// Nonsense paging falls back to the first page rather than failing.
		expect(seqs({ page: 0, pageSize: 2 })).toEqual([6, 5]);
	});

	it("scopes to one tenant's entries", () => {
		const result = listAuditEntries(db, { tenantId: 't1', page: 1, pageSize: 50 });
		expect(result.entries.map((e) => e.seq)).toEqual([6, 2, 1]);
		expect(result.total).toBe(3);
		expect(seqs({ tenantId: '', page: 1, pageSize: 50 })).toEqual([]);
	});

	it('matches an action exactly or by prefix', () => {
		expect(seqs({ action: 'tenant.update', page: 1, pageSize: 50 })).toEqual([2]);
		expect(seqs({ action: 'tenant.', page: 1, pageSize: 50 })).toEqual([2, 1]);
		expect(seqs({ action: 'tenant', page: 1, pageSize: 50 })).toEqual([5, 2, 1]);
		expect(seqs({ action: 'tenant.up', page: 1, pageSize: 50 })).toEqual([]);
	});

	it('matches the actor case-insensitively, including non-ASCII letters', () => {
		expect(seqs({ actor: 'OLLI', page: 1, pageSize: 50 })).toEqual([6, 4]);
		expect(seqs({ actor: 'äijälä', page: 1, pageSize: 50 })).toEqual([5, 3, 2, 1]);
		expect(seqs({ actor: '%', page: 1, pageSize: 50 })).toEqual([]);
	});

	it('filters by time, from inclusive and to exclusive', () => {
		const from = new Date(Date.UTC(2025, 4, 2, 12));
		const to = new Date(Date.UTC(2025, 4, 4, 12));
		expect(seqs({ from, to, page: 1, pageSize: 50 })).toEqual([3, 2]);
	});

	it('combines filters and counts only what matches', () => {
		const result = listAuditEntries(db, {
			tenantId: 't1',
			actor: 'olli',
			page: 1,
			pageSize: 50
		});
		expect(result.entries.map((e) => e.seq)).toEqual([6]);
		expect(result.total).toBe(1);
	});
});
