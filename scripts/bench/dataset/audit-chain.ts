/**
 * Writes the generated history as one hash chain, oldest first. The hash is computed exactly as
 * src/lib/server/audit/audit-log.ts does (entryHash is private there, so it is repeated here);
 * verifyAuditChain checks the result, so a difference shows at once.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

export interface AuditEvent {
	at: number;
	actorId: string | null;
	actorLabel: string;
	tenantId: string | null;
	action: string;
	targetType: string;
	targetId: string;
	summary: string;
	ipAddress: string;
}

const GENESIS_HASH = '0'.repeat(64);

/** The object is built with its keys already sorted, which is what audit-log.ts pins with its key list. */
function entryHash(prevHash: string, seq: number, e: AuditEvent): string {
	const canonical = JSON.stringify({
		action: e.action,
		actorId: e.actorId,
		actorLabel: e.actorLabel,
		at: new Date(e.at).toISOString(),
		ipAddress: e.ipAddress,
		seq,
		summary: e.summary,
		targetId: e.targetId,
		targetType: e.targetType,
		tenantId: e.tenantId
	});
	return createHash('sha256').update(prevHash + canonical).digest('hex');
}

/** Replaces the log with `events` in time order, seq from 1, each linked to the one before. */
export function writeAuditChain(client: Database.Database, events: AuditEvent[]): void {
	events.sort((a, b) => a.at - b.at);
	const insert = client.prepare(
		'insert into audit_entry (seq, at, actor_id, actor_label, tenant_id, action, target_type, target_id, summary, ip_address, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
	);
	client.transaction(() => {
		client.prepare('delete from audit_entry').run();
		client.prepare("delete from sqlite_sequence where name = 'audit_entry'").run();
		let prevHash = GENESIS_HASH;
		for (let i = 0; i < events.length; i++) {
			const e = events[i];
			const seq = i + 1;
			const hash = entryHash(prevHash, seq, e);
			insert.run(seq, e.at, e.actorId, e.actorLabel, e.tenantId, e.action, e.targetType, e.targetId, e.summary, e.ipAddress, prevHash, hash);
			prevHash = hash;
		}
	})();
}
