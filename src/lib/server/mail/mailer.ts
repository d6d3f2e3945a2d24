/**
 * Outgoing e-mail. Every message is kept in the outbox, so administrators can read what was sent
 * (or, without SMTP, what would have been) and see which deliveries failed. With SMTP, the stored
 * copy of a message carrying a one-time link (invitation, password reset) has the link replaced by
 * a note, so neither the outbox page nor a backup holds a working link; only the recipient gets it.
 */
import { randomUUID } from 'node:crypto';
import { count, desc, eq, sql } from 'drizzle-orm';
import { createTransport, type Transporter } from 'nodemailer';
import { config } from '../config';
import { outboxMessage, type OutboxMessage } from '../db/schema';
import type { Db } from '../db/index';
import * as m from '../../paraglide/messages.js';

export interface MailMessage {
	to: string;
	subject: string;
	body: string;
	/** A link in `body` that lets its holder into the account; kept out of the stored copy when SMTP delivers. */
	oneTimeLink?: string;
}

/** What the outbox keeps: the body itself, or with SMTP the body without its one-time link. */
function storedBody(message: MailMessage, viaSmtp: boolean): string {
	if (!viaSmtp || !message.oneTimeLink) return message.body;
	return message.body.replaceAll(message.oneTimeLink, m.outbox_link_withheld());
}

export interface Mailer {
	/** Stores the message and, when SMTP is configured, sends it. Never throws for a failed send. */
	send(db: Db, message: MailMessage): Promise<void>;
}

export function createMailer(options: { smtpUrl?: string; from: string }): Mailer {
	// Created on first send and reused; nothing connects until a message goes out.
	let transport: Transporter | undefined;

	return {
		async send(db, message) {
			const id = randomUUID();
			db.insert(outboxMessage)
				.values({ id, to: message.to, subject: message.subject, body: storedBody(message, Boolean(options.smtpUrl)) })
				.run();
			if (!options.smtpUrl) return;

			transport ??= createTransport({
				url: options.smtpUrl,
				// Sends happen while a user waits for a page; nodemailer's defaults would let a dead
				// server hold the request for minutes. Values in the URL still take precedence.
				connectionTimeout: 10_000,
				greetingTimeout: 10_000,
				socketTimeout: 30_000
			});
			try {
				await transport.sendMail({
					from: options.from,
					// An address object, not a string: nodemailer would split a string at commas,
					// and one message must never reach more than the one person it was written for.
					to: { name: '', address: message.to },
					subject: message.subject,
					text: message.body
				});
				db.update(outboxMessage).set({ sentAt: new Date() }).where(eq(outboxMessage.id, id)).run();
			} catch (error) {
				const text = error instanceof Error ? error.message : String(error);
				// The outbox id, not the address, so the log carries no personal data.
				console.error(`Sending outbox message ${id} failed: ${text}`);
				db.update(outboxMessage).set({ error: text }).where(eq(outboxMessage.id, id)).run();
			}
		}
	};
}

let defaultMailer: Mailer | undefined;

/** Sends with the configured SMTP_URL and MAIL_FROM (outbox only when SMTP_URL is unset). */
export function sendMail(db: Db, message: MailMessage): Promise<void> {
	defaultMailer ??= createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
	return defaultMailer.send(db, message);
}

const MAX_PAGE_SIZE = 500;

/** Outbox messages newest first, one page (1-based) at a time, with the total. */
export function listOutbox(db: Db, paging: { page: number; pageSize: number }): { messages: OutboxMessage[]; total: number } {
	const pageSize = Math.min(Math.max(Math.floor(paging.pageSize) || 1, 1), MAX_PAGE_SIZE);
	const page = Math.max(Math.floor(paging.page) || 1, 1);
	const messages = db
		.select()
		.from(outboxMessage)
		// rowid breaks ties between messages stored within the same millisecond.
		.orderBy(desc(outboxMessage.createdAt), sql`rowid desc`)
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.all();
	const total = db.select({ n: count() }).from(outboxMessage).get()?.n ?? 0;
	return { messages, total };
}
