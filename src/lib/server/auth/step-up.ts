import type { Db } from '../db';
import { audit, type Actor } from '../actor';
import { getUser } from './accounts';
import { decoyPasswordHash, verifyPassword } from './password';
import { reserveAttempt, settleSuccess, type ThrottleSubject } from './throttle';
import { isTwoFactorEnabled, verifySecondFactor, type StepUpPurpose, type TwoFactorPerson } from './two-factor';

export type { StepUpPurpose };

/** What a signed-in person types again before an act that binds them or their organisation. */
export interface Confirmation {
	password: string;
	/** The authenticator (or a recovery) code; asked only of people who use two-step sign-in. */
	code?: string;
}

export type StepUpRefused =
	| { ok: false; reason: 'wrong_password' }
	/** The person has no password (single sign-on only, or created at first sign-in): nothing to confirm with. */
	| { ok: false; reason: 'no_password' }
	| { ok: false; reason: 'wrong_code' }
	/** `field` is the secret whose guessing is blocked, so the message can stand beside it. */
	| { ok: false; reason: 'throttled'; retryAt: Date; field: 'password' | 'code' };

/**
 * The person's current password, checked with the same throttle as signing in (per account and
 * per address, the attempt counted before the hash): a stolen session is no way round it.
 */
export async function confirmPassword(
	db: Db,
	actor: Actor,
	person: TwoFactorPerson,
	password: string,
	purpose: StepUpPurpose | 'password_change',
	now = new Date()
): Promise<{ ok: true } | StepUpRefused> {
	const subjects: ThrottleSubject[] = [
		{ kind: 'account', email: person.email },
		{ kind: 'address', ip: actor.ipAddress }
	];
	const reserved = reserveAttempt(db, subjects, now);
	if (!reserved.ok) return { ok: false, reason: 'throttled', retryAt: reserved.retryAt, field: 'password' };
	const stored = getUser(db, person.id)?.passwordHash ?? null;
	const valid = (await verifyPassword(stored ?? (await decoyPasswordHash()), password)) && stored !== null;
	if (!valid) {
		audit(db, actor, {
			tenantId: person.tenantId,
			action: 'auth.step_up_failed',
			targetType: 'user',
			targetId: person.id,
			summary: purpose
		});
		return { ok: false, reason: 'wrong_password' };
	}
	settleSuccess(db, subjects);
	return { ok: true };
}

/** Whether the person has a password to confirm an act with (people who sign in only at a provider have none). */
export function hasPassword(db: Db, personId: string): boolean {
	return !!getUser(db, personId)?.passwordHash;
}

/**
 * Re-authentication before signing, countersigning, giving notice or rescinding: the password
 * and, for a person who uses an authenticator, its code. `withCode` says which was asked.
 */
export async function stepUp(
	db: Db,
	actor: Actor,
	person: TwoFactorPerson,
	confirmation: Confirmation,
	purpose: StepUpPurpose,
	now = new Date()
): Promise<{ ok: true; withCode: boolean } | StepUpRefused> {
	// Re-authenticating at the provider is not offered for these acts yet: refuse plainly, counting no guess.
	if (!hasPassword(db, person.id)) {
		audit(db, actor, {
			tenantId: person.tenantId,
			action: 'auth.step_up_failed',
			targetType: 'user',
			targetId: person.id,
			summary: `${purpose}: no password`
		});
		return { ok: false, reason: 'no_password' };
	}
	const password = await confirmPassword(db, actor, person, confirmation.password, purpose, now);
	if (!password.ok) return password;
	if (!isTwoFactorEnabled(db, person.id)) return { ok: true, withCode: false };
	const check = verifySecondFactor(db, actor, person, confirmation.code ?? '', purpose, undefined, now);
	if (check.ok) return { ok: true, withCode: true };
	return check.reason === 'throttled' ? { ...check, field: 'code' } : { ok: false, reason: 'wrong_code' };
}
