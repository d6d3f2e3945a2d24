import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { loginThrottle } from '../db/schema';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export interface Limit {
	/** Attempts checked before the first block: the attempt that uses the last one starts it. */
	free: number;
	/** Attempts are counted within this window; a quiet window starts the count afresh. */
	windowMs: number;
	/** First block; doubles with every further attempt, up to `maxBlockMs`. */
	baseBlockMs: number;
	maxBlockMs: number;
	/**
	 * What a successful check does: `clear` starts the subject's count afresh; `release` only takes
	 * back its own attempt, so one success (say, of a colleague behind the same address) does not
	 * unlock guessing by others.
	 */
	onSuccess: 'clear' | 'release';
}

/**
 * Every guess at a secret is counted here: passwords per account and per address (signing in and
 * every step-up share them), authenticator and recovery codes per person, and reset requests per
 * e-mail address typed and per client address (those never succeed: they only count), and sign-ins
 * begun at a provider per client address (each stores a transaction row).
 */
export const LIMITS = {
	account: { free: 5, windowMs: 15 * MINUTE_MS, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS, onSuccess: 'clear' },
	address: { free: 20, windowMs: 15 * MINUTE_MS, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS, onSuccess: 'release' },
	second_factor: { free: 5, windowMs: 15 * MINUTE_MS, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS, onSuccess: 'clear' },
	reset_account: { free: 3, windowMs: HOUR_MS, baseBlockMs: 15 * MINUTE_MS, maxBlockMs: HOUR_MS, onSuccess: 'clear' },
	reset_address: { free: 10, windowMs: HOUR_MS, baseBlockMs: 15 * MINUTE_MS, maxBlockMs: HOUR_MS, onSuccess: 'clear' },
	// Sign-ins begun at a provider, per client address: each stores a transaction for ten minutes.
	// Generous, since a whole office may share one address; never settled, they only count.
	oidc_start: { free: 60, windowMs: 15 * MINUTE_MS, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS, onSuccess: 'clear' }
} as const satisfies Record<string, Limit>;

export type ThrottleSubject =
	| { kind: 'account'; email: string }
	| { kind: 'address'; ip: string }
	| { kind: 'second_factor'; userId: string }
	| { kind: 'reset_account'; email: string }
	| { kind: 'reset_address'; ip: string }
	| { kind: 'oidc_start'; ip: string };

function keyOf(subject: ThrottleSubject): string {
	switch (subject.kind) {
		case 'account':
		case 'reset_account':
			return `${subject.kind}:${subject.email.toLowerCase()}`;
		case 'address':
		case 'reset_address':
		case 'oidc_start':
			return `${subject.kind}:${subject.ip}`;
		case 'second_factor':
			return `second_factor:${subject.userId}`;
	}
}

export type Reservation = { ok: true } | { ok: false; retryAt: Date };

/**
 * Counts one attempt for every subject before the secret is checked, or refuses it (counting
 * nothing) while any subject is blocked. Check and count happen in one immediate transaction, so
 * requests that arrive together are counted one after another: parallel guessing gets exactly
 * as many checks as serial guessing.
 */
export function reserveAttempt(db: Db, subjects: ThrottleSubject[], now = new Date()): Reservation {
	return db.transaction(
		(tx): Reservation => {
			const rows = subjects.map((subject) => ({
				subject,
				key: keyOf(subject),
				row: tx
					.select()
					.from(loginThrottle)
					.where(eq(loginThrottle.key, keyOf(subject)))
					.get()
			}));
			const blocks = rows.map(({ row }) => row?.blockedUntil).filter((until): until is Date => !!until && until > now);
			if (blocks.length) return { ok: false, retryAt: new Date(Math.max(...blocks.map((until) => until.getTime()))) };
			for (const { subject, key, row } of rows) {
				const limit: Limit = LIMITS[subject.kind];
				const stillCounting = row && now.getTime() - row.windowStartedAt.getTime() <= limit.windowMs;
				const attempts = stillCounting ? row.failures + 1 : 1;
				const over = attempts - limit.free;
				const blockedUntil = over >= 0 ? new Date(now.getTime() + Math.min(limit.baseBlockMs * 2 ** over, limit.maxBlockMs)) : null;
				const values = { failures: attempts, windowStartedAt: stillCounting ? row.windowStartedAt : now, blockedUntil };
				tx.insert(loginThrottle)
					.values({ key, ...values })
					.onConflictDoUpdate({ target: loginThrottle.key, set: values })
					.run();
			}
			return { ok: true };
		},
		{ behavior: 'immediate' }
	);
}

/** After a successful check: each subject's count is cleared or its reserved attempt given back (see `Limit.onSuccess`). */
export function settleSuccess(tx: DbOrTx, subjects: ThrottleSubject[]): void {
	for (const subject of subjects) {
		const key = keyOf(subject);
		const limit: Limit = LIMITS[subject.kind];
		if (limit.onSuccess === 'clear') {
			tx.delete(loginThrottle).where(eq(loginThrottle.key, key)).run();
			continue;
		}
		const row = tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
		if (!row) continue;
		const attempts = Math.max(row.failures - 1, 0);
		// Below the allowance again: the block this attempt started (if any) is lifted with it.
		const values = { failures: attempts, blockedUntil: attempts < limit.free ? null : row.blockedUntil };
		tx.update(loginThrottle).set(values).where(eq(loginThrottle.key, key)).run();
	}
}
