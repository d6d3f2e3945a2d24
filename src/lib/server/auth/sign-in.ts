import type { Db } from '../db';
import type { User } from '../db/schema';
import { audit } from '../actor';
import { findUserByEmail, normaliseEmail } from './accounts';
import { reserveAttempt, settleSuccess, type ThrottleSubject } from './throttle';
import { decoyPasswordHash, verifyPassword } from './password';
import { revokeFeedTokens } from './feed-tokens';
import { getPolicy, organisationKey } from './oidc-policy';
import { createSession, generateSessionToken, invalidateSession, invalidateUserSessions, type SessionUser } from './session';

export interface Client {
	ipAddress: string;
	userAgent: string;
}

export type SignInResult =
	| { ok: true; token: string; user: User }
	| { ok: false; reason: 'invalid' | 'sso_only' }
	| { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * Checks the password and opens a session. The attempt is counted per account and per address
 * before the (slow) hash is checked, so guesses sent in parallel are throttled like serial ones.
 */
export async function signIn(db: Db, emailInput: string, password: string, client: Client, now = new Date()): Promise<SignInResult> {
	const email = normaliseEmail(emailInput);
	const subjects: ThrottleSubject[] = [
		{ kind: 'account', email },
		{ kind: 'address', ip: client.ipAddress }
	];
	const reserved = reserveAttempt(db, subjects, now);
	if (!reserved.ok) return { ok: false, reason: 'throttled', retryAt: reserved.retryAt };

	const person = findUserByEmail(db, email);
	const usable = person?.status === 'active' && person.passwordHash ? person.passwordHash : null;
	// Verify even without an account so the response time does not tell which e-mails exist.
	const valid = (await verifyPassword(usable ?? (await decoyPasswordHash()), password)) && usable !== null;

	if (!valid || !person) {
		audit(
			db,
			{ id: person?.id ?? null, label: email, ipAddress: client.ipAddress },
			{
				tenantId: person?.tenantId ?? null,
				action: 'auth.sign_in_failed',
				targetType: 'user',
				targetId: person?.id ?? ''
			}
		);
		return { ok: false, reason: 'invalid' };
	}

	// Only someone who knows the password learns that their organisation signs in elsewhere.
	if (getPolicy(db, organisationKey(person.tenantId)).ssoOnly) {
		audit(
			db,
			{ id: person.id, label: person.email, ipAddress: client.ipAddress },
			{
				tenantId: person.tenantId,
				action: 'auth.sign_in_failed',
				targetType: 'user',
				targetId: person.id,
				summary: 'password refused: single sign-on only'
			}
		);
		return { ok: false, reason: 'sso_only' };
	}

	const token = generateSessionToken();
	db.transaction((tx) => {
		settleSuccess(tx, subjects);
		createSession(tx, token, person.id, client, now);
		audit(
			tx,
			{ id: person.id, label: person.email, ipAddress: client.ipAddress },
			{
				tenantId: person.tenantId,
				action: 'auth.sign_in',
				targetType: 'user',
				targetId: person.id
			}
		);
	});
	return { ok: true, token, user: person };
}

export function signOut(db: Db, sessionId: string, person: SessionUser, client: Client, everywhere: boolean, now = new Date()): void {
	db.transaction((tx) => {
		if (everywhere) {
			invalidateUserSessions(tx, person.id);
			revokeFeedTokens(tx, person.id, now);
		} else invalidateSession(tx, sessionId);
		audit(
			tx,
			{ id: person.id, label: person.email, ipAddress: client.ipAddress },
			{
				tenantId: person.tenantId,
				action: everywhere ? 'auth.sign_out_everywhere' : 'auth.sign_out',
				targetType: 'user',
				targetId: person.id
			}
		);
	});
}
