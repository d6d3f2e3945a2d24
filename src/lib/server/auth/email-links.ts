/**
 * Single-use links sent by e-mail: invitations and password resets. Only a hash of the token is
 * stored, like a session's.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { emailToken, user, type TokenPurpose, type User } from '../db/schema';
import { audit } from '../actor';
import { HOUR_MS } from '../../time';
import { findUserByEmail } from './accounts';
import { revokeFeedTokens } from './feed-tokens';
import { passwordRefusedFor } from './oidc-policy';
import { generateSessionToken, hashToken, invalidateUserSessions } from './session';

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
	invitation: 7 * 24 * HOUR_MS,
	password_reset: HOUR_MS
};

export function issueToken(tx: DbOrTx, userId: string, purpose: TokenPurpose, now: Date): string {
	return tokenIssuer(tx)(userId, purpose, now);
}

/** `issueToken` with its statements prepared once, for many links in one transaction (an import). */
export function tokenIssuer(tx: DbOrTx): (userId: string, purpose: TokenPurpose, now: Date) => string {
	const unused = tx
		.delete(emailToken)
		.where(
			and(eq(emailToken.userId, sql.placeholder('userId')), eq(emailToken.purpose, sql.placeholder('purpose')), isNull(emailToken.usedAt))
		)
		.prepare();
	const insert = tx
		.insert(emailToken)
		.values({
			id: sql.placeholder('id'),
			userId: sql.placeholder('userId'),
			purpose: sql.placeholder('purpose'),
			expiresAt: sql.placeholder('expiresAt'),
			createdAt: sql.placeholder('createdAt')
		})
		.prepare();
	return (userId, purpose, now) => {
		// A new link replaces any unused earlier one of the same purpose.
		unused.run({ userId, purpose });
		const token = generateSessionToken();
		insert.run({ id: hashToken(token), userId, purpose, expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]), createdAt: now });
		return token;
	};
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
 * Consumes a link and sets the password; refused (null) for a person whose organisation signs in
 * only through its provider (the page says so before anyone types a password). The hash is computed by the caller beforehand because
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
		if (!holder || passwordRefusedFor(tx, holder)) return null;
		tx.update(emailToken)
			.set({ usedAt: now })
			.where(eq(emailToken.id, hashToken(token)))
			.run();
		// The language an invitation is accepted in is the person's language for e-mail from then on.
		const locale = purpose === 'invitation' && client.locale ? { locale: client.locale } : {};
		tx.update(user)
			.set({ passwordHash, status: 'active', ...locale })
			.where(eq(user.id, holder.id))
			.run();
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

/** Issues a reset link for an active person with a password to set; null (and no hint why) otherwise. */
export function requestPasswordReset(
	db: Db,
	email: string,
	client: { ipAddress: string },
	now = new Date()
): { person: User; token: string } | null {
	const person = findUserByEmail(db, email);
	if (!person || person.status !== 'active' || passwordRefusedFor(db, person)) return null;
	return db.transaction((tx) => {
		const token = issueToken(tx, person.id, 'password_reset', now);
		audit(
			tx,
			{ id: person.id, label: person.email, ipAddress: client.ipAddress },
			{
				tenantId: person.tenantId,
				action: 'auth.password_reset_requested',
				targetType: 'user',
				targetId: person.id
			}
		);
		return { person, token };
	});
}
