import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures: HMAC-SHA256 over `id.timestamp.body` with the endpoint's secret
 * (`whsec_` + base64 key), sent as `webhook-signature: v1,<base64>` beside `webhook-id` and
 * `webhook-timestamp` (seconds). Receivers can check them with any Standard Webhooks library.
 */

export function generateWebhookSecret(): string {
	return `whsec_${randomBytes(24).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
	return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export function signPayload(secret: string, id: string, timestampSeconds: number, body: string): string {
	return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

export function webhookHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
	return {
		'content-type': 'application/json',
		'webhook-id': id,
		'webhook-timestamp': String(timestampSeconds),
		'webhook-signature': signPayload(secret, id, timestampSeconds, body)
	};
}

/** A receiver's check (used by the tests): one of the space-separated signatures matches, and the time is near. */
export function verifySignature(
	secret: string,
	headers: Record<string, string | undefined>,
	body: string,
	nowSeconds: number,
	toleranceSeconds = 300
): boolean {
	const id = headers['webhook-id'];
	const timestamp = Number(headers['webhook-timestamp']);
	if (!id || !Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
	const expected = Buffer.from(signPayload(secret, id, timestamp, body));
	return (headers['webhook-signature'] ?? '').split(' ').some((candidate) => {
		const given = Buffer.from(candidate);
		return given.length === expected.length && timingSafeEqual(given, expected);
	});
}

/** Waits between attempts: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h — about a day in all (Standard Webhooks' schedule, trimmed). */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 14 * 3_600_000];

/** When to try again after `attempts` failed attempts, or null to give up. */
export function nextAttemptAfter(attempts: number, now: Date): Date | null {
	const delay = RETRY_DELAYS_MS[attempts - 1];
	return delay === undefined ? null : new Date(now.getTime() + delay);
}
