import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { oidcTransaction } from '../db/schema';
import { freshDb } from '../test-support';
import { runScheduledWork } from '../scheduler';
import { LIMITS } from './throttle';
import { beginSignInTransaction, TRANSACTION_LIFETIME_MS } from './oidc-transaction';

const T0 = new Date('2026-03-02T08:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const OFFICE = '192.0.2.20';

let db: Db;
beforeEach(() => {
	db = freshDb();
});

const rows = () => db.select().from(oidcTransaction).all().length;
const start = (ip: string, now: Date) => beginSignInTransaction(db, { provider: 'test', context: '/' }, ip, now);

describe('starting a sign-in at a provider', () => {
	it('is bounded per client address: past the allowance it is refused and stores nothing, other addresses go on', () => {
		const free = LIMITS.oidc_start.free;
		for (let i = 0; i < free; i++) expect(start(OFFICE, T0).ok).toBe(true);
		expect(rows()).toBe(free);
		const refused = start(OFFICE, T0);
		expect(refused).toEqual({ ok: false, retryAt: expect.any(Date) });
		if (!refused.ok) expect(refused.retryAt.getTime()).toBeGreaterThan(T0.getTime());
		expect(rows()).toBe(free);
		expect(start('198.51.100.4', T0).ok).toBe(true);
		// Once the block and the window have passed, the address starts afresh.
		expect(start(OFFICE, at(LIMITS.oidc_start.maxBlockMs + LIMITS.oidc_start.windowMs + 1)).ok).toBe(true);
	});

	it('leaves no expired transaction behind: the next start and the scheduler both sweep them', async () => {
		start(OFFICE, T0);
		start(OFFICE, T0);
		const later = at(TRANSACTION_LIFETIME_MS + 1);
		start(OFFICE, later);
		expect(rows()).toBe(1);
		const report = await runScheduledWork(db, at(2 * TRANSACTION_LIFETIME_MS + 2));
		expect(report.oidcTransactionsSwept).toBe(1);
		expect(rows()).toBe(0);
	});
});
