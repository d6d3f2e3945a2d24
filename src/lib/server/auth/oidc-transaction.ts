/** Authorization requests in flight (see the `oidcTransaction` table): begun once, taken once. */
import { eq, lt } from 'drizzle-orm';
import * as client from 'openid-client';
import type { Db, DbOrTx } from '../db';
import { oidcTransaction, type OidcTransaction } from '../db/schema';
import { generateSessionToken, hashToken } from './session';
import { reserveAttempt } from './throttle';

/** Time to authenticate at the provider (a bank identification can take a few minutes). */
export const TRANSACTION_LIFETIME_MS = 10 * 60 * 1000;

export interface TransactionInput {
	provider: string;
	purpose: OidcTransaction['purpose'];
	context?: string;
	userId?: string | null;
}

/** Removes the requests nobody came back from (also run by the scheduler); how many. */
export function sweepExpiredTransactions(db: DbOrTx, now = new Date()): number {
	return db.delete(oidcTransaction).where(lt(oidcTransaction.expiresAt, now)).run().changes;
}

export function beginTransaction(db: DbOrTx, input: TransactionInput, now = new Date()): { token: string; row: OidcTransaction } {
	sweepExpiredTransactions(db, now);
	const token = generateSessionToken();
	const row: OidcTransaction = {
		id: hashToken(token),
		provider: input.provider,
		purpose: input.purpose,
		state: client.randomState(),
		nonce: client.randomNonce(),
		codeVerifier: client.randomPKCECodeVerifier(),
		context: input.context ?? '',
		userId: input.userId ?? null,
		createdAt: now,
		expiresAt: new Date(now.getTime() + TRANSACTION_LIFETIME_MS)
	};
	db.insert(oidcTransaction).values(row).run();
	return { token, row };
}

/**
 * A sign-in begun by someone not yet signed in: counted per client address (see `LIMITS.oidc_start`)
 * so that nobody can fill the table with transactions; refused, storing nothing, while blocked.
 */
export function beginSignInTransaction(
	db: Db,
	input: Omit<TransactionInput, 'purpose' | 'userId'>,
	ipAddress: string,
	now = new Date()
): { ok: true; token: string; row: OidcTransaction } | { ok: false; retryAt: Date } {
	const reserved = reserveAttempt(db, [{ kind: 'oidc_start', ip: ipAddress }], now);
	if (!reserved.ok) return reserved;
	return { ok: true, ...beginTransaction(db, { ...input, purpose: 'sign_in' }, now) };
}

/** The request the browser's token names, removed so that a replayed callback finds nothing. */
export function takeTransaction(db: DbOrTx, token: string | undefined, now = new Date()): OidcTransaction | null {
	if (!token) return null;
	const id = hashToken(token);
	const row = db.select().from(oidcTransaction).where(eq(oidcTransaction.id, id)).get();
	if (!row) return null;
	db.delete(oidcTransaction).where(eq(oidcTransaction.id, id)).run();
	return row.expiresAt.getTime() > now.getTime() ? row : null;
}
