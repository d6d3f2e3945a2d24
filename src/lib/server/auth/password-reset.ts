import * as m from '../../paraglide/messages.js';
import type { Db } from '../db';
import { config } from '../config';
import { sendMail } from '../mail/mailer';
import { normaliseEmail } from './accounts';
import { requestPasswordReset } from './email-links';
import { reserveAttempt, type ThrottleSubject } from './throttle';

export type ResetRequestAnswer = { ok: true; delivered: Promise<void> } | { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * A request from the "forgot your password" form. It is counted per e-mail address typed and per
 * client address whether or not an account exists, and answered from that count alone: the link is
 * issued and mailed (in the person's language, through the outbox) only after the answer has been
 * given, so neither the answer nor the time it takes tells who has an account, and nobody can use
 * the form to flood a mailbox. `delivered` settles when that work is done (for tests; it never rejects).
 */
export function acceptPasswordResetRequest(
	db: Db,
	emailInput: string,
	client: { ipAddress: string },
	now = new Date()
): ResetRequestAnswer {
	const email = normaliseEmail(emailInput);
	const subjects: ThrottleSubject[] = [
		{ kind: 'reset_account', email },
		{ kind: 'reset_address', ip: client.ipAddress }
	];
	const reserved = reserveAttempt(db, subjects, now);
	if (!reserved.ok) return { ok: false, reason: 'throttled', retryAt: reserved.retryAt };
	const delivered = new Promise<void>((resolve) => setImmediate(resolve))
		.then(() => deliverResetLink(db, email, client, now))
		.catch((error) => console.error('password reset link not delivered:', error instanceof Error ? error.message : error));
	return { ok: true, delivered };
}

async function deliverResetLink(db: Db, email: string, client: { ipAddress: string }, now: Date): Promise<void> {
	const issued = requestPasswordReset(db, email, client, now);
	if (!issued) return;
	const { person, token } = issued;
	const o = { locale: person.locale };
	const link = `${config.origin}/password-reset/${token}`;
	await sendMail(db, {
		to: person.email,
		subject: m.mail_reset_subject({}, o),
		body: m.mail_reset_body({ name: person.name, link }, o),
		oneTimeLink: link
	});
}
