import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { loginThrottle } from '../db/schema';

const MINUTE_MS = 60_000;
/** Failures are counted within this window; a quiet window starts the count afresh. */
const WINDOW_MS = 15 * MINUTE_MS;

interface Limit {
	/** Failures allowed before blocking starts. */
	free: number;
	/** First block; doubles with every further failure, up to `maxBlockMs`. */
	baseBlockMs: number;
	maxBlockMs: number;
}

/**
 * An account is guessed at from many addresses; an address guesses at many accounts. A second
 * factor has a million values, so after the password it gets as few free tries as the account.
 */
const LIMITS: Record<ThrottleSubject['kind'], Limit> = {
	account: { free: 5, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS },
	address: { free: 20, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS },
	second_factor: { free: 5, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS }
};

export type ThrottleSubject = { kind: 'account'; email: string } | { kind: 'address'; ip: string } | { kind: 'second_factor'; userId: string };

function keyOf(subject: ThrottleSubject): string {
	if (subject.kind === 'account') return `account:${subject.email.toLowerCase()}`;
	if (subject.kind === 'address') return `address:${subject.ip}`;
	return `second_factor:${subject.userId}`;
}

/** When the subject may try again, or null when it may try now. */
export function blockedUntil(db: DbOrTx, subjects: ThrottleSubject[], now = new Date()): Date | null {
	let latest: Date | null = null;
	for (const subject of subjects) {
		const row = db.select().from(loginThrottle).where(eq(loginThrottle.key, keyOf(subject))).get();
		if (row?.blockedUntil && row.blockedUntil > now && (!latest || row.blockedUntil > latest)) latest = row.blockedUntil;
	}
	return latest;
}

export function recordFailure(db: DbOrTx, subjects: ThrottleSubject[], now = new Date()): void {
	for (const subject of subjects) {
		const key = keyOf(subject);
		const limit = LIMITS[subject.kind];
		const row = db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
		const stillCounting =
			row && (now.getTime() - row.windowStartedAt.getTime() <= WINDOW_MS || (row.blockedUntil && row.blockedUntil > now));
		const failures = stillCounting ? row.failures + 1 : 1;
		const over = failures - limit.free;
		const blocked = over > 0 ? new Date(now.getTime() + Math.min(limit.baseBlockMs * 2 ** (over - 1), limit.maxBlockMs)) : null;
		const values = { failures, windowStartedAt: stillCounting ? row.windowStartedAt : now, blockedUntil: blocked };
		db.insert(loginThrottle)
			.values({ key, ...values })
			.onConflictDoUpdate({ target: loginThrottle.key, set: values })
			.run();
	}
}

/** A successful sign-in clears the account's count (not the address's: one success must not unlock guessing). */
export function clearAccountFailures(db: DbOrTx, email: string): void {
	clearFailures(db, { kind: 'account', email });
}

export function clearFailures(db: DbOrTx, subject: ThrottleSubject): void {
	db.delete(loginThrottle).where(eq(loginThrottle.key, keyOf(subject))).run();
}
