import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { session, user } from '../db/schema';
import { freshDb, insertUser } from '../test-support';
import {
	createSession,
	generateSessionToken,
	hashToken,
	invalidateSession,
	invalidateUserSessions,
	SESSION_LIFETIME_MS,
	validateSessionToken
} from './session';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = new Date('2025-06-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let db: Db;

beforeEach(() => {
	db = freshDb();
});

const storedSession = (id: string) => db.select().from(session).where(eq(session.id, id)).get();

describe('generateSessionToken', () => {
	it('gives 32 lower-case base32 characters (160 bits)', () => {
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{32}$/);
	});

	it('never repeats', () => {
		const tokens = new Set(Array.from({ length: 1000 }, () => generateSessionToken()));
		expect(tokens.size).toBe(1000);
	});
});

describe('hashToken', () => {
	it('is the hex SHA-256 of the token', () => {
		expect(hashToken('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
		expect(hashToken('abc')).toMatch(/^[0-9a-f]{64}$/);
	});
});

describe('createSession', () => {
	it('stores only the SHA-256 of the token, with a 30-day expiry', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		const created = createSession(db, token, person.id, { ipAddress: '192.0.2.1', userAgent: 'Firefox' }, T0);
		expect(created.id).toBe(hashToken(token));
		expect(created.id).not.toBe(token);

		const rows = db.select().from(session).all();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			id: hashToken(token),
			userId: person.id,
			expiresAt: at(SESSION_LIFETIME_MS),
			createdAt: T0,
			ipAddress: '192.0.2.1',
			userAgent: 'Firefox'
		});
		expect(SESSION_LIFETIME_MS).toBe(30 * DAY_MS);
		// The token itself appears nowhere in the row.
		expect(JSON.stringify(rows[0])).not.toContain(token);
	});

	it('cuts an overlong user agent', () => {
		const person = insertUser(db);
		const created = createSession(db, generateSessionToken(), person.id, { userAgent: 'x'.repeat(1000) }, T0);
		expect(storedSession(created.id)?.userAgent).toHaveLength(400);
	});
});

describe('validateSessionToken', () => {
	it('returns the session and the person with their roles for a good token', () => {
		const person = insertUser(db, { email: 'aino@example.fi', name: 'Aino', roles: ['mc_signatory', 'mc_cert_admin'] });
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);

		const result = validateSessionToken(db, token, at(DAY_MS));
		expect(result.renewed).toBe(false);
		expect(result.session?.id).toBe(hashToken(token));
		expect(result.session?.expiresAt).toEqual(at(SESSION_LIFETIME_MS));
		expect(result.user).toMatchObject({ id: person.id, email: 'aino@example.fi', name: 'Aino', tenantId: null });
		expect([...(result.user?.roles ?? [])].sort()).toEqual(['mc_cert_admin', 'mc_signatory']);
	});

	it('rejects an unknown token', () => {
		const person = insertUser(db);
		createSession(db, generateSessionToken(), person.id, {}, T0);
		expect(validateSessionToken(db, generateSessionToken(), T0)).toEqual({ session: null, user: null, secondFactor: 'done', renewed: false });
	});

	it('rejects the stored hash presented as a token', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		expect(validateSessionToken(db, hashToken(token), T0).user).toBeNull();
	});

	it('rejects and deletes a session past its expiry', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);

		const result = validateSessionToken(db, token, at(SESSION_LIFETIME_MS));
		expect(result).toEqual({ session: null, user: null, secondFactor: 'done', renewed: false });
		expect(storedSession(hashToken(token))).toBeUndefined();
		// And it stays gone, even if asked at an earlier time.
		expect(validateSessionToken(db, token, T0).user).toBeNull();
	});

	it('accepts a session one millisecond before its expiry (and renews it)', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		const now = at(SESSION_LIFETIME_MS - 1);
		const result = validateSessionToken(db, token, now);
		expect(result.user?.id).toBe(person.id);
		expect(result.renewed).toBe(true);
		expect(storedSession(hashToken(token))?.expiresAt).toEqual(new Date(now.getTime() + SESSION_LIFETIME_MS));
	});

	it('renews a session with less than half of its lifetime left', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		const now = at(16 * DAY_MS); // 14 days left
		const result = validateSessionToken(db, token, now);
		expect(result.renewed).toBe(true);
		const newExpiry = new Date(now.getTime() + SESSION_LIFETIME_MS);
		expect(result.session?.expiresAt).toEqual(newExpiry);
		expect(storedSession(hashToken(token))?.expiresAt).toEqual(newExpiry);
	});

	it('does not renew a session with more than half of its lifetime left', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		const result = validateSessionToken(db, token, at(14 * DAY_MS)); // 16 days left
		expect(result.user?.id).toBe(person.id);
		expect(result.renewed).toBe(false);
		expect(result.session?.expiresAt).toEqual(at(SESSION_LIFETIME_MS));
		expect(storedSession(hashToken(token))?.expiresAt).toEqual(at(SESSION_LIFETIME_MS));
	});

	it('keeps a regularly used session alive beyond the first 30 days', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		expect(validateSessionToken(db, token, at(20 * DAY_MS)).renewed).toBe(true);
		expect(validateSessionToken(db, token, at(45 * DAY_MS)).user?.id).toBe(person.id);
	});

	it.each(['deactivated', 'invited'] as const)('rejects and deletes the session of a %s person', (status) => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		db.update(user).set({ status }).where(eq(user.id, person.id)).run();

		expect(validateSessionToken(db, token, at(DAY_MS))).toEqual({ session: null, user: null, secondFactor: 'done', renewed: false });
		expect(storedSession(hashToken(token))).toBeUndefined();
	});
});

describe('invalidating sessions', () => {
	it('invalidateSession ends only that session', () => {
		const person = insertUser(db);
		const first = generateSessionToken();
		const second = generateSessionToken();
		createSession(db, first, person.id, {}, T0);
		createSession(db, second, person.id, {}, T0);
		invalidateSession(db, hashToken(first));
		expect(validateSessionToken(db, first, T0).user).toBeNull();
		expect(validateSessionToken(db, second, T0).user?.id).toBe(person.id);
	});

	it("invalidateUserSessions ends all of one person's sessions and no one else's", () => {
		const person = insertUser(db);
		const other = insertUser(db);
		const tokens = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
		for (const token of tokens) createSession(db, token, person.id, {}, T0);
		const othersToken = generateSessionToken();
		createSession(db, othersToken, other.id, {}, T0);

		invalidateUserSessions(db, person.id);
		for (const token of tokens) expect(validateSessionToken(db, token, T0).user).toBeNull();
		expect(db.select().from(session).where(eq(session.userId, person.id)).all()).toEqual([]);
		expect(validateSessionToken(db, othersToken, T0).user?.id).toBe(other.id);
	});
});
