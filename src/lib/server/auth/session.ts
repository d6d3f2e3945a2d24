import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { prepared } from '../db/prepared';
import { session, twoFactor, user, userRole, type Role, type Session, type User } from '../db/schema';
import { requiresTwoFactor } from './two-factor';
import { config } from '../config';
import type { SessionLimits } from './session-limits';

/** Idle expiry is stored at most once a minute, so reads do not turn into a write per request. */
const RENEW_STEP_MS = 60 * 1000;

/** The signed-in person as every load, action and endpoint sees them. */
export interface SessionUser {
	id: string;
	email: string;
	name: string;
	tenantId: string | null;
	roles: Role[];
}

/**
 * Where a session stands after the password: `done` may use the portal; `verify` must give the
 * code from their authenticator; `enrol` must set one up first (their role requires it).
 */
export type SecondFactorStep = 'done' | 'verify' | 'enrol';

export interface SessionValidation {
	session: Session | null;
	user: SessionUser | null;
	secondFactor: SecondFactorStep;
}

/** 20 random bytes in base32: 160 bits, safe to put in a cookie. */
export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** Only this digest is stored, so a leaked database holds no usable session. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function createSession(
	db: DbOrTx,
	token: string,
	userId: string,
	client: { ipAddress?: string; userAgent?: string } = {},
	now = new Date(),
	limits: SessionLimits = config.sessionLimits,
	/** Set for a sign-in through an OpenID Connect provider. */
	sso?: { provider: string; idToken: string; mfa: boolean }
): Session {
	const row = {
		id: hashToken(token),
		userId,
		// `expiresAt` is the idle end; the absolute end is always `createdAt` + the absolute limit.
		expiresAt: new Date(now.getTime() + Math.min(limits.idleMs, limits.absoluteMs)),
		createdAt: now,
		ipAddress: client.ipAddress ?? '',
		userAgent: (client.userAgent ?? '').slice(0, 400),
		twoFactorVerifiedAt: null,
		oidcProvider: sso?.provider ?? null,
		oidcIdToken: sso?.idToken ?? null,
		mfaByProvider: sso?.mfa ?? false
	};
	db.insert(session).values(row).run();
	return row;
}

/** When this session ends however busy it is: a fixed time after sign-in (ASVS V3.3.2). */
export function sessionAbsoluteEnd(current: Pick<Session, 'createdAt'>, limits: SessionLimits = config.sessionLimits): Date {
	return new Date(current.createdAt.getTime() + limits.absoluteMs);
}

export function validateSessionToken(
	db: DbOrTx,
	token: string,
	now = new Date(),
	limits: SessionLimits = config.sessionLimits
): SessionValidation {
	const sessionId = hashToken(token);
	const found = prepared(db, 'session.validate', () =>
		db
			.select({ session, user, twoFactorEnabledAt: twoFactor.enabledAt })
			.from(session)
			.innerJoin(user, eq(session.userId, user.id))
			.leftJoin(twoFactor, eq(twoFactor.userId, user.id))
			.where(eq(session.id, sql.placeholder('id')))
			.prepare()
	).get({ id: sessionId });
	const none: SessionValidation = { session: null, user: null, secondFactor: 'done' };
	if (!found) return none;
	const { session: current, user: person } = found;
	const absoluteEnd = sessionAbsoluteEnd(current, limits).getTime();
	if (now.getTime() >= current.expiresAt.getTime() || now.getTime() >= absoluteEnd || person.status !== 'active') {
		db.delete(session).where(eq(session.id, sessionId)).run();
		return none;
	}
	// Being used moves the idle end forward, never past the absolute end.
	const idleEnd = Math.min(now.getTime() + limits.idleMs, absoluteEnd);
	if (idleEnd - current.expiresAt.getTime() >= RENEW_STEP_MS) {
		current.expiresAt = new Date(idleEnd);
		db.update(session).set({ expiresAt: current.expiresAt }).where(eq(session.id, sessionId)).run();
	}
	const sessionUser = toSessionUser(db, person);
	// A provider that asserted multi-factor authentication has done the second step already.
	const secondFactor: SecondFactorStep = current.mfaByProvider
		? 'done'
		: found.twoFactorEnabledAt
			? current.twoFactorVerifiedAt
				? 'done'
				: 'verify'
			: requiresTwoFactor(sessionUser.roles)
				? 'enrol'
				: 'done';
	return { session: current, user: sessionUser, secondFactor };
}

export function toSessionUser(db: DbOrTx, person: User): SessionUser {
	const roles = prepared(db, 'session.roles', () =>
		db
			.select({ role: userRole.role })
			.from(userRole)
			.where(eq(userRole.userId, sql.placeholder('userId')))
			.prepare()
	)
		.all({ userId: person.id })
		.map((r) => r.role);
	return { id: person.id, email: person.email, name: person.name, tenantId: person.tenantId, roles };
}

export function invalidateSession(db: DbOrTx, sessionId: string): void {
	db.delete(session).where(eq(session.id, sessionId)).run();
}

/** "Sign out everywhere", deactivation and password changes all end every session of the person. */
export function invalidateUserSessions(db: DbOrTx, userId: string): void {
	db.delete(session).where(eq(session.userId, userId)).run();
}
