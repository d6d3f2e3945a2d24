import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { calendarToken } from '../db/schema';

/**
 * Ends every feed address of the person. A feed address is a bearer credential like a session, so
 * whatever ends all their sessions (a new password, signing out everywhere, a reset of the second
 * factor, deactivation) ends these too; call it inside that change's transaction.
 */
export function revokeFeedTokens(tx: DbOrTx, userId: string, now: Date): void {
	tx.update(calendarToken)
		.set({ revokedAt: now })
		.where(and(eq(calendarToken.userId, userId), isNull(calendarToken.revokedAt)))
		.run();
}
