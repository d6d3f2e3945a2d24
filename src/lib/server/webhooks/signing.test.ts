import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, nextAttemptAfter, RETRY_DELAYS_MS, signPayload, verifySignature, webhookHeaders } from './signing';

describe('webhook signatures', () => {
	it("match the Standard Webhooks specification's example", () => {
		// The example of the Standard Webhooks specification (and its reference libraries' tests).
		expect(signPayload('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
			'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
		);
	});

	it('verify with the right secret only, within the time tolerance, untouched', () => {
		const secret = generateWebhookSecret();
		expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
		const body = '{"type":"incident.reported"}';
		const headers = webhookHeaders(secret, 'msg_1', 1_700_000_000, body);
		expect(verifySignature(secret, headers, body, 1_700_000_100)).toBe(true);
		expect(verifySignature(generateWebhookSecret(), headers, body, 1_700_000_100)).toBe(false);
		expect(verifySignature(secret, headers, body + ' ', 1_700_000_100)).toBe(false);
		expect(verifySignature(secret, headers, body, 1_700_001_000)).toBe(false);
		expect(verifySignature(secret, { ...headers, 'webhook-signature': `v1,x ${headers['webhook-signature']}` }, body, 1_700_000_000)).toBe(
			true
		);
	});

	it('back off over about a day, then give up', () => {
		const now = new Date('2026-01-01T00:00:00Z');
		expect(nextAttemptAfter(1, now)).toEqual(new Date(now.getTime() + 5_000));
		expect(nextAttemptAfter(2, now)!.getTime() - now.getTime()).toBe(5 * 60_000);
		const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
		expect(total).toBeGreaterThan(24 * 3_600_000);
		expect(total).toBeLessThan(36 * 3_600_000);
		expect(nextAttemptAfter(RETRY_DELAYS_MS.length + 1, now)).toBeNull();
	});
});
