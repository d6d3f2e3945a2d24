import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

describe('API rate limit', () => {
	it('lets a burst through, then refuses with the seconds until the next call is allowed', () => {
		const limiter = createRateLimiter({ capacity: 3, refillPerSecond: 0.5 });
		const t = 1_000_000;
		expect([1, 2, 3].map(() => limiter.take('a', t).ok)).toEqual([true, true, true]);
		expect(limiter.take('a', t)).toEqual({ ok: false, retryAfterSeconds: 2 });
		// Another token has its own bucket.
		expect(limiter.take('b', t).ok).toBe(true);
		expect(limiter.take('a', t + 1000).ok).toBe(false);
		expect(limiter.take('a', t + 2000).ok).toBe(true);
		expect(limiter.take('a', t + 2000).ok).toBe(false);
	});
});
