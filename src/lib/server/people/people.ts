import { and, asc, count, eq, exists, gt, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { emailToken, session, twoFactor, user, userRole, type Role, type User } from '../db/schema';
import { audit, auditor, type Actor } from '../actor';
import { getUser, normaliseEmail } from '../auth/accounts';
import { issueToken, tokenIssuer } from '../auth/email-links';
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

/** Which people `listPeople` and `countPeople` take: only active ones, and one page of them. */
export interface PeopleFilter {
	activeOnly?: boolean;
	/** 1-based; with `pageSize`, one page of the list (a large tenant has thousands of people). */
	page?: number;
	pageSize?: number;
	/** With `pageSize` instead of `page`: the people after this one in the list's order (a cursor). */
	after?: readonly [name: string, id: string];
}

function peopleWhere(tenantId: string | null, filter: PeopleFilter) {
	const after = filter.after;
	return and(
		tenantId === null ? isNull(user.tenantId) : eq(user.tenantId, tenantId),
		filter.activeOnly ? eq(user.status, 'active') : undefined,
		after ? or(gt(user.name, after[0]), and(eq(user.name, after[0]), gt(user.id, after[1]))) : undefined
	);
}

/** People of one tenant, or of the main connector when `tenantId` is null, by name. */
export function listPeople(db: Db, tenantId: string | null, filter: PeopleFilter = {}): Person[] {
	const query = db.select().from(user).where(peopleWhere(tenantId, filter)).orderBy(asc(user.name), asc(user.id));
	const people = filter.pageSize
		? query
				.limit(filter.pageSize)
				.offset((Math.max(filter.page ?? 1, 1) - 1) * filter.pageSize)
				.all()
		: query.all();
	if (people.length === 0) return [];
	// A page names its people; the whole list is named by its condition (thousands of bound ids cost more).
	const ids = filter.pageSize ? people.map((p) => p.id) : db.select({ id: user.id }).from(user).where(peopleWhere(tenantId, filter));
	const roles = new Map<string, Role[]>();
	for (const r of db.select().from(userRole).where(inArray(userRole.userId, ids)).all()) {
		const held = roles.get(r.userId);
		if (held) held.push(r.role);
		else roles.set(r.userId, [r.role]);
	}
	const withTwoFactor = new Set(
		db
			.select({ userId: twoFactor.userId })
			.from(twoFactor)
			.where(and(inArray(twoFactor.userId, ids), isNotNull(twoFactor.enabledAt)))
			.all()
			.map((row) => row.userId)
	);
	return people.map((p) => ({ ...p, roles: roles.get(p.id) ?? [], twoFactorEnabled: withTwoFactor.has(p.id) }));
}

/** How many people `listPeople` would list without paging. */
export function countPeople(db: Db, tenantId: string | null, filter: Pick<PeopleFilter, 'activeOnly'> = {}): number {
	return db.select({ n: count() }).from(user).where(peopleWhere(tenantId, filter)).get()?.n ?? 0;
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
	if (!rolesFitOrganisation(input.tenantId, input.roles)) return { ok: false, reason: 'roles_not_allowed' };
	return db.transaction((tx) => personInviter(tx)(actor, input, now));
}

/**
 * `invitePerson` for many people in one transaction (an import): the same rules and audit entries,
 * with the statements prepared once and no savepoint per person. Call it inside a transaction; an
 * invitation refused leaves nothing stored for that person.
 */
export function personInviter(tx: DbOrTx): (actor: Actor, input: InviteInput, now: Date) => InviteResult {
	const holder = tx
		.select({ id: user.id })
		.from(user)
		.where(eq(user.email, sql.placeholder('email')))
		.prepare();
	const insertPerson = tx
		.insert(user)
		.values({
			id: sql.placeholder('id'),
			email: sql.placeholder('email'),
			name: sql.placeholder('name'),
			tenantId: sql.placeholder('tenantId'),
			status: 'invited',
			createdAt: sql.placeholder('createdAt')
		})
		.prepare();
	const insertRole = tx
		.insert(userRole)
		.values({ userId: sql.placeholder('userId'), role: sql.placeholder('role') })
		.prepare();
	const issue = tokenIssuer(tx);
	const record = auditor(tx);
	return (actor, input, now) => {
		const email = normaliseEmail(input.email);
		if (!rolesFitOrganisation(input.tenantId, input.roles)) return { ok: false, reason: 'roles_not_allowed' };
		if (holder.get({ email })) return { ok: false, reason: 'email_taken' };
		const userId = crypto.randomUUID();
		insertPerson.run({ id: userId, email, name: input.name.trim(), tenantId: input.tenantId, createdAt: now });
		for (const role of new Set(input.roles)) insertRole.run({ userId, role });
		const token = issue(userId, 'invitation', now);
		record(actor, {
			tenantId: input.tenantId,
			action: 'person.invite',
			targetType: 'user',
			targetId: userId,
			summary: `${email} (${input.roles.join(', ')})`
		});
		return { ok: true, userId, token };
	};
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

/**
 * A short list of a tenant's active people to choose from where the whole list would be too long
 * for a select: those holding one of `roles`, and the people in `alsoIds` (those chosen already).
 */
export function listActivePeopleFor(
	db: Db,
	tenantId: string,
	roles: readonly Role[],
	alsoIds: readonly string[]
): Pick<User, 'id' | 'name'>[] {
	// Correlated, so SQLite walks the tenant's people and looks each one's roles up by key.
	const holds = exists(
		db
			.select({ one: sql`1` })
			.from(userRole)
			.where(and(eq(userRole.userId, user.id), inArray(userRole.role, [...roles])))
	);
	return db
		.select({ id: user.id, name: user.name })
		.from(user)
		.where(
			and(eq(user.tenantId, tenantId), eq(user.status, 'active'), or(holds, alsoIds.length ? inArray(user.id, [...alsoIds]) : undefined))
		)
		.orderBy(asc(user.name), asc(user.id))
		.all();
}
