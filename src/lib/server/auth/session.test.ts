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
	sessionAbsoluteEnd,
	validateSessionToken
} from './session';
import { DEFAULT_SESSION_LIMITS, readSessionLimits } from './session-limits';

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const IDLE_MS = 30 * MINUTE_MS;
const ABSOLUTE_MS = 12 * HOUR_MS;
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
	it('stores only the SHA-256 of the token, with the idle end 30 minutes ahead', () => {
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
			expiresAt: at(IDLE_MS),
			createdAt: T0,
			ipAddress: '192.0.2.1',
			userAgent: 'Firefox'
		});
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

		const result = validateSessionToken(db, token, at(MINUTE_MS / 2));
		expect(result.session?.id).toBe(hashToken(token));
		expect(result.session?.expiresAt).toEqual(at(IDLE_MS));
		expect(result.user).toMatchObject({ id: person.id, email: 'aino@example.fi', name: 'Aino', tenantId: null });
		expect([...(result.user?.roles ?? [])].sort()).toEqual(['mc_cert_admin', 'mc_signatory']);
	});

	it('rejects an unknown token', () => {
		const person = insertUser(db);
		createSession(db, generateSessionToken(), person.id, {}, T0);
		expect(validateSessionToken(db, generateSessionToken(), T0)).toEqual({ session: null, user: null, secondFactor: 'done' });
	});

	it('rejects the stored hash presented as a token', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		expect(validateSessionToken(db, hashToken(token), T0).user).toBeNull();
	});

	it('ends a session after 30 idle minutes, and deletes it (V3.3.2)', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);

		expect(validateSessionToken(db, token, at(IDLE_MS - 1)).user?.id).toBe(person.id);
		// That request moved the idle end; 30 quiet minutes after it, the session is gone.
		const lastUse = IDLE_MS - 1;
		expect(validateSessionToken(db, token, at(lastUse + IDLE_MS))).toEqual({ session: null, user: null, secondFactor: 'done' });
		expect(storedSession(hashToken(token))).toBeUndefined();
		// And it stays gone, even if asked at an earlier time.
		expect(validateSessionToken(db, token, T0).user).toBeNull();
	});

	it('moves the idle end forward while the session is used', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		const now = at(20 * MINUTE_MS);
		expect(validateSessionToken(db, token, now).session?.expiresAt).toEqual(new Date(now.getTime() + IDLE_MS));
		expect(storedSession(hashToken(token))?.expiresAt).toEqual(new Date(now.getTime() + IDLE_MS));
	});

	it('stores the moved idle end at most once a minute', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		validateSessionToken(db, token, at(30_000));
		expect(storedSession(hashToken(token))?.expiresAt).toEqual(at(IDLE_MS));
		validateSessionToken(db, token, at(MINUTE_MS));
		expect(storedSession(hashToken(token))?.expiresAt).toEqual(at(MINUTE_MS + IDLE_MS));
	});

	it('ends a session 12 hours after sign-in however busy it is (V3.3.2)', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		// A request every 10 minutes keeps it alive until the absolute end, and not a moment longer.
		for (let t = 10 * MINUTE_MS; t < ABSOLUTE_MS; t += 10 * MINUTE_MS) {
			expect(validateSessionToken(db, token, at(t)).user?.id).toBe(person.id);
		}
		expect(storedSession(hashToken(token))?.expiresAt).toEqual(at(ABSOLUTE_MS));
		expect(validateSessionToken(db, token, at(ABSOLUTE_MS)).user).toBeNull();
		expect(storedSession(hashToken(token))).toBeUndefined();
	});

	it('applies shorter limits from the environment', () => {
		const person = insertUser(db);
		const token = generateSessionToken();
		const limits = readSessionLimits({ LIITOS_SESSION_MAX_MINUTES: '60', LIITOS_SESSION_IDLE_MINUTES: '10' });
		createSession(db, token, person.id, {}, T0, limits);
		expect(validateSessionToken(db, token, at(9 * MINUTE_MS), limits).user?.id).toBe(person.id);
		expect(validateSessionToken(db, token, at(18 * MINUTE_MS), limits).user?.id).toBe(person.id);
		expect(validateSessionToken(db, token, at(28 * MINUTE_MS + 1), limits).user).toBeNull();

		const busy = generateSessionToken();
		createSession(db, busy, person.id, {}, T0, limits);
		for (let t = 5 * MINUTE_MS; t < HOUR_MS; t += 5 * MINUTE_MS) validateSessionToken(db, busy, at(t), limits);
		expect(validateSessionToken(db, busy, at(HOUR_MS), limits).user).toBeNull();
	});

	it('gives the absolute end from the sign-in time', () => {
		expect(sessionAbsoluteEnd({ createdAt: T0 })).toEqual(at(ABSOLUTE_MS));
		expect(DEFAULT_SESSION_LIMITS).toEqual({ absoluteMs: ABSOLUTE_MS, idleMs: IDLE_MS });
	});

	it.each(['deactivated', 'invited'] as const)('rejects and deletes the session of a %s person', (status) => {
		const person = insertUser(db);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		db.update(user).set({ status }).where(eq(user.id, person.id)).run();

		expect(validateSessionToken(db, token, at(MINUTE_MS))).toEqual({ session: null, user: null, secondFactor: 'done' });
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
