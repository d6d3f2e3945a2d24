/** Looking up accounts, which signing in, step-up and the people pages all need. */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { user, type User } from '../db/schema';

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export function findUserByEmail(db: DbOrTx, email: string): User | undefined {
	return db
		.select()
		.from(user)
		.where(eq(user.email, normaliseEmail(email)))
		.get();
}

export function getUser(db: DbOrTx, id: string): User | undefined {
	return db.select().from(user).where(eq(user.id, id)).get();
}
