import { describe, expect, it } from 'vitest';
import { sessionCookie } from './cookies';

describe('sessionCookie', () => {
	const expires = new Date('2025-06-01T12:00:00Z');

	it('is a __Host- cookie in production: Secure, Path=/, no Domain (V3.4.1, V3.4.4)', () => {
		const cookie = sessionCookie(true);
		expect(cookie.name).toBe('__Host-liitos_session');
		const options = cookie.options(expires);
		expect(options).toEqual({ path: '/', httpOnly: true, sameSite: 'lax', secure: true, expires });
		expect(options).not.toHaveProperty('domain');
	});

	it('keeps the plain name without the Secure flag in development', () => {
		const cookie = sessionCookie(false);
		expect(cookie.name).toBe('liitos_session');
		expect(cookie.options(expires)).toMatchObject({ path: '/', httpOnly: true, secure: false });
	});
});
