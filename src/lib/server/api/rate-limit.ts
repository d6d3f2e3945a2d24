/**
 * Requests per API token, as a token bucket kept in memory: a burst of `capacity` calls, then
 * `refillPerSecond` on average. In memory because the portal runs as one process; a restart
 * forgives every bucket, which only ever errs towards letting a caller through. (The sign-in
 * throttle in auth/throttle.ts counts guesses at secrets with growing blocks: a different shape.)
 */
export interface RateLimit {
	capacity: number;
	refillPerSecond: number;
}

export const API_RATE_LIMIT: RateLimit = { capacity: 120, refillPerSecond: 2 };

export type Take = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export function createRateLimiter(limit: RateLimit = API_RATE_LIMIT) {
	const buckets = new Map<string, { tokens: number; at: number }>();
	return {
		limit,
		take(key: string, now = Date.now()): Take {
			const bucket = buckets.get(key) ?? { tokens: limit.capacity, at: now };
			const tokens = Math.min(limit.capacity, bucket.tokens + ((now - bucket.at) / 1000) * limit.refillPerSecond);
			if (tokens < 1) {
				buckets.set(key, { tokens, at: now });
				return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.refillPerSecond)) };
			}
			buckets.set(key, { tokens: tokens - 1, at: now });
			return { ok: true, remaining: Math.floor(tokens - 1) };
		}
	};
}
