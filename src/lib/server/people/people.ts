import { and, asc, eq, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { emailToken, session, twoFactor, user, userRole, type Role, type TokenPurpose, type User } from '../db/schema';
import { audit, type Actor } from '../actor';
import { generateSessionToken, hashToken, invalidateUserSessions } from '../auth/session';
import { revokeFeedTokens } from '../calendar/feed-tokens';
import { openLeaverTask } from './leavers';

const HOUR_MS = 60 * 60 * 1000;
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
	invitation: 7 * 24 * HOUR_MS,
	password_reset: HOUR_MS
};

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export function findUserByEmail(db: DbOrTx, email: string): User | undefined {
	return db.select().from(user).where(eq(user.email, normaliseEmail(email))).get();
}

export function getUser(db: DbOrTx, id: string): User | undefined {
	return db.select().from(user).where(eq(user.id, id)).get();
}

export interface Person extends User {
	roles: Role[];
	twoFactorEnabled: boolean;
}

/** People of one tenant, or of the main connector when `tenantId` is null. */
export function listPeople(db: Db, tenantId: string | null): Person[] {
	const people = db
		.select()
		.from(user)
		.where(tenantId === null ? isNull(user.tenantId) : eq(user.tenantId, tenantId))
		.orderBy(asc(user.name))
		.all();
	if (people.length === 0) return [];
	const ids = people.map((p) => p.id);
	const roles = db.select().from(userRole).where(inArray(userRole.userId, ids)).all();
	const withTwoFactor = new Set(
		db
			.select({ userId: twoFactor.userId })
			.from(twoFactor)
			.where(and(inArray(twoFactor.userId, ids), isNotNull(twoFactor.enabledAt)))
			.all()
			.map((row) => row.userId)
	);
	return people.map((p) => ({ ...p, roles: roles.filter((r) => r.userId === p.id).map((r) => r.role), twoFactorEnabled: withTwoFactor.has(p.id) }));
}

function issueToken(tx: DbOrTx, userId: string, purpose: TokenPurpose, now: Date): string {
	// A new link replaces any unused earlier one of the same purpose.
	tx.delete(emailToken)
		.where(and(eq(emailToken.userId, userId), eq(emailToken.purpose, purpose), isNull(emailToken.usedAt)))
		.run();
	const token = generateSessionToken();
	tx.insert(emailToken)
		.values({ id: hashToken(token), userId, purpose, expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]), createdAt: now })
		.run();
	return token;
}

export interface InviteInput {
	email: string;
	name: string;
	tenantId: string | null;
	roles: Role[];
}

export type InviteResult = { ok: true; userId: string; token: string } | { ok: false; reason: 'email_taken' };

/** Creates the person as invited and returns the single-use link token to e-mail them. */
export function invitePerson(db: Db, actor: Actor, input: InviteInput, now = new Date()): InviteResult {
	const email = normaliseEmail(input.email);
	return db.transaction((tx) => {
		if (findUserByEmail(tx, email)) return { ok: false, reason: 'email_taken' } as const;
		const userId = crypto.randomUUID();
		tx.insert(user).values({ id: userId, email, name: input.name.trim(), tenantId: input.tenantId, status: 'invited', createdAt: now }).run();
		tx.insert(userRole).values(input.roles.map((role) => ({ userId, role }))).run();
		const token = issueToken(tx, userId, 'invitation', now);
		audit(tx, actor, {
			tenantId: input.tenantId,
			action: 'person.invite',
			targetType: 'user',
			targetId: userId,
			summary: `${email} (${input.roles.join(', ')})`
		});
		return { ok: true, userId, token } as const;
	});
}

/** A fresh invitation link for someone who has not accepted yet. */
export function resendInvitation(db: Db, actor: Actor, person: User, now = new Date()): string | null {
	if (person.status !== 'invited') return null;
	return db.transaction((tx) => {
		const token = issueToken(tx, person.id, 'invitation', now);
		audit(tx, actor, { tenantId: person.tenantId, action: 'person.invite_resend', targetType: 'user', targetId: person.id, summary: person.email });
		return token;
	});
}

/** The person a valid, unused, unexpired link belongs to. */
export function findTokenHolder(db: DbOrTx, token: string, purpose: TokenPurpose, now = new Date()): User | null {
	const row = db
		.select({ token: emailToken, user })
		.from(emailToken)
		.innerJoin(user, eq(emailToken.userId, user.id))
		.where(and(eq(emailToken.id, hashToken(token)), eq(emailToken.purpose, purpose)))
		.get();
	if (!row || row.token.usedAt || row.token.expiresAt <= now) return null;
	if (row.user.status === 'deactivated') return null;
	if (purpose === 'invitation' && row.user.status !== 'invited') return null;
	return row.user;
}

/**
 * Consumes a link and sets the password. The hash is computed by the caller beforehand because
 * argon2 is asynchronous and better-sqlite3 transactions are not.
 */
export function redeemToken(
	db: Db,
	token: string,
	purpose: TokenPurpose,
	passwordHash: string,
	client: { ipAddress: string; locale?: User['locale'] },
	now = new Date()
): User | null {
	return db.transaction((tx) => {
		const holder = findTokenHolder(tx, token, purpose, now);
		if (!holder) return null;
		tx.update(emailToken).set({ usedAt: now }).where(eq(emailToken.id, hashToken(token))).run();
		// The language an invitation is accepted in is the person's language for e-mail from then on.
		const locale = purpose === 'invitation' && client.locale ? { locale: client.locale } : {};
		tx.update(user).set({ passwordHash, status: 'active', ...locale }).where(eq(user.id, holder.id)).run();
		// A reset means the old password may be known to someone else: end every session and feed address.
		invalidateUserSessions(tx, holder.id);
		revokeFeedTokens(tx, holder.id, now);
		const actor = { id: holder.id, label: holder.email, ipAddress: client.ipAddress };
		audit(tx, actor, {
			tenantId: holder.tenantId,
			action: purpose === 'invitation' ? 'person.invitation_accepted' : 'auth.password_reset',
			targetType: 'user',
			targetId: holder.id
		});
		return { ...holder, ...locale, passwordHash, status: 'active' as const };
	});
}

/** Issues a reset link for an active person; null (and no hint why) otherwise. */
export function requestPasswordReset(db: Db, email: string, client: { ipAddress: string }, now = new Date()): { person: User; token: string } | null {
	const person = findUserByEmail(db, email);
	if (!person || person.status !== 'active') return null;
	return db.transaction((tx) => {
		const token = issueToken(tx, person.id, 'password_reset', now);
		audit(tx, { id: person.id, label: person.email, ipAddress: client.ipAddress }, {
			tenantId: person.tenantId,
			action: 'auth.password_reset_requested',
			targetType: 'user',
			targetId: person.id
		});
		return { person, token };
	});
}

/** Deactivating is also how the main connector hears that someone left (agreement §6): see leavers.ts. */
export function deactivatePerson(db: Db, actor: Actor, person: User, now = new Date()): void {
	db.transaction((tx) => {
		tx.update(user).set({ status: 'deactivated', deactivatedAt: now }).where(eq(user.id, person.id)).run();
		tx.delete(emailToken).where(eq(emailToken.userId, person.id)).run();
		invalidateUserSessions(tx, person.id);
		// Like sessions, a calendar feed address must not come back to life if the person is reactivated.
		revokeFeedTokens(tx, person.id, now);
		audit(tx, actor, { tenantId: person.tenantId, action: 'person.deactivate', targetType: 'user', targetId: person.id, summary: person.email });
		if (person.status !== 'deactivated') openLeaverTask(tx, actor, person, now);
	});
}

/** Brings a deactivated person back; they set a new password through a fresh invitation link. */
export function reactivatePerson(db: Db, actor: Actor, person: User, now = new Date()): string {
	return db.transaction((tx) => {
		tx.update(user).set({ status: 'invited', deactivatedAt: null, passwordHash: null }).where(eq(user.id, person.id)).run();
		const token = issueToken(tx, person.id, 'invitation', now);
		audit(tx, actor, { tenantId: person.tenantId, action: 'person.reactivate', targetType: 'user', targetId: person.id, summary: person.email });
		return token;
	});
}

export type SetRolesResult = { ok: true; added: Role[] } | { ok: false; reason: 'own_roles' };

/**
 * Replaces the person's roles and tells which were added. Nobody changes their own roles: granting
 * oneself more would bypass the other administrators, and dropping one's own could lock the
 * organisation out (separation of duties, ASVS V1.4.x / V4.1.x).
 */
export function setRoles(db: Db, actor: Actor, person: User, roles: Role[]): SetRolesResult {
	if (actor.id === person.id) return { ok: false, reason: 'own_roles' };
	return db.transaction((tx) => {
		const before = tx.select({ role: userRole.role }).from(userRole).where(eq(userRole.userId, person.id)).all().map((row) => row.role);
		tx.delete(userRole).where(eq(userRole.userId, person.id)).run();
		tx.insert(userRole).values(roles.map((role) => ({ userId: person.id, role }))).run();
		audit(tx, actor, { tenantId: person.tenantId, action: 'person.roles_change', targetType: 'user', targetId: person.id, summary: roles.join(', ') });
		return { ok: true, added: roles.filter((role) => !before.includes(role)) } as const;
	});
}

/** A new password ends every other session and the calendar feed: whoever knew the old one is shut out. */
export function changePassword(db: Db, actor: Actor, person: User, passwordHash: string, keepSessionId: string, now = new Date()): void {
	db.transaction((tx) => {
		tx.update(user).set({ passwordHash }).where(eq(user.id, person.id)).run();
		tx.delete(session).where(and(eq(session.userId, person.id), ne(session.id, keepSessionId))).run();
		revokeFeedTokens(tx, person.id, now);
		audit(tx, actor, { tenantId: person.tenantId, action: 'auth.password_change', targetType: 'user', targetId: person.id });
	});
}

/** The language e-mail to this person is written in; follows their choice in the portal. */
export function setUserLocale(db: Db, actor: Actor, userId: string, locale: 'fi' | 'sv' | 'en'): void {
	db.transaction((tx) => {
		const result = tx.update(user).set({ locale }).where(and(eq(user.id, userId), ne(user.locale, locale))).run();
		if (result.changes) audit(tx, actor, { action: 'account.locale', targetType: 'user', targetId: userId, summary: locale });
	});
}
