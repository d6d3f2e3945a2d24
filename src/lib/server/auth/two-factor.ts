import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import {
	decodeBase32IgnorePadding,
	encodeBase32LowerCaseNoPadding,
	encodeBase32UpperCaseNoPadding,
	encodeHexLowerCase
} from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { and, count, eq, isNotNull, isNull, like, not, or } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { recoveryCode, session, twoFactor, type Role } from '../db/schema';
import { audit, SYSTEM_ACTOR, type Actor } from '../actor';
import { config } from '../config';
import { isSealedUnder, keyId, openSecret, sealSecret } from './secret-box';
import { revokeFeedTokens } from './feed-tokens';
import { reserveAttempt, settleSuccess, type ThrottleSubject } from './throttle';

/** The parameters every authenticator app assumes when the key URI does not say otherwise. */
const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;
export const RECOVERY_CODE_COUNT = 10;
/** An enrolment key not confirmed within this time is replaced by a fresh one. */
const PENDING_LIFETIME_MS = 60 * 60 * 1000;

/** The people who can bind the main connector or change every tenant's data must use a second factor. */
const REQUIRED_FOR: readonly Role[] = ['mc_admin', 'mc_signatory'];

export function requiresTwoFactor(roles: readonly Role[]): boolean {
	return roles.some((role) => REQUIRED_FOR.includes(role));
}

/** Whose second factor is checked; `tenantId` files the audit entries with the person's organisation. */
export interface TwoFactorPerson {
	id: string;
	email: string;
	tenantId: string | null;
}

/** Acts that ask a signed-in person to confirm who they are again (see step-up). */
export type StepUpPurpose = 'signature' | 'notice' | 'rescind' | 'plan_approval' | 'risk_acceptance';

export type CodeRefused = { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAt: Date };
export type CodeCheck = { ok: true; method: 'totp' | 'recovery' } | CodeRefused;

export function isTwoFactorEnabled(db: DbOrTx, userId: string): boolean {
	return db.select({ enabledAt: twoFactor.enabledAt }).from(twoFactor).where(eq(twoFactor.userId, userId)).get()?.enabledAt != null;
}

export function twoFactorSummary(db: DbOrTx, userId: string): { enabled: boolean; recoveryCodesLeft: number } {
	const left = db
		.select({ n: count() })
		.from(recoveryCode)
		.where(and(eq(recoveryCode.userId, userId), isNull(recoveryCode.usedAt)))
		.get();
	return { enabled: isTwoFactorEnabled(db, userId), recoveryCodesLeft: left?.n ?? 0 };
}

// A sealed key opens only on its owner's row (see secret-box).
const sealKey = (userId: string, secret: string) => sealSecret(secret, `two_factor:${userId}`, config.secretKey);
const openKey = (userId: string, stored: string) =>
	openSecret(stored, `two_factor:${userId}`, [config.secretKey, config.previousSecretKey]);

/**
 * Seals, under the current LIITOS_SECRET_KEY, the authenticator keys stored in plain (from before
 * a key was set) or under LIITOS_SECRET_KEY_PREVIOUS (a key being replaced); run at start-up.
 * Keys that open with neither are left as they are. Returns how many people's keys were sealed.
 */
export function sealStoredKeys(db: Db): number {
	const key = config.secretKey;
	if (!key) return 0;
	const current = `sealed:v1:${keyId(key)}:%`;
	const notCurrent = (column: typeof twoFactor.secret | typeof twoFactor.pendingSecret) =>
		and(isNotNull(column), not(like(column, current)));
	const reseal = (userId: string, value: string | null) => {
		if (value === null || isSealedUnder(value, key)) return value;
		try {
			return sealKey(userId, openKey(userId, value));
		} catch {
			return value; // sealed under a key not set now: keysSealedElsewhere reports it
		}
	};
	const rows = db
		.select()
		.from(twoFactor)
		.where(or(notCurrent(twoFactor.secret), notCurrent(twoFactor.pendingSecret)))
		.all();
	let sealed = 0;
	db.transaction((tx) => {
		for (const row of rows) {
			const secret = reseal(row.userId, row.secret);
			const pendingSecret = reseal(row.userId, row.pendingSecret);
			if (secret === row.secret && pendingSecret === row.pendingSecret) continue;
			tx.update(twoFactor).set({ secret, pendingSecret }).where(eq(twoFactor.userId, row.userId)).run();
			sealed++;
		}
		if (sealed)
			audit(tx, SYSTEM_ACTOR, {
				tenantId: null,
				action: 'auth.two_factor_keys_sealed',
				targetType: 'two_factor',
				targetId: '',
				summary: `${sealed}`
			});
	});
	return sealed;
}

/**
 * How many people's keys are sealed under a key other than LIITOS_SECRET_KEY (or with none set):
 * after `sealStoredKeys`, those people cannot sign in until the right key is set or their second
 * factor is reset.
 */
export function keysSealedElsewhere(db: Db): number {
	const current = config.secretKey ? `sealed:v1:${keyId(config.secretKey)}:%` : '';
	return (
		db
			.select({ n: count() })
			.from(twoFactor)
			.where(and(like(twoFactor.secret, 'sealed:%'), not(like(twoFactor.secret, current))))
			.get()?.n ?? 0
	);
}

/**
 * The key shown while enrolling: kept for an hour so reloading the page does not change the QR
 * code. It counts for nothing until a code proves it (`confirmEnrolment`).
 */
export function pendingSecret(db: Db, actor: Actor, person: TwoFactorPerson, now = new Date()): string {
	const row = db.select().from(twoFactor).where(eq(twoFactor.userId, person.id)).get();
	if (row?.pendingSecret && row.pendingCreatedAt && now.getTime() - row.pendingCreatedAt.getTime() < PENDING_LIFETIME_MS) {
		try {
			return openKey(person.id, row.pendingSecret);
		} catch {
			// sealed under a key no longer set: nothing proved it yet, so a new one will do
		}
	}
	const key = new Uint8Array(20);
	crypto.getRandomValues(key);
	const secret = encodeBase32UpperCaseNoPadding(key);
	const stored = sealKey(person.id, secret);
	db.transaction((tx) => {
		tx.insert(twoFactor)
			.values({ userId: person.id, pendingSecret: stored, pendingCreatedAt: now })
			.onConflictDoUpdate({ target: twoFactor.userId, set: { pendingSecret: stored, pendingCreatedAt: now } })
			.run();
		audit(tx, actor, { tenantId: person.tenantId, action: 'auth.two_factor_enrolment_started', targetType: 'user', targetId: person.id });
	});
	return secret;
}

/** What an authenticator app reads from the QR code. */
export function keyUri(secret: string, accountName: string, issuer: string): string {
	return createTOTPKeyURI(issuer, accountName, decodeBase32IgnorePadding(secret), TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The code an authenticator shows at `now` (for the demo seed's printout and the tests). */
export function currentCode(secret: string, now = new Date(), stepOffset = 0): string {
	return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(timeStep(now) + stepOffset), TOTP_DIGITS);
}

const timeStep = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);

const normaliseCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

/**
 * Recovery codes carry 50 bits, fewer than a key; a random salt per code makes a stolen table
 * useless for precomputed guessing (ASVS 2.6.2).
 */
function hashRecoveryCode(salt: string, code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(`${salt}:${normaliseCode(code)}`)));
}

/**
 * The time step whose code matches, or null. One step either side absorbs clock drift and
 * the seconds spent typing; steps at or before `after` are refused so a code works only once.
 */
export function matchingStep(secret: string, code: string, after: number, now = new Date()): number | null {
	const typed = new TextEncoder().encode(normaliseCode(code));
	if (typed.length !== TOTP_DIGITS) return null;
	const key = decodeBase32IgnorePadding(secret);
	const current = timeStep(now);
	for (const step of [current - 1, current, current + 1]) {
		if (step <= after) continue;
		if (constantTimeEqual(new TextEncoder().encode(generateHOTP(key, BigInt(step), TOTP_DIGITS)), typed)) return step;
	}
	return null;
}

function newRecoveryCodes(tx: DbOrTx, userId: string, now: Date): string[] {
	tx.delete(recoveryCode).where(eq(recoveryCode.userId, userId)).run();
	const codes: string[] = [];
	for (let i = 0; i < RECOVERY_CODE_COUNT; i++) {
		const bytes = new Uint8Array(7);
		crypto.getRandomValues(bytes);
		const raw = encodeBase32LowerCaseNoPadding(bytes).slice(0, 10);
		codes.push(`${raw.slice(0, 5)}-${raw.slice(5)}`);
		const salt = encodeHexLowerCase(crypto.getRandomValues(new Uint8Array(16)));
		tx.insert(recoveryCode)
			.values({ id: crypto.randomUUID(), salt, codeHash: hashRecoveryCode(salt, raw), userId, createdAt: now })
			.run();
	}
	return codes;
}

const throttleOf = (userId: string): ThrottleSubject[] => [{ kind: 'second_factor', userId }];

/** Counts the attempt before the code is checked (see `reserveAttempt`); null when it may go ahead. */
function reserve(db: Db, person: TwoFactorPerson, now: Date): CodeRefused | null {
	const reserved = reserveAttempt(db, throttleOf(person.id), now);
	return reserved.ok ? null : { ok: false, reason: 'throttled', retryAt: reserved.retryAt };
}

function failed(db: Db, actor: Actor, person: TwoFactorPerson, purpose: string): CodeRefused {
	audit(db, actor, {
		tenantId: person.tenantId,
		action: 'auth.second_factor_failed',
		targetType: 'user',
		targetId: person.id,
		summary: purpose
	});
	return { ok: false, reason: 'invalid' };
}

/**
 * Proves the enrolment key with a code from the app, turns two-factor sign-in on (replacing an
 * earlier authenticator) and returns fresh recovery codes, which are shown once and stored hashed.
 * `sessionId` is the session enrolling: it counts as verified from now on.
 */
export function confirmEnrolment(
	db: Db,
	actor: Actor,
	person: TwoFactorPerson,
	code: string,
	sessionId: string,
	now = new Date()
): { ok: true; recoveryCodes: string[] } | CodeRefused {
	const refused = reserve(db, person, now);
	if (refused) return refused;
	const row = db.select().from(twoFactor).where(eq(twoFactor.userId, person.id)).get();
	const step = row?.pendingSecret ? matchingStep(openKey(person.id, row.pendingSecret), code, 0, now) : null;
	if (!row?.pendingSecret || step === null) return failed(db, actor, person, 'enrolment');
	const secret = row.pendingSecret; // moves to `secret` as stored, sealed or not
	const recoveryCodes = db.transaction((tx) => {
		tx.update(twoFactor)
			.set({ secret, enabledAt: now, lastCounter: step, pendingSecret: null, pendingCreatedAt: null })
			.where(eq(twoFactor.userId, person.id))
			.run();
		tx.update(session).set({ twoFactorVerifiedAt: now }).where(eq(session.id, sessionId)).run();
		settleSuccess(tx, throttleOf(person.id));
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: 'auth.two_factor_enabled',
			targetType: 'user',
			targetId: person.id,
			summary: row.enabledAt ? 'authenticator replaced' : ''
		});
		return newRecoveryCodes(tx, person.id, now);
	});
	return { ok: true, recoveryCodes };
}

/**
 * Checks a code from the authenticator, or one unused recovery code, with throttling. With
 * `sessionId` (signing in) the session is marked verified in the same transaction; without it
 * (a signature's step-up) only the check is recorded.
 */
export function verifySecondFactor(
	db: Db,
	actor: Actor,
	person: TwoFactorPerson,
	code: string,
	purpose: 'sign_in' | 'settings' | StepUpPurpose,
	sessionId?: string,
	now = new Date()
): CodeCheck {
	const refused = reserve(db, person, now);
	if (refused) return refused;
	const row = db.select().from(twoFactor).where(eq(twoFactor.userId, person.id)).get();
	if (!row?.secret || !row.enabledAt) return failed(db, actor, person, purpose);
	const secret = openKey(person.id, row.secret);

	const result = db.transaction((tx): CodeCheck | null => {
		let method: 'totp' | 'recovery';
		const step = matchingStep(secret, code, row.lastCounter, now);
		if (step !== null) {
			// Conditional on the last step, so two requests racing with one code cannot both pass.
			const moved = tx
				.update(twoFactor)
				.set({ lastCounter: step })
				.where(and(eq(twoFactor.userId, person.id), eq(twoFactor.lastCounter, row.lastCounter)))
				.run();
			if (moved.changes !== 1) return null;
			method = 'totp';
		} else {
			const unused = tx
				.select()
				.from(recoveryCode)
				.where(and(eq(recoveryCode.userId, person.id), isNull(recoveryCode.usedAt)))
				.all();
			const typed = new TextEncoder().encode(normaliseCode(code));
			const match =
				typed.length === 10
					? unused.find((r) =>
							constantTimeEqual(new TextEncoder().encode(hashRecoveryCode(r.salt, code)), new TextEncoder().encode(r.codeHash))
						)
					: undefined;
			if (!match) return null;
			const used = tx
				.update(recoveryCode)
				.set({ usedAt: now })
				.where(and(eq(recoveryCode.id, match.id), isNull(recoveryCode.usedAt)))
				.run();
			if (used.changes !== 1) return null;
			method = 'recovery';
		}
		if (sessionId) tx.update(session).set({ twoFactorVerifiedAt: now }).where(eq(session.id, sessionId)).run();
		settleSuccess(tx, throttleOf(person.id));
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: 'auth.second_factor',
			targetType: 'user',
			targetId: person.id,
			summary: `${purpose}, ${method === 'totp' ? 'authenticator' : 'recovery code'}`
		});
		return { ok: true, method };
	});
	return result ?? failed(db, actor, person, purpose);
}

/** New recovery codes replace every earlier one, used or not. */
export function renewRecoveryCodes(db: Db, actor: Actor, person: TwoFactorPerson, now = new Date()): string[] {
	return db.transaction((tx) => {
		audit(tx, actor, { tenantId: person.tenantId, action: 'auth.recovery_codes_renewed', targetType: 'user', targetId: person.id });
		return newRecoveryCodes(tx, person.id, now);
	});
}

/**
 * Removes the authenticator and recovery codes. Turned off by the person themselves, their
 * sessions stay; reset by an administrator (a lost phone), every session of the person ends so
 * the next sign-in has to enrol again, and their calendar feed address stops working.
 */
export function removeTwoFactor(db: Db, actor: Actor, person: TwoFactorPerson, by: 'self' | 'administrator', now = new Date()): void {
	db.transaction((tx) => {
		tx.delete(twoFactor).where(eq(twoFactor.userId, person.id)).run();
		tx.delete(recoveryCode).where(eq(recoveryCode.userId, person.id)).run();
		// A reset is for a lost phone: whoever has it may also hold open sessions or the feed address.
		if (by === 'administrator') {
			tx.delete(session).where(eq(session.userId, person.id)).run();
			revokeFeedTokens(tx, person.id, now);
		}
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: by === 'self' ? 'auth.two_factor_disabled' : 'auth.two_factor_reset',
			targetType: 'user',
			targetId: person.id
		});
	});
}

export type ResetRefused = { ok: false; reason: 'own' | 'not_enabled' | 'no_own_factor' } | CodeRefused;

/**
 * An administrator resets someone else's second factor (a lost phone). That strips the person's
 * strongest protection, so the administrator first proves it is really them with a code from their
 * own authenticator (step-up, ASVS V2.8.x / V4.3.x): a session left open is not enough. One's own
 * second factor is changed on the account page instead.
 */
export function resetOthersTwoFactor(
	db: Db,
	actor: Actor,
	administrator: TwoFactorPerson,
	person: TwoFactorPerson,
	code: string,
	now = new Date()
): { ok: true } | ResetRefused {
	if (administrator.id === person.id) return { ok: false, reason: 'own' };
	if (!isTwoFactorEnabled(db, person.id)) return { ok: false, reason: 'not_enabled' };
	if (!isTwoFactorEnabled(db, administrator.id)) return { ok: false, reason: 'no_own_factor' };
	const check = verifySecondFactor(db, actor, administrator, code, 'settings', undefined, now);
	if (!check.ok) return check;
	removeTwoFactor(db, actor, person, 'administrator', now);
	return { ok: true };
}
