import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { auditEntry, loginThrottle, type User } from '../db/schema';
import { freshDb, insertUser } from '../test-support';
import { hashPassword } from './password';
import { createSession, generateSessionToken, hashToken } from './session';
import { signIn } from './sign-in';
import { confirmPassword, hasPassword, stepUp } from './step-up';
import { confirmEnrolment, currentCode, pendingSecret } from './two-factor';

const PASSWORD = 'correct horse battery staple';
const T0 = new Date('2025-06-01T12:00:00Z');
const actorOf = (person: User, ipAddress = '192.0.2.1') => ({ id: person.id, label: person.email, ipAddress });

let passwordHash: string;
let db: Db;
let person: User;

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
	db = freshDb();
	person = insertUser(db, { email: 'aino@example.fi', passwordHash });
});

const failedChecks = () => db.select().from(auditEntry).where(eq(auditEntry.action, 'auth.step_up_failed')).all();

describe('confirmPassword', () => {
	it('accepts the right password and refuses a wrong one, recording the purpose', async () => {
		expect(await confirmPassword(db, actorOf(person), person, PASSWORD, 'password_change', T0)).toEqual({ ok: true });
		expect(await confirmPassword(db, actorOf(person), person, 'wrong', 'password_change', T0)).toEqual({
			ok: false,
			reason: 'wrong_password'
		});
		expect(failedChecks()).toMatchObject([{ actorId: person.id, targetId: person.id, summary: 'password_change', ipAddress: '192.0.2.1' }]);
	});

	it('checks five of sixty parallel guesses with the real hash and refuses the rest with a time', async () => {
		const results = await Promise.all(
			Array.from({ length: 60 }, (_, i) => confirmPassword(db, actorOf(person), person, `guess ${i}`, 'password_change', T0))
		);
		expect(failedChecks()).toHaveLength(5);
		expect(results.filter((r) => !r.ok && r.reason === 'wrong_password')).toHaveLength(5);
		expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toEqual(
			Array(55).fill({ ok: false, reason: 'throttled', retryAt: new Date(T0.getTime() + 60_000), field: 'password' })
		);
		// Even the right password waits for the block to end.
		expect(await confirmPassword(db, actorOf(person), person, PASSWORD, 'password_change', T0)).toMatchObject({ reason: 'throttled' });
	});

	it('shares the count with signing in, so a stolen session gives no extra guesses', async () => {
		for (let i = 0; i < 3; i++) await signIn(db, 'aino@example.fi', `guess ${i}`, { ipAddress: '198.51.100.1', userAgent: '' }, T0);
		for (let i = 0; i < 2; i++) await confirmPassword(db, actorOf(person, '203.0.113.5'), person, `guess ${i}`, 'password_change', T0);
		expect(await signIn(db, 'aino@example.fi', PASSWORD, { ipAddress: '198.51.100.9', userAgent: '' }, T0)).toMatchObject({
			ok: false,
			reason: 'throttled'
		});
	});
});

describe('stepUp', () => {
	it('asks only for the password of a person without an authenticator', async () => {
		expect(await stepUp(db, actorOf(person), person, { password: PASSWORD }, 'notice', T0)).toEqual({ ok: true, withCode: false });
		expect(await stepUp(db, actorOf(person), person, { password: 'wrong' }, 'notice', T0)).toEqual({ ok: false, reason: 'wrong_password' });
	});

	it('asks for the code as well once the person uses an authenticator, and throttles the code', async () => {
		const t = new Date();
		const secret = pendingSecret(db, actorOf(person), person, t);
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, t);
		expect(confirmEnrolment(db, actorOf(person), person, currentCode(secret, t, -1), hashToken(token), t).ok).toBe(true);

		expect(await stepUp(db, actorOf(person), person, { password: PASSWORD }, 'rescind', t)).toEqual({ ok: false, reason: 'wrong_code' });
		for (let i = 0; i < 4; i++)
			expect(await stepUp(db, actorOf(person), person, { password: PASSWORD, code: '000000' }, 'rescind', t)).toEqual({
				ok: false,
				reason: 'wrong_code'
			});
		expect(await stepUp(db, actorOf(person), person, { password: PASSWORD, code: currentCode(secret, t) }, 'rescind', t)).toEqual({
			ok: false,
			reason: 'throttled',
			retryAt: new Date(t.getTime() + 60_000),
			field: 'code'
		});
		const later = new Date(t.getTime() + 60_000);
		expect(await stepUp(db, actorOf(person), person, { password: PASSWORD, code: currentCode(secret, later) }, 'rescind', later)).toEqual({
			ok: true,
			withCode: true
		});
	});
});

describe('a person without a password (signs in only through a provider)', () => {
	it('is refused plainly as having no password, for every act, without counting a guess against the account or address', async () => {
		const ssoPerson = insertUser(db, { email: 'sso@example.fi' });
		expect(hasPassword(db, ssoPerson.id)).toBe(false);
		expect(hasPassword(db, person.id)).toBe(true);
		for (const purpose of ['signature', 'notice', 'rescind', 'plan_approval'] as const)
			expect(await stepUp(db, actorOf(ssoPerson), ssoPerson, { password: 'anything' }, purpose, T0)).toEqual({
				ok: false,
				reason: 'no_password'
			});
		expect(db.select().from(loginThrottle).all()).toEqual([]);
		expect(failedChecks().map((e) => e.summary)).toEqual([
			'signature: no password',
			'notice: no password',
			'rescind: no password',
			'plan_approval: no password'
		]);
		// The person with a password is still asked for it, as before.
		expect(await stepUp(db, actorOf(person), person, { password: PASSWORD }, 'notice', T0)).toEqual({ ok: true, withCode: false });
	});
});
