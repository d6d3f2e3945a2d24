import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { leaverTask, tenant, type User } from '../db/schema';
import { audit, type Actor } from '../actor';

/**
 * Agreement §6: the main connector grants the rights to its information system, so when someone
 * leaves (deactivated here) its administrators must remove those rights. Called inside the
 * deactivation's transaction.
 */
export function openLeaverTask(tx: DbOrTx, actor: Actor, person: User, now: Date): string {
	const id = crypto.randomUUID();
	tx.insert(leaverTask)
		.values({ id, userId: person.id, tenantId: person.tenantId, personName: person.name, personEmail: person.email, createdAt: now })
		.run();
	audit(tx, actor, {
		tenantId: person.tenantId,
		action: 'leaver_task.open',
		targetType: 'leaver_task',
		targetId: id,
		summary: person.email
	});
	return id;
}

export interface OpenLeaverTask {
	id: string;
	personName: string;
	personEmail: string;
	tenantId: string | null;
	tenantName: string | null;
	createdAt: Date;
}

/** Every leaver whose rights are still to be removed, oldest first. */
export function listOpenLeaverTasks(db: DbOrTx): OpenLeaverTask[] {
	return db
		.select({
			id: leaverTask.id,
			personName: leaverTask.personName,
			personEmail: leaverTask.personEmail,
			tenantId: leaverTask.tenantId,
			tenantName: tenant.name,
			createdAt: leaverTask.createdAt
		})
		.from(leaverTask)
		.leftJoin(tenant, eq(leaverTask.tenantId, tenant.id))
		.where(isNull(leaverTask.completedAt))
		.orderBy(asc(leaverTask.createdAt))
		.all();
}

export function countOpenLeaverTasks(db: DbOrTx, tenantId: string): number {
	return (
		db
			.select({ n: count() })
			.from(leaverTask)
			.where(and(eq(leaverTask.tenantId, tenantId), isNull(leaverTask.completedAt)))
			.get()?.n ?? 0
	);
}

export type CompleteLeaverResult = { ok: true; personEmail: string } | { ok: false; reason: 'not_found' | 'already_done' };

/** An administrator confirms the leaver's rights are gone from the information system. */
export function completeLeaverTask(db: Db, actor: Actor, id: string, now = new Date()): CompleteLeaverResult {
	return db.transaction((tx) => {
		const task = tx.select().from(leaverTask).where(eq(leaverTask.id, id)).get();
		if (!task) return { ok: false, reason: 'not_found' } as const;
		if (task.completedAt) return { ok: false, reason: 'already_done' } as const;
		tx.update(leaverTask).set({ completedAt: now, completedBy: actor.label }).where(eq(leaverTask.id, id)).run();
		audit(tx, actor, {
			tenantId: task.tenantId,
			action: 'leaver_task.complete',
			targetType: 'leaver_task',
			targetId: id,
			summary: task.personEmail
		});
		return { ok: true, personEmail: task.personEmail } as const;
	});
}
