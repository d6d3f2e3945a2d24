import { and, asc, eq, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db';
import { emailToken, session, twoFactor, user, userRole, type Role, type User } from '../db/schema';
import { audit, type Actor } from '../actor';
import { findUserByEmail, getUser, normaliseEmail } from '../auth/accounts';
import { issueToken } from '../auth/email-links';
import { invalidateUserSessions } from '../auth/session';
import { revokeFeedTokens } from '../auth/feed-tokens';
import { openLeaverTask } from './leavers';
import { enqueueWebhookEvent } from '../webhooks/outbox';
import { MAIN_CONNECTOR_ROLES, TENANT_ROLES } from '../../domain';

/** A person, only when they belong to the organisation named in `scope` (null: the main connector). */
export function getPersonInScope(db: Db, id: string, scope: { tenantId: string | null }): User | undefined {
	const person = getUser(db, id);
	return person && person.tenantId === scope.tenantId ? person : undefined;
}

/** The main connector's people hold its roles, a tenant's people the tenant roles; never a mix. */
export function rolesFitOrganisation(tenantId: string | null, roles: readonly Role[]): boolean {
	const allowed: readonly Role[] = tenantId ? TENANT_ROLES : MAIN_CONNECTOR_ROLES;
	return roles.length > 0 && roles.every((role) => allowed.includes(role));
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
	return people.map((p) => ({
		...p,
		roles: roles.filter((r) => r.userId === p.id).map((r) => r.role),
		twoFactorEnabled: withTwoFactor.has(p.id)
	}));
}

export interface InviteInput {
	email: string;
	name: string;
	tenantId: string | null;
	roles: Role[];
}

export type InviteResult = { ok: true; userId: string; token: string } | { ok: false; reason: 'email_taken' | 'roles_not_allowed' };

/** Creates the person as invited and returns the single-use link token to e-mail them. */
export function invitePerson(db: Db, actor: Actor, input: InviteInput, now = new Date()): InviteResult {
	const email = normaliseEmail(input.email);
	if (!rolesFitOrganisation(input.tenantId, input.roles)) return { ok: false, reason: 'roles_not_allowed' };
	return db.transaction((tx) => {
		if (findUserByEmail(tx, email)) return { ok: false, reason: 'email_taken' } as const;
		const userId = crypto.randomUUID();
		tx.insert(user)
			.values({ id: userId, email, name: input.name.trim(), tenantId: input.tenantId, status: 'invited', createdAt: now })
			.run();
		tx.insert(userRole)
			.values(input.roles.map((role) => ({ userId, role })))
			.run();
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
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: 'person.invite_resend',
			targetType: 'user',
			targetId: person.id,
			summary: person.email
		});
		return token;
	});
}

/** Deactivating is also how the main connector hears that someone left (agreement §6): see leavers.ts. */
/** Ends a person's access. Nobody deactivates themselves: it would lock an organisation's last administrator out. */
export function deactivatePerson(db: Db, actor: Actor, person: User, now = new Date()): { ok: true } | { ok: false; reason: 'self' } {
	if (actor.id === person.id) return { ok: false, reason: 'self' };
	return db.transaction((tx) => {
		tx.update(user).set({ status: 'deactivated', deactivatedAt: now }).where(eq(user.id, person.id)).run();
		tx.delete(emailToken).where(eq(emailToken.userId, person.id)).run();
		invalidateUserSessions(tx, person.id);
		// Like sessions, a calendar feed address must not come back to life if the person is reactivated.
		revokeFeedTokens(tx, person.id, now);
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: 'person.deactivate',
			targetType: 'user',
			targetId: person.id,
			summary: person.email
		});
		if (person.status !== 'deactivated') {
			openLeaverTask(tx, actor, person, now);
			enqueueWebhookEvent(tx, 'person.deactivated', { userId: person.id, tenantId: person.tenantId }, now);
		}
		return { ok: true } as const;
	});
}

/** Brings a deactivated person back; they set a new password through a fresh invitation link. */
export function reactivatePerson(db: Db, actor: Actor, person: User, now = new Date()): string {
	return db.transaction((tx) => {
		tx.update(user).set({ status: 'invited', deactivatedAt: null, passwordHash: null }).where(eq(user.id, person.id)).run();
		const token = issueToken(tx, person.id, 'invitation', now);
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: 'person.reactivate',
			targetType: 'user',
			targetId: person.id,
			summary: person.email
		});
		return token;
	});
}

export type SetRolesResult = { ok: true; added: Role[] } | { ok: false; reason: 'own_roles' | 'roles_not_allowed' };

/**
 * Replaces the person's roles and tells which were added. Nobody changes their own roles: granting
 * oneself more would bypass the other administrators, and dropping one's own could lock the
 * organisation out (separation of duties, ASVS V1.4.x / V4.1.x).
 */
export function setRoles(db: Db, actor: Actor, person: User, roles: Role[]): SetRolesResult {
	if (actor.id === person.id) return { ok: false, reason: 'own_roles' };
	if (!rolesFitOrganisation(person.tenantId, roles)) return { ok: false, reason: 'roles_not_allowed' };
	return db.transaction((tx) => {
		const before = tx
			.select({ role: userRole.role })
			.from(userRole)
			.where(eq(userRole.userId, person.id))
			.all()
			.map((row) => row.role);
		tx.delete(userRole).where(eq(userRole.userId, person.id)).run();
		tx.insert(userRole)
			.values(roles.map((role) => ({ userId: person.id, role })))
			.run();
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: 'person.roles_change',
			targetType: 'user',
			targetId: person.id,
			summary: roles.join(', ')
		});
		return { ok: true, added: roles.filter((role) => !before.includes(role)) } as const;
	});
}

/** A new password ends every other session and the calendar feed: whoever knew the old one is shut out. */
export function changePassword(db: Db, actor: Actor, person: User, passwordHash: string, keepSessionId: string, now = new Date()): void {
	db.transaction((tx) => {
		tx.update(user).set({ passwordHash }).where(eq(user.id, person.id)).run();
		tx.delete(session)
			.where(and(eq(session.userId, person.id), ne(session.id, keepSessionId)))
			.run();
		revokeFeedTokens(tx, person.id, now);
		audit(tx, actor, { tenantId: person.tenantId, action: 'auth.password_change', targetType: 'user', targetId: person.id });
	});
}

/** The language e-mail to this person is written in; follows their choice in the portal. */
export function setUserLocale(db: Db, actor: Actor, userId: string, locale: 'fi' | 'sv' | 'en'): void {
	db.transaction((tx) => {
		const result = tx
			.update(user)
			.set({ locale })
			.where(and(eq(user.id, userId), ne(user.locale, locale)))
			.run();
		if (result.changes) audit(tx, actor, { action: 'account.locale', targetType: 'user', targetId: userId, summary: locale });
	});
}
