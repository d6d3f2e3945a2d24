/** Authorization requests in flight (see the `oidcTransaction` table): begun once, taken once. */
import { eq, lt } from 'drizzle-orm';
import * as client from 'openid-client';
import type { DbOrTx } from '../db';
import { oidcTransaction, type OidcTransaction } from '../db/schema';
import { generateSessionToken, hashToken } from './session';

/** Time to authenticate at the provider (a bank identification can take a few minutes). */
export const TRANSACTION_LIFETIME_MS = 10 * 60 * 1000;

export interface TransactionInput {
	provider: string;
	purpose: OidcTransaction['purpose'];
	context?: string;
	userId?: string | null;
}

export function beginTransaction(db: DbOrTx, input: TransactionInput, now = new Date()): { token: string; row: OidcTransaction } {
	db.delete(oidcTransaction).where(lt(oidcTransaction.expiresAt, now)).run();
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

/** The request the browser's token names, removed so that a replayed callback finds nothing. */
export function takeTransaction(db: DbOrTx, token: string | undefined, now = new Date()): OidcTransaction | null {
	if (!token) return null;
	const id = hashToken(token);
	const row = db.select().from(oidcTransaction).where(eq(oidcTransaction.id, id)).get();
	if (!row) return null;
	db.delete(oidcTransaction).where(eq(oidcTransaction.id, id)).run();
	return row.expiresAt.getTime() > now.getTime() ? row : null;
}
