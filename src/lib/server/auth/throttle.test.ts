import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { loginThrottle } from '../db/schema';
import { freshDb } from '../test-support';
import { blockedUntil, clearAccountFailures, recordFailure, type ThrottleSubject } from './login-throttle';

const MINUTE_MS = 60_000;
const T0 = new Date('2025-06-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const account: ThrottleSubject = { kind: 'account', email: 'aino@example.fi' };
const address: ThrottleSubject = { kind: 'address', ip: '192.0.2.1' };

let db: Db;

beforeEach(() => {
	db = freshDb();
});

function fail(subjects: ThrottleSubject[], times: number, now: Date) {
	for (let i = 0; i < times; i++) recordFailure(db, subjects, now);
}

describe('per-account throttling', () => {
	it('lets the first five failures go without a block', () => {
		fail([account], 5, T0);
		expect(blockedUntil(db, [account], T0)).toBeNull();
	});

	it('blocks for one minute after the sixth failure', () => {
		fail([account], 6, T0);
		expect(blockedUntil(db, [account], T0)).toEqual(at(MINUTE_MS));
		expect(blockedUntil(db, [account], at(MINUTE_MS - 1))).toEqual(at(MINUTE_MS));
		// The block is over exactly when it says.
		expect(blockedUntil(db, [account], at(MINUTE_MS))).toBeNull();
	});

	it('doubles the block with each further failure, up to 15 minutes', () => {
		fail([account], 5, T0);
		const blocks: number[] = [];
		for (let i = 0; i < 7; i++) {
			recordFailure(db, [account], T0);
			blocks.push((blockedUntil(db, [account], T0)!.getTime() - T0.getTime()) / MINUTE_MS);
		}
		expect(blocks).toEqual([1, 2, 4, 8, 15, 15, 15]);
	});

	it('doubles for someone who retries the moment each block ends, until the window lapses', () => {
		fail([account], 5, T0);
		const blocks: number[] = [];
		let now = T0;
		for (let i = 0; i < 5; i++) {
			recordFailure(db, [account], now);
			const until = blockedUntil(db, [account], now)!;
			blocks.push((until.getTime() - now.getTime()) / MINUTE_MS);
			now = until;
		}
		expect(blocks).toEqual([1, 2, 4, 8, 15]);
		// The last block ended 30 minutes after the window began: the next failure starts a new count.
		expect(now).toEqual(at(30 * MINUTE_MS));
		recordFailure(db, [account], now);
		expect(blockedUntil(db, [account], now)).toBeNull();
		expect(db.select().from(loginThrottle).get()?.failures).toBe(1);
	});

	it('keeps counting while a block is active, even after the window', () => {
		fail([account], 9, T0); // blocked 8 minutes
		const later = at(7 * MINUTE_MS);
		recordFailure(db, [account], later); // 10th: 15 minutes
		const lastBlock = blockedUntil(db, [account], later)!;
		expect(lastBlock).toEqual(new Date(later.getTime() + 15 * MINUTE_MS));
		// 16 minutes after the window started, but still blocked: the count goes on.
		const stillBlocked = at(16 * MINUTE_MS);
		recordFailure(db, [account], stillBlocked);
		expect(db.select().from(loginThrottle).get()?.failures).toBe(11);
		expect(blockedUntil(db, [account], stillBlocked)).toEqual(new Date(stillBlocked.getTime() + 15 * MINUTE_MS));
	});

	it('starts afresh after a quiet 15-minute window without an active block', () => {
		fail([account], 6, T0); // blocked until T0 + 1 min
		const later = at(15 * MINUTE_MS + 1);
		recordFailure(db, [account], later);
		expect(blockedUntil(db, [account], later)).toBeNull();
		const row = db.select().from(loginThrottle).get();
		expect(row).toMatchObject({ failures: 1, windowStartedAt: later, blockedUntil: null });
		fail([account], 4, later);
		expect(blockedUntil(db, [account], later)).toBeNull();
		recordFailure(db, [account], later);
		expect(blockedUntil(db, [account], later)).toEqual(new Date(later.getTime() + MINUTE_MS));
	});

	it('still counts failures exactly 15 minutes into the window', () => {
		fail([account], 5, T0);
		recordFailure(db, [account], at(15 * MINUTE_MS));
		expect(blockedUntil(db, [account], at(15 * MINUTE_MS))).toEqual(at(16 * MINUTE_MS));
	});

	it('treats the e-mail case-insensitively', () => {
		fail([{ kind: 'account', email: 'AINO@Example.fi' }], 6, T0);
		expect(blockedUntil(db, [account], T0)).toEqual(at(MINUTE_MS));
	});

	it('keeps accounts apart', () => {
		fail([account], 6, T0);
		expect(blockedUntil(db, [{ kind: 'account', email: 'other@example.fi' }], T0)).toBeNull();
	});
});

describe('per-address throttling', () => {
	it('allows twenty failures from one address, then blocks it', () => {
		for (let i = 0; i < 20; i++) recordFailure(db, [{ kind: 'account', email: `p${i}@example.fi` }, address], T0);
		expect(blockedUntil(db, [address], T0)).toBeNull();
		recordFailure(db, [{ kind: 'account', email: 'p20@example.fi' }, address], T0);
		expect(blockedUntil(db, [address], T0)).toEqual(at(MINUTE_MS));
		// Any account tried from that address is refused; the same account from elsewhere is not.
		expect(blockedUntil(db, [{ kind: 'account', email: 'fresh@example.fi' }, address], T0)).toEqual(at(MINUTE_MS));
		expect(blockedUntil(db, [{ kind: 'account', email: 'fresh@example.fi' }, { kind: 'address', ip: '198.51.100.1' }], T0)).toBeNull();
	});

	it('reports the later of two blocks', () => {
		fail([account], 7, T0); // 2 minutes
		fail([address], 21, T0); // 1 minute
		expect(blockedUntil(db, [account, address], T0)).toEqual(at(2 * MINUTE_MS));
		expect(blockedUntil(db, [address, account], T0)).toEqual(at(2 * MINUTE_MS));
	});
});

describe('clearAccountFailures', () => {
	it("clears the account's count but not the address's", () => {
		fail([account, address], 21, T0);
		expect(blockedUntil(db, [account], T0)).not.toBeNull();
		clearAccountFailures(db, 'Aino@Example.FI');
		expect(blockedUntil(db, [account], T0)).toBeNull();
		expect(blockedUntil(db, [address], T0)).toEqual(at(MINUTE_MS));
		// The account starts again with five free failures.
		fail([account], 5, T0);
		expect(blockedUntil(db, [account], T0)).toBeNull();
	});
});
