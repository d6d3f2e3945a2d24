import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, isSealedUnder, keyId, openSecret, parseSecretKey, sealSecret } from './secret-box';

const KEY = randomBytes(32);
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('parseSecretKey', () => {
	it('reads 32 bytes from base64 or hex, and nothing from an empty setting', () => {
		expect(parseSecretKey(KEY.toString('base64'))?.equals(KEY)).toBe(true);
		expect(parseSecretKey(` ${KEY.toString('hex')}\n`)?.equals(KEY)).toBe(true);
		expect(parseSecretKey(undefined)).toBeUndefined();
		expect(parseSecretKey('  ')).toBeUndefined();
		expect(() => parseSecretKey('short', 'LIITOS_SECRET_KEY_PREVIOUS')).toThrow(/^LIITOS_SECRET_KEY_PREVIOUS must be/);
	});

	it('refuses a key of the wrong size or form instead of using a weak one', () => {
		for (const bad of [
			randomBytes(16).toString('base64'),
			randomBytes(31).toString('hex'),
			'correct horse battery staple',
			`${KEY.toString('base64')}x`
		]) {
			expect(() => parseSecretKey(bad)).toThrow(/32 random bytes/);
		}
	});
});

describe('sealSecret and openSecret', () => {
	it('round-trips, and two seals of one secret differ (fresh nonce)', () => {
		const a = sealSecret(SECRET, 'two_factor:u1', KEY);
		const b = sealSecret(SECRET, 'two_factor:u1', KEY);
		expect(isSealed(a)).toBe(true);
		expect(a).not.toContain(SECRET);
		expect(a).not.toBe(b);
		expect(a.startsWith(`sealed:v1:${keyId(KEY)}:`)).toBe(true);
		expect(openSecret(a, 'two_factor:u1', [KEY])).toBe(SECRET);
	});

	it('opens with whichever of the keys given sealed it (rotation)', () => {
		const old = randomBytes(32);
		const sealed = sealSecret(SECRET, 'two_factor:u1', old);
		expect(openSecret(sealed, 'two_factor:u1', [KEY, old])).toBe(SECRET);
		expect(isSealedUnder(sealed, old)).toBe(true);
		expect(isSealedUnder(sealed, KEY)).toBe(false);
	});

	it('stores and reads plain values when no key is set, and reads plain values when one is', () => {
		expect(sealSecret(SECRET, 'two_factor:u1', undefined)).toBe(SECRET);
		expect(openSecret(SECRET, 'two_factor:u1', [KEY])).toBe(SECRET);
	});

	it('does not open on another row, under another key, without a key, or once changed', () => {
		const sealed = sealSecret(SECRET, 'two_factor:u1', KEY);
		expect(() => openSecret(sealed, 'two_factor:u2', [KEY])).toThrow(/changed or moved/);
		expect(() => openSecret(sealed, 'two_factor:u1', [randomBytes(32)])).toThrow(/key that is not set/);
		expect(() => openSecret(sealed, 'two_factor:u1', [undefined])).toThrow(/key that is not set/);
		const body = Buffer.from(sealed.split(':')[3], 'base64url');
		body[body.length - 20] ^= 1;
		expect(() => openSecret(`sealed:v1:${keyId(KEY)}:${body.toString('base64url')}`, 'two_factor:u1', [KEY])).toThrow(/changed or moved/);
		expect(() => openSecret(`sealed:v1:${keyId(KEY)}:AAAA`, 'two_factor:u1', [KEY])).toThrow(/damaged/);
	});
});
