/**
 * The in-app inbox and the exactly-once reminder log. Every concept that tells people something
 * (reminders, incidents, training, instructions) writes here, so this depends on none of them.
 */
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { prepared } from '../db/prepared';
import { notification, reminderLog, user, userRole, type Notification, type Role } from '../db/schema';

/** Claims a reminder; false when it was already sent. The primary key makes this exactly-once. */
export function claimReminder(tx: DbOrTx, subjectId: string, reminderKey: string, now: Date): boolean {
	return tx.insert(reminderLog).values({ subjectId, reminderKey, sentAt: now }).onConflictDoNothing().run().changes === 1;
}

export function notify(
	tx: DbOrTx,
	userIds: Iterable<string>,
	kind: string,
	params: Record<string, string | number>,
	link: string,
	now: Date
): number {
	const rows = [...new Set(userIds)].map((userId) => ({ id: crypto.randomUUID(), userId, kind, params, link, createdAt: now }));
	if (rows.length) tx.insert(notification).values(rows).run();
	return rows.length;
}

/** Active people with any of `roles`, on the main connector's side (null) or in one tenant. */
export function activePeopleWithRoles(db: DbOrTx, tenantId: string | null, roles: Role[]): string[] {
	return db
		.selectDistinct({ id: user.id })
		.from(user)
		.innerJoin(userRole, eq(userRole.userId, user.id))
		.where(and(tenantId ? eq(user.tenantId, tenantId) : isNull(user.tenantId), eq(user.status, 'active'), inArray(userRole.role, roles)))
		.all()
		.map((r) => r.id);
}

export function listNotifications(db: DbOrTx, userId: string, limit = 50): Notification[] {
	return db.select().from(notification).where(eq(notification.userId, userId)).orderBy(desc(notification.createdAt)).limit(limit).all();
}

export function countUnread(db: DbOrTx, userId: string): number {
	const unread = prepared(db, 'notifications.unread', () =>
		db
			.select({ n: count() })
			.from(notification)
			.where(and(eq(notification.userId, sql.placeholder('userId')), isNull(notification.readAt)))
			.prepare()
	);
	return unread.get({ userId })?.n ?? 0;
}

/** Reading them is the person's own business: no audit entry, only the timestamp. */
export function markAllRead(db: Db, userId: string, now = new Date()): void {
	db.update(notification)
		.set({ readAt: now })
		.where(and(eq(notification.userId, userId), isNull(notification.readAt)))
		.run();
}
