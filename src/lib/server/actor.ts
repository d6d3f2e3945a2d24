import { auditAppender, recordAudit, type AuditInput } from './audit/audit-log';
import type { DbOrTx } from './db';

/** Who is doing something, as the audit log records it. */
export interface Actor {
	id: string | null;
	label: string;
	ipAddress: string;
}

export const SYSTEM_ACTOR: Actor = { id: null, label: 'system', ipAddress: '' };

/** Like `audit`, with the statements prepared once for many entries in one transaction (see `auditAppender`). */
export function auditor(tx: DbOrTx): (actor: Actor, event: Omit<AuditInput, 'actor' | 'ipAddress'>) => void {
	const append = auditAppender(tx);
	return (actor, event) => append({ ...event, actor: { id: actor.id, label: actor.label }, ipAddress: actor.ipAddress });
}

/** Records an audit entry for `actor`; call it inside the transaction that makes the change. */
export function audit(tx: DbOrTx, actor: Actor, event: Omit<AuditInput, 'actor' | 'ipAddress'>): void {
	recordAudit(tx, { ...event, actor: { id: actor.id, label: actor.label }, ipAddress: actor.ipAddress });
}
