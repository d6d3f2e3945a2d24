import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { auditEntry, recoveryCode, session, twoFactor, type User } from '../db/schema';
import { verifyAuditChain } from '../audit/audit-log';
import { ADMIN_ACTOR, freshDb, insertTenantRow, insertUser } from '../test-support';
import { createSession, generateSessionToken, hashToken, validateSessionToken } from './session';
import {
	confirmEnrolment,
	currentCode,
	isTwoFactorEnabled,
	keyUri,
	matchingStep,
	pendingSecret,
	RECOVERY_CODE_COUNT,
	removeTwoFactor,
	renewRecoveryCodes,
	requiresTwoFactor,
	resetOthersTwoFactor,
	twoFactorSummary,
	verifySecondFactor
} from './two-factor';

const T0 = new Date('2026-03-02T08:00:00Z');
const seconds = (s: number) => new Date(T0.getTime() + s * 1000);

let db: Db;
let person: User;
let token: string;

beforeEach(() => {
	db = freshDb();
	person = insertUser(db, { roles: ['mc_admin'] });
	token = generateSessionToken();
	createSession(db, token, person.id, {}, T0);
});

const actions = () =>
	db
		.select()
		.from(auditEntry)
		.all()
		.map((e) => e.action);

/** Enrols `person` at T0 and returns the secret and the recovery codes. */
function enrol() {
	const secret = pendingSecret(db, ADMIN_ACTOR, person, T0);
	const result = confirmEnrolment(db, ADMIN_ACTOR, person, currentCode(secret, T0), hashToken(token), T0);
	if (!result.ok) throw new Error('enrolment failed');
	return { secret, recoveryCodes: result.recoveryCodes };
}

describe('requiresTwoFactor', () => {
	it('is required of the main connector’s administrators and signatories only', () => {
		expect(requiresTwoFactor(['mc_admin'])).toBe(true);
		expect(requiresTwoFactor(['mc_signatory'])).toBe(true);
		expect(requiresTwoFactor(['mc_cert_admin', 'mc_signatory'])).toBe(true);
		expect(requiresTwoFactor(['mc_cert_admin'])).toBe(false);
		expect(requiresTwoFactor(['tenant_admin', 'tenant_signatory', 'tenant_staff'])).toBe(false);
	});
});

describe('codes', () => {
	// RFC 6238, appendix B: the SHA-1 key "12345678901234567890"; the RFC prints eight digits, apps show the last six.
	const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

	it('match the RFC 6238 test vectors', () => {
		expect(currentCode(RFC_SECRET, new Date(59_000))).toBe('287082');
		expect(currentCode(RFC_SECRET, new Date(1_111_111_109_000))).toBe('081804');
		expect(currentCode(RFC_SECRET, new Date(1_234_567_890_000))).toBe('005924');
		expect(currentCode(RFC_SECRET, new Date(2_000_000_000_000))).toBe('279037');
	});

	it('accept one time step either side and nothing further', () => {
		const step = Math.floor(T0.getTime() / 30_000);
		expect(matchingStep(RFC_SECRET, currentCode(RFC_SECRET, seconds(-30)), 0, T0)).toBe(step - 1);
		expect(matchingStep(RFC_SECRET, currentCode(RFC_SECRET, T0), 0, T0)).toBe(step);
		expect(matchingStep(RFC_SECRET, currentCode(RFC_SECRET, seconds(30)), 0, T0)).toBe(step + 1);
		expect(matchingStep(RFC_SECRET, currentCode(RFC_SECRET, seconds(-60)), 0, T0)).toBeNull();
		expect(matchingStep(RFC_SECRET, currentCode(RFC_SECRET, seconds(60)), 0, T0)).toBeNull();
	});

	it('refuse a step already used', () => {
		const step = Math.floor(T0.getTime() / 30_000);
		expect(matchingStep(RFC_SECRET, currentCode(RFC_SECRET, T0), step, T0)).toBeNull();
		expect(matchingStep(RFC_SECRET, currentCode(RFC_SECRET, seconds(30)), step, T0)).toBe(step + 1);
	});

	it('tolerate spaces and refuse anything but six digits', () => {
		const code = currentCode(RFC_SECRET, T0);
		expect(matchingStep(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, 0, T0)).not.toBeNull();
		expect(matchingStep(RFC_SECRET, code.slice(0, 5), 0, T0)).toBeNull();
		expect(matchingStep(RFC_SECRET, `${code}0`, 0, T0)).toBeNull();
		expect(matchingStep(RFC_SECRET, '', 0, T0)).toBeNull();
	});
});

describe('enrolment', () => {
	it('shows the same 160-bit key until it is an hour old', () => {
		const secret = pendingSecret(db, ADMIN_ACTOR, person, T0);
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		expect(pendingSecret(db, ADMIN_ACTOR, person, seconds(3599))).toBe(secret);
		expect(pendingSecret(db, ADMIN_ACTOR, person, seconds(3600))).not.toBe(secret);
		// Each new key is audited; showing the same one again is not a change.
		expect(actions()).toEqual(['auth.two_factor_enrolment_started', 'auth.two_factor_enrolment_started']);
	});

	it('puts the key, account, issuer, period and digits in the key URI', () => {
		const secret = pendingSecret(db, ADMIN_ACTOR, person, T0);
		const uri = new URL(keyUri(secret, 'aino@example.fi', 'Liitos (Terveys Oy)'));
		expect(uri.protocol).toBe('otpauth:');
		expect(uri.host).toBe('totp');
		expect(decodeURIComponent(uri.pathname)).toBe('/Liitos (Terveys Oy):aino@example.fi');
		expect(uri.searchParams.get('secret')).toBe(secret);
		expect(uri.searchParams.get('issuer')).toBe('Liitos (Terveys Oy)');
		expect(uri.searchParams.get('period')).toBe('30');
		expect(uri.searchParams.get('digits')).toBe('6');
	});

	it('is not on until a code proves the key', () => {
		const secret = pendingSecret(db, ADMIN_ACTOR, person, T0);
		const wrong = confirmEnrolment(db, ADMIN_ACTOR, person, currentCode(secret, seconds(-90)), hashToken(token), T0);
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(isTwoFactorEnabled(db, person.id)).toBe(false);
		expect(actions()).toEqual(['auth.two_factor_enrolment_started', 'auth.second_factor_failed']);
	});

	it('turns on with the right code, marks the session verified and hands out hashed single-use recovery codes', () => {
		const { secret, recoveryCodes } = enrol();
		expect(isTwoFactorEnabled(db, person.id)).toBe(true);
		const row = db.select().from(twoFactor).where(eq(twoFactor.userId, person.id)).get()!;
		expect(row.secret).toBe(secret);
		expect(row.pendingSecret).toBeNull();
		expect(db.select().from(session).get()!.twoFactorVerifiedAt).toEqual(T0);

		expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
		expect(new Set(recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
		for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
		const stored = db.select().from(recoveryCode).all();
		const sha = (s: string) => createHash('sha256').update(s).digest('hex');
		// Each code is stored only as SHA-256 over its own random salt and the code.
		expect(new Set(stored.map((r) => r.salt)).size).toBe(RECOVERY_CODE_COUNT);
		for (const row of stored) expect(row.salt).toMatch(/^[0-9a-f]{32}$/);
		for (const code of recoveryCodes)
			expect(stored.filter((r) => r.codeHash === sha(`${r.salt}:${code.replace('-', '')}`))).toHaveLength(1);
		const dump = JSON.stringify(stored);
		for (const code of recoveryCodes) expect(dump).not.toContain(code.replace('-', ''));
		expect(actions()).toEqual(['auth.two_factor_enrolment_started', 'auth.two_factor_enabled']);
	});

	it('replacing the authenticator makes the old key and old recovery codes worthless', () => {
		const first = enrol();
		const secret = pendingSecret(db, ADMIN_ACTOR, person, seconds(60));
		expect(secret).not.toBe(first.secret);
		const again = confirmEnrolment(db, ADMIN_ACTOR, person, currentCode(secret, seconds(60)), hashToken(token), seconds(60));
		expect(again.ok).toBe(true);
		expect(
			verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(first.secret, seconds(120)), 'sign_in', undefined, seconds(120)).ok
		).toBe(false);
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, first.recoveryCodes[0], 'sign_in', undefined, seconds(120)).ok).toBe(false);
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, seconds(120)), 'sign_in', undefined, seconds(120)).ok).toBe(
			true
		);
	});
});

describe('verifySecondFactor', () => {
	it('accepts a code once: the same code a second time is refused', () => {
		const { secret } = enrol();
		const code = currentCode(secret, seconds(30));
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, code, 'sign_in', undefined, seconds(30))).toEqual({ ok: true, method: 'totp' });
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, code, 'signature', undefined, seconds(31))).toEqual({
			ok: false,
			reason: 'invalid'
		});
		// The code used at enrolment is spent too.
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, T0), 'sign_in', undefined, seconds(31)).ok).toBe(false);
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, seconds(60)), 'sign_in', undefined, seconds(61)).ok).toBe(true);
	});

	it('marks the session verified only when signing in', () => {
		const { secret } = enrol();
		db.update(session).set({ twoFactorVerifiedAt: null }).run();
		verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, seconds(30)), 'signature', undefined, seconds(30));
		expect(db.select().from(session).get()!.twoFactorVerifiedAt).toBeNull();
		verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, seconds(60)), 'sign_in', hashToken(token), seconds(60));
		expect(db.select().from(session).get()!.twoFactorVerifiedAt).toEqual(seconds(60));
	});

	it('takes each recovery code once, typed in any case and with or without the hyphen', () => {
		const { recoveryCodes } = enrol();
		const [first, second] = recoveryCodes;
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, first.toUpperCase(), 'sign_in', undefined, seconds(5))).toEqual({
			ok: true,
			method: 'recovery'
		});
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, first, 'sign_in', undefined, seconds(6))).toEqual({ ok: false, reason: 'invalid' });
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, second.replace('-', ' '), 'sign_in', undefined, seconds(7)).ok).toBe(true);
		expect(twoFactorSummary(db, person.id)).toEqual({ enabled: true, recoveryCodesLeft: RECOVERY_CODE_COUNT - 2 });
	});

	it('does not take another person’s recovery code', () => {
		const { recoveryCodes } = enrol();
		const other = insertUser(db, { roles: ['mc_signatory'] });
		db.insert(twoFactor).values({ userId: other.id, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', enabledAt: T0 }).run();
		expect(verifySecondFactor(db, ADMIN_ACTOR, other, recoveryCodes[0], 'sign_in', undefined, seconds(5)).ok).toBe(false);
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, recoveryCodes[0], 'sign_in', undefined, seconds(5)).ok).toBe(true);
	});

	it('refuses everything for a person without an authenticator', () => {
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, '123456', 'sign_in', undefined, T0)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('blocks after five wrong codes, even the right one, and lets the person in once the block ends', () => {
		const { secret } = enrol();
		for (let i = 0; i < 5; i++)
			expect(verifySecondFactor(db, ADMIN_ACTOR, person, '000000', 'sign_in', undefined, seconds(10 + i))).toEqual({
				ok: false,
				reason: 'invalid'
			});
		const sixth = verifySecondFactor(db, ADMIN_ACTOR, person, '000000', 'sign_in', undefined, seconds(15));
		expect(sixth).toMatchObject({ ok: false, reason: 'throttled' });
		// The fifth wrong code (at 14 s) started the block; the sixth was not checked.
		const blockedUntil = (sixth as { retryAt: Date }).retryAt;
		expect(blockedUntil).toEqual(seconds(74));
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, seconds(40)), 'sign_in', undefined, seconds(40))).toMatchObject({
			reason: 'throttled'
		});
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, seconds(80)), 'sign_in', undefined, seconds(80))).toEqual({
			ok: true,
			method: 'totp'
		});
		// Success starts the count afresh.
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, '000000', 'sign_in', undefined, seconds(81))).toEqual({
			ok: false,
			reason: 'invalid'
		});
	});

	it('records every check in the audit chain', () => {
		const { secret } = enrol();
		verifySecondFactor(db, ADMIN_ACTOR, person, '000000', 'signature', undefined, seconds(5));
		verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, seconds(30)), 'signature', undefined, seconds(30));
		const entries = db.select().from(auditEntry).all();
		expect(entries.map((e) => [e.action, e.summary])).toEqual([
			['auth.two_factor_enrolment_started', ''],
			['auth.two_factor_enabled', ''],
			['auth.second_factor_failed', 'signature'],
			['auth.second_factor', 'signature, authenticator']
		]);
		expect(verifyAuditChain(db).ok).toBe(true);
	});
});

describe('validateSessionToken and the second factor', () => {
	it('asks a main connector administrator without an authenticator to enrol', () => {
		expect(validateSessionToken(db, token, T0).secondFactor).toBe('enrol');
	});

	it('lets a tenant’s staff in with a password alone', () => {
		const tenantId = insertTenantRow(db);
		const staff = insertUser(db, { roles: ['tenant_staff'], tenantId });
		const staffToken = generateSessionToken();
		createSession(db, staffToken, staff.id, {}, T0);
		expect(validateSessionToken(db, staffToken, T0).secondFactor).toBe('done');
	});

	it('asks for a code in a new session once an authenticator is on, and not after it was given', () => {
		const { secret } = enrol();
		expect(validateSessionToken(db, token, T0).secondFactor).toBe('done');
		const next = generateSessionToken();
		createSession(db, next, person.id, {}, seconds(60));
		expect(validateSessionToken(db, next, seconds(60)).secondFactor).toBe('verify');
		verifySecondFactor(db, ADMIN_ACTOR, person, currentCode(secret, seconds(60)), 'sign_in', hashToken(next), seconds(60));
		expect(validateSessionToken(db, next, seconds(61)).secondFactor).toBe('done');
	});

	it('asks an optional user who turned it on for the code too', () => {
		const tenantId = insertTenantRow(db);
		person = insertUser(db, { roles: ['tenant_signatory'], tenantId });
		token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		enrol();
		const next = generateSessionToken();
		createSession(db, next, person.id, {}, seconds(60));
		expect(validateSessionToken(db, next, seconds(60)).secondFactor).toBe('verify');
	});
});

describe('removing the authenticator', () => {
	it('by the person keeps their sessions; by an administrator ends every one of them', () => {
		enrol();
		removeTwoFactor(db, ADMIN_ACTOR, person, 'self');
		expect(isTwoFactorEnabled(db, person.id)).toBe(false);
		expect(db.select().from(recoveryCode).all()).toEqual([]);
		expect(db.select().from(session).all()).toHaveLength(1);

		enrol();
		removeTwoFactor(db, ADMIN_ACTOR, person, 'administrator');
		expect(isTwoFactorEnabled(db, person.id)).toBe(false);
		expect(db.select().from(session).all()).toEqual([]);
		expect(actions()).toEqual([
			'auth.two_factor_enrolment_started',
			'auth.two_factor_enabled',
			'auth.two_factor_disabled',
			'auth.two_factor_enrolment_started',
			'auth.two_factor_enabled',
			'auth.two_factor_reset'
		]);
	});

	describe('by an administrator for someone else (step-up with their own code)', () => {
		let administrator: User;
		const adminActor = () => ({ id: administrator.id, label: administrator.email, ipAddress: '192.0.2.20' });
		/** Enrols `who` at T0 in a session of their own and returns the key. */
		function enrolOther(who: User) {
			const own = generateSessionToken();
			createSession(db, own, who.id, {}, T0);
			const secret = pendingSecret(db, ADMIN_ACTOR, who, T0);
			if (!confirmEnrolment(db, ADMIN_ACTOR, who, currentCode(secret, T0), hashToken(own), T0).ok) throw new Error('enrolment failed');
			return secret;
		}
		beforeEach(() => {
			administrator = insertUser(db, { roles: ['mc_admin'] });
			enrol();
		});

		it('resets with the administrator’s current code', () => {
			const secret = enrolOther(administrator);
			expect(resetOthersTwoFactor(db, adminActor(), administrator, person, currentCode(secret, seconds(30)), seconds(30))).toEqual({
				ok: true
			});
			expect(isTwoFactorEnabled(db, person.id)).toBe(false);
			expect(db.select().from(session).where(eq(session.userId, person.id)).all()).toEqual([]);
			expect(actions().at(-1)).toBe('auth.two_factor_reset');
		});

		it('refuses a wrong code, or the person’s own code, and leaves everything as it was', () => {
			enrolOther(administrator);
			const personsSecret = pendingSecret(db, ADMIN_ACTOR, person, T0);
			expect(resetOthersTwoFactor(db, adminActor(), administrator, person, '000000', seconds(30))).toEqual({
				ok: false,
				reason: 'invalid'
			});
			expect(resetOthersTwoFactor(db, adminActor(), administrator, person, currentCode(personsSecret, seconds(60)), seconds(60))).toEqual({
				ok: false,
				reason: 'invalid'
			});
			expect(isTwoFactorEnabled(db, person.id)).toBe(true);
			expect(db.select().from(session).where(eq(session.userId, person.id)).all()).toHaveLength(1);
		});

		it('is throttled like any code check', () => {
			const secret = enrolOther(administrator);
			// Guess until the throttle answers (how many guesses it allows is the throttle's business).
			let result: ReturnType<typeof resetOthersTwoFactor> = { ok: false, reason: 'invalid' };
			for (let guess = 0; guess < 20 && !('retryAt' in result); guess++)
				result = resetOthersTwoFactor(db, adminActor(), administrator, person, '000000', seconds(30));
			expect(result).toMatchObject({ ok: false, reason: 'throttled' });
			expect(resetOthersTwoFactor(db, adminActor(), administrator, person, currentCode(secret, seconds(31)), seconds(31))).toMatchObject({
				ok: false,
				reason: 'throttled'
			});
			expect(isTwoFactorEnabled(db, person.id)).toBe(true);
		});

		it('needs the administrator to have an authenticator of their own', () => {
			expect(resetOthersTwoFactor(db, adminActor(), administrator, person, '123456', seconds(30))).toEqual({
				ok: false,
				reason: 'no_own_factor'
			});
			expect(isTwoFactorEnabled(db, person.id)).toBe(true);
		});

		it('is not the way to change one’s own, nor for someone without one', () => {
			const secret = enrolOther(administrator);
			expect(resetOthersTwoFactor(db, adminActor(), administrator, administrator, currentCode(secret, seconds(30)), seconds(30))).toEqual({
				ok: false,
				reason: 'own'
			});
			const without = insertUser(db, { roles: ['mc_cert_admin'] });
			expect(resetOthersTwoFactor(db, adminActor(), administrator, without, currentCode(secret, seconds(60)), seconds(60))).toEqual({
				ok: false,
				reason: 'not_enabled'
			});
		});
	});

	it('new recovery codes replace all earlier ones', () => {
		const { recoveryCodes } = enrol();
		const renewed = renewRecoveryCodes(db, ADMIN_ACTOR, person, seconds(5));
		expect(renewed).toHaveLength(RECOVERY_CODE_COUNT);
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, recoveryCodes[0], 'sign_in', undefined, seconds(6)).ok).toBe(false);
		expect(verifySecondFactor(db, ADMIN_ACTOR, person, renewed[0], 'sign_in', undefined, seconds(7)).ok).toBe(true);
	});
});
