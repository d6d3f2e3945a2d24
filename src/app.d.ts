import type { Session } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';

/** Signed in with a password but not yet past the second factor. */
interface PendingSignIn {
	user: SessionUser;
	step: 'verify' | 'enrol';
}

declare global {
	namespace App {
		interface Locals {
			/** Set only once the sign-in is complete, second factor included. */
			user: SessionUser | null;
			session: Session | null;
			pending: PendingSignIn | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
