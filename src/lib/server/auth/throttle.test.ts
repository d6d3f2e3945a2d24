import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { loginThrottle } from '../db/schema';
import { freshDb } from '../test-support';
import { LIMITS, reserveAttempt, settleSuccess, type ThrottleSubject } from './throttle';

const MINUTE_MS = 60_000;
const T0 = new Date('2025-06-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const account: ThrottleSubject = { kind: 'account', email: 'aino@example.fi' };
const address: ThrottleSubject = { kind: 'address', ip: '192.0.2.1' };

let db: Db;

beforeEach(() => {
	db = freshDb();
});

/** The block stored for a subject's key, as the next attempt at `now` would meet it. */
function blockOf(key: string, now: Date): Date | null {
	const until = db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get()?.blockedUntil;
	return until && until > now ? until : null;
}

/** Reserves `times` attempts, each failing (never settled); returns how many were let through. */
function attempt(subjects: ThrottleSubject[], times: number, now: Date): number {
	let allowed = 0;
	for (let i = 0; i < times; i++) if (reserveAttempt(db, subjects, now).ok) allowed++;
	return allowed;
}

describe('the limits', () => {
	it('are the ones the README states', () => {
		expect(LIMITS).toEqual({
			account: { free: 5, windowMs: 15 * MINUTE_MS, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS, onSuccess: 'clear' },
			address: { free: 20, windowMs: 15 * MINUTE_MS, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS, onSuccess: 'release' },
			second_factor: { free: 5, windowMs: 15 * MINUTE_MS, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS, onSuccess: 'clear' },
			reset_account: { free: 3, windowMs: 60 * MINUTE_MS, baseBlockMs: 15 * MINUTE_MS, maxBlockMs: 60 * MINUTE_MS, onSuccess: 'clear' },
			reset_address: { free: 10, windowMs: 60 * MINUTE_MS, baseBlockMs: 15 * MINUTE_MS, maxBlockMs: 60 * MINUTE_MS, onSuccess: 'clear' },
			oidc_start: { free: 60, windowMs: 15 * MINUTE_MS, baseBlockMs: MINUTE_MS, maxBlockMs: 15 * MINUTE_MS, onSuccess: 'clear' }
		});
	});
});

describe('per-account throttling', () => {
	it('lets five attempts through; the fifth starts a one-minute block', () => {
		expect(attempt([account], 4, T0)).toBe(4);
		expect(blockOf('account:aino@example.fi', T0)).toBeNull();
		expect(reserveAttempt(db, [account], T0)).toEqual({ ok: true });
		expect(blockOf('account:aino@example.fi', T0)).toEqual(at(MINUTE_MS));
		expect(reserveAttempt(db, [account], at(MINUTE_MS - 1))).toEqual({ ok: false, retryAt: at(MINUTE_MS) });
		// The block is over exactly when it says.
		expect(reserveAttempt(db, [account], at(MINUTE_MS))).toEqual({ ok: true });
	});

	it('counts an attempt the moment it is reserved, so attempts made together cannot all pass', () => {
		// Sixty requests arriving at once, before any password has been checked.
		expect(attempt([account], 60, T0)).toBe(5);
		expect(db.select().from(loginThrottle).get()?.failures).toBe(5);
	});

	it('does not count refused attempts', () => {
		attempt([account], 5, T0);
		expect(attempt([account], 10, at(30_000))).toBe(0);
		expect(db.select().from(loginThrottle).get()?.failures).toBe(5);
	});

	it('doubles the block for someone who retries the moment each block ends, up to 15 minutes, until the window lapses', () => {
		attempt([account], 4, T0);
		const blocks: number[] = [];
		let now = T0;
		for (let i = 0; i < 5; i++) {
			expect(reserveAttempt(db, [account], now).ok).toBe(true);
			const until = blockOf('account:aino@example.fi', now)!;
			blocks.push((until.getTime() - now.getTime()) / MINUTE_MS);
			now = until;
		}
		expect(blocks).toEqual([1, 2, 4, 8, 15]);
		// The last block ended 30 minutes after the window began: the next attempt starts a new count.
		expect(now).toEqual(at(30 * MINUTE_MS));
		expect(reserveAttempt(db, [account], now).ok).toBe(true);
		expect(blockOf('account:aino@example.fi', now)).toBeNull();
		expect(db.select().from(loginThrottle).get()?.failures).toBe(1);
	});

	it('still counts attempts exactly 15 minutes into the window', () => {
		attempt([account], 4, T0);
		expect(reserveAttempt(db, [account], at(15 * MINUTE_MS)).ok).toBe(true);
		expect(blockOf('account:aino@example.fi', at(15 * MINUTE_MS))).toEqual(at(16 * MINUTE_MS));
	});

	it('treats the e-mail case-insensitively, and keeps accounts apart', () => {
		attempt([{ kind: 'account', email: 'AINO@Example.fi' }], 5, T0);
		expect(reserveAttempt(db, [account], T0).ok).toBe(false);
		expect(reserveAttempt(db, [{ kind: 'account', email: 'other@example.fi' }], T0).ok).toBe(true);
	});

	it('a success clears the count: the account starts again with five attempts', () => {
		attempt([account], 4, T0);
		expect(reserveAttempt(db, [account], T0).ok).toBe(true); // the fifth, which succeeds
		settleSuccess(db, [account]);
		expect(attempt([account], 10, T0)).toBe(5);
	});
});

describe('per-address throttling', () => {
	it('lets twenty attempts through from one address, whatever the accounts, then refuses every account from it', () => {
		for (let i = 0; i < 20; i++) expect(reserveAttempt(db, [{ kind: 'account', email: `p${i}@example.fi` }, address], T0).ok).toBe(true);
		const fresh: ThrottleSubject = { kind: 'account', email: 'fresh@example.fi' };
		expect(reserveAttempt(db, [fresh, address], T0)).toEqual({ ok: false, retryAt: at(MINUTE_MS) });
		expect(reserveAttempt(db, [fresh, { kind: 'address', ip: '198.51.100.1' }], T0).ok).toBe(true);
	});

	it('a refusal by one subject counts against none of them', () => {
		attempt([account], 5, T0);
		expect(attempt([account, address], 30, T0)).toBe(0);
		expect(
			db
				.select()
				.from(loginThrottle)
				.all()
				.map((r) => r.key)
		).toEqual(['account:aino@example.fi']);
	});

	it('reports the later of two blocks', () => {
		attempt([address], 20, T0); // blocked until T0 + 1 min
		attempt([account], 5, at(30_000)); // blocked until T0 + 1.5 min
		expect(reserveAttempt(db, [account, address], at(30_000))).toEqual({ ok: false, retryAt: at(90_000) });
		expect(reserveAttempt(db, [address, account], at(30_000))).toEqual({ ok: false, retryAt: at(90_000) });
	});

	it("a success gives back only its own attempt: colleagues behind one address are not blocked by signing in, a guesser's count stays", () => {
		for (let i = 0; i < 40; i++) {
			expect(reserveAttempt(db, [address], T0).ok).toBe(true);
			settleSuccess(db, [address]);
		}
		expect(attempt([address], 19, T0)).toBe(19);
		// The twentieth starts a block; when it succeeds, the block it started is lifted with it.
		expect(reserveAttempt(db, [address], T0).ok).toBe(true);
		expect(blockOf('address:192.0.2.1', T0)).toEqual(at(MINUTE_MS));
		settleSuccess(db, [address]);
		expect(blockOf('address:192.0.2.1', T0)).toBeNull();
		expect(db.select().from(loginThrottle).get()?.failures).toBe(19);
		expect(attempt([address], 5, T0)).toBe(1);
	});
});

describe('password-reset requests', () => {
	it('allow three per e-mail address and ten per client address, then block for 15 minutes doubling up to an hour', () => {
		const resetAccount: ThrottleSubject = { kind: 'reset_account', email: 'aino@example.fi' };
		expect(attempt([resetAccount], 10, T0)).toBe(3);
		expect(blockOf('reset_account:aino@example.fi', T0)).toEqual(at(15 * MINUTE_MS));
		expect(reserveAttempt(db, [resetAccount], at(15 * MINUTE_MS)).ok).toBe(true);
		expect(blockOf('reset_account:aino@example.fi', at(15 * MINUTE_MS))).toEqual(at(45 * MINUTE_MS));

		const resetAddress: ThrottleSubject = { kind: 'reset_address', ip: '192.0.2.1' };
		expect(attempt([resetAddress], 30, T0)).toBe(10);
		expect(blockOf('reset_address:192.0.2.1', T0)).toEqual(at(15 * MINUTE_MS));
		// Separate from the sign-in counts of the same address.
		expect(reserveAttempt(db, [address], T0).ok).toBe(true);
	});
});
