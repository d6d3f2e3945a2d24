import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

// config reads the environment once, when first imported: set the key before any import runs.
const KEY = vi.hoisted(() => {
	const key = 'q7Xc1mVYpX9rQ2+2m8sTq4YV0m5N3hJkL8b2cW1xZ0E=';
	process.env.LIITOS_SECRET_KEY = key;
	process.env.LIITOS_SECRET_KEY_PREVIOUS = Buffer.alloc(32, 7).toString('base64'); // being replaced
	return key;
});
afterAll(() => {
	delete process.env.LIITOS_SECRET_KEY;
	delete process.env.LIITOS_SECRET_KEY_PREVIOUS;
});
const PREVIOUS = Buffer.alloc(32, 7);
const UNKNOWN = Buffer.alloc(32, 9);

import type { Db } from '../db/index';
import { auditEntry, twoFactor, type User } from '../db/schema';
import { ADMIN_ACTOR, freshDb, insertUser } from '../test-support';
import { createSession, generateSessionToken, hashToken } from './session';
import { confirmEnrolment, currentCode, keysSealedElsewhere, pendingSecret, sealStoredKeys, verifySecondFactor } from './two-factor';
import { keyId, parseSecretKey, sealSecret } from './secret-box';

const T0 = new Date('2026-03-02T08:00:00Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

let db: Db;
let person: User;
let token: string;

beforeEach(() => {
	db = freshDb();
	person = insertUser(db, { roles: ['mc_admin'] });
	token = generateSessionToken();
	createSession(db, token, person.id, {}, T0);
});

const stored = (userId: string) => db.select().from(twoFactor).where(eq(twoFactor.userId, userId)).get()!;

describe('authenticator keys with LIITOS_SECRET_KEY set', () => {
	it('are never in the database in plain, and codes from them still work', () => {
		const secret = pendingSecret(db, ADMIN_ACTOR, person, T0);
		expect(stored(person.id).pendingSecret).toMatch(new RegExp(`^sealed:v1:${keyId(parseSecretKey(KEY)!)}:`));
		expect(pendingSecret(db, ADMIN_ACTOR, person, later(60))).toBe(secret); // the same QR code after a reload
		expect(confirmEnrolment(db, ADMIN_ACTOR, person, currentCode(secret, T0), hashToken(token), T0).ok).toBe(true);

		const row = stored(person.id);
		expect(row.secret).toMatch(/^sealed:v1:/);
		expect(JSON.stringify(db.$client.prepare('select * from two_factor').all())).not.toContain(secret);
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, later(60)), 'sign_in', undefined, later(60))).toEqual({
			ok: true,
			method: 'totp'
		});
	});

	it('refuses a sealed key copied onto another person’s row', () => {
		const secret = pendingSecret(db, ADMIN_ACTOR, person, T0);
		confirmEnrolment(db, ADMIN_ACTOR, person, currentCode(secret, T0), hashToken(token), T0);
		const other = insertUser(db, { roles: ['mc_admin'] });
		db.insert(twoFactor)
			.values({ userId: other.id, secret: stored(person.id).secret, enabledAt: T0 })
			.run();
		expect(() => verifySecondFactor(db, ADMIN_ACTOR, other, currentCode(secret, later(60)), 'sign_in', undefined, later(60))).toThrow(
			/moved to another row/
		);
	});

	it('seals keys stored in plain before the key was set, once, with an audit entry', () => {
		const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
		db.insert(twoFactor)
			.values({ userId: person.id, secret, enabledAt: T0, pendingSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', pendingCreatedAt: T0 })
			.run();

		expect(sealStoredKeys(db)).toBe(1);
		expect(stored(person.id).secret).toMatch(/^sealed:v1:/);
		expect(stored(person.id).pendingSecret).toMatch(/^sealed:v1:/);
		expect(
			db
				.select()
				.from(auditEntry)
				.all()
				.filter((e) => e.action === 'auth.two_factor_keys_sealed')
		).toHaveLength(1);
		expect(sealStoredKeys(db)).toBe(0);
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, later(60)), 'sign_in', undefined, later(60)).ok).toBe(true);
	});

	it('reseals keys sealed under the previous key, which keep working meanwhile', () => {
		const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
		db.insert(twoFactor)
			.values({ userId: person.id, secret: sealSecret(secret, `two_factor:${person.id}`, PREVIOUS), enabledAt: T0 })
			.run();
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, later(30)), 'sign_in', undefined, later(30)).ok).toBe(true);
		expect(keysSealedElsewhere(db)).toBe(1);

		expect(sealStoredKeys(db)).toBe(1);
		expect(stored(person.id).secret).toMatch(new RegExp(`^sealed:v1:${keyId(parseSecretKey(KEY)!)}:`));
		expect(keysSealedElsewhere(db)).toBe(0);
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, later(90)), 'sign_in', undefined, later(90)).ok).toBe(true);
	});

	it('counts the keys sealed under another key, whose owners cannot sign in', () => {
		const other = insertUser(db, { roles: ['mc_admin'] });
		db.insert(twoFactor)
			.values({
				userId: other.id,
				secret: sealSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', `two_factor:${other.id}`, UNKNOWN),
				enabledAt: T0
			})
			.run();
		const secret = pendingSecret(db, ADMIN_ACTOR, person, T0);
		confirmEnrolment(db, ADMIN_ACTOR, person, currentCode(secret, T0), hashToken(token), T0);
		expect(sealStoredKeys(db)).toBe(0); // sealed under a key not set now: left as it is
		expect(keysSealedElsewhere(db)).toBe(1);
	});

	it('replaces an enrolment key sealed under an earlier key instead of failing', () => {
		db.insert(twoFactor)
			.values({
				userId: person.id,
				pendingSecret: sealSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', `two_factor:${person.id}`, UNKNOWN),
				pendingCreatedAt: T0
			})
			.run();
		const secret = pendingSecret(db, ADMIN_ACTOR, person, later(60));
		expect(secret).not.toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
		expect(confirmEnrolment(db, ADMIN_ACTOR, person, currentCode(secret, later(60)), hashToken(token), later(60)).ok).toBe(true);
	});
});
