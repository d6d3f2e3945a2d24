import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../db/index';
import { createMailer, listOutbox, sendMail } from './mailer';
import * as m from '../../paraglide/messages.js';

interface Received {
	from: string;
	to: string[];
	raw: string;
}

/** A real SMTP server on a free local port that keeps what it receives. */
async function startSmtpServer(options: { rejectRecipient?: boolean } = {}) {
	const received: Received[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (options.rejectRecipient) {
				callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
			} else {
				callback();
			}
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks).toString('utf8')
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** A port nothing listens on: bind one, then let it go. */
async function closedPort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as AddressInfo;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}

function header(raw: string, name: string): string | undefined {
	const head = raw.split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' ');
	const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
	return line?.slice(name.length + 1).trim();
}

function body(raw: string): string {
	return raw.slice(raw.indexOf('\r\n\r\n') + 4);
}

let db: Db;
let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;

beforeEach(() => {
	db = openDatabase(':memory:');
});

afterEach(async () => {
	await smtp?.close();
	smtp = undefined;
	vi.restoreAllMocks();
});

const from = 'Liitos <no-reply@liitos.test>';
const message = {
	to: 'olli@tenant.example',
	subject: 'Invitation to Liitos',
	body: 'Hello Olli,\n\nOpen the link to set your password.\n'
};

describe('createMailer with SMTP', () => {
	it('delivers the message as plain text and marks it sent', async () => {
		smtp = await startSmtpServer();
		await createMailer({ smtpUrl: smtp.url, from }).send(db, message);

		expect(smtp.received).toHaveLength(1);
		const [mail] = smtp.received;
		expect(mail.from).toBe('no-reply@liitos.test');
		expect(mail.to).toEqual(['olli@tenant.example']);
		expect(header(mail.raw, 'Subject')).toBe('Invitation to Liitos');
		expect(header(mail.raw, 'To')).toBe('olli@tenant.example');
		expect(header(mail.raw, 'Content-Type')).toMatch(/^text\/plain/);
		expect(body(mail.raw).replace(/\r\n/g, '\n')).toBe(message.body);

		const { messages } = listOutbox(db, { page: 1, pageSize: 10 });
		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({ ...message, error: null });
		expect(messages[0].sentAt).toBeInstanceOf(Date);
	});

	it('sends to the one address given, even if it contains a comma', async () => {
		smtp = await startSmtpServer();
		const sneaky = { ...message, to: 'olli@tenant.example, eve@elsewhere.example' };
		vi.spyOn(console, 'error').mockImplementation(() => {});
		await createMailer({ smtpUrl: smtp.url, from }).send(db, sneaky);
		const recipients = smtp.received.flatMap((mail) => mail.to);
		// nodemailer keeps it as one (odd, quoted) address, which this server refuses; what
		// matters is that it never becomes a second recipient.
		expect(recipients.length).toBeLessThanOrEqual(1);
		expect(recipients).not.toContain('eve@elsewhere.example');
	});

	it('records a refused delivery without throwing', async () => {
		smtp = await startSmtpServer({ rejectRecipient: true });
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const mailer = createMailer({ smtpUrl: smtp.url, from });
		await expect(mailer.send(db, message)).resolves.toBeUndefined();

		const [stored] = listOutbox(db, { page: 1, pageSize: 10 }).messages;
		expect(stored.sentAt).toBeNull();
		expect(stored.error).toMatch(/Mailbox unavailable/);
		expect(logged).toHaveBeenCalledWith(expect.stringContaining(stored.id));
		expect(logged.mock.calls.flat().join(' ')).not.toContain(message.to);
	});

	it('records an unreachable server without throwing', async () => {
		const port = await closedPort();
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from });
		await expect(mailer.send(db, message)).resolves.toBeUndefined();

		const [stored] = listOutbox(db, { page: 1, pageSize: 10 }).messages;
		expect(stored.sentAt).toBeNull();
		expect(stored.error).toMatch(/ECONNREFUSED|connect/i);
	});
});

describe('one-time links at rest', () => {
	const link = 'https://liitos.example/invitation/abcdefghijklmnopqrstuvwxyz234567';
	const invitation = { ...message, body: `Hello Olli,\n\nSet your password here:\n${link}\n`, oneTimeLink: link };

	it('with SMTP, the mail carries the link and the stored copy does not (V2.5.x, V8.3.x)', async () => {
		smtp = await startSmtpServer();
		await createMailer({ smtpUrl: smtp.url, from }).send(db, invitation);

		expect(body(smtp.received[0].raw).replace(/\r\n/g, '\n')).toContain(link);
		const [stored] = listOutbox(db, { page: 1, pageSize: 10 }).messages;
		expect(stored.body).not.toContain(link);
		expect(stored.body).not.toContain('abcdefghijklmnopqrstuvwxyz234567');
		expect(stored.body).toBe(`Hello Olli,\n\nSet your password here:\n${m.outbox_link_withheld()}\n`);
		expect(stored.sentAt).toBeInstanceOf(Date);
	});

	it('with SMTP that fails, the stored copy still has no link', async () => {
		const port = await closedPort();
		vi.spyOn(console, 'error').mockImplementation(() => {});
		await createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from }).send(db, invitation);
		const [stored] = listOutbox(db, { page: 1, pageSize: 10 }).messages;
		expect(stored.body).not.toContain(link);
		expect(stored.error).not.toBeNull();
	});

	it('without SMTP, the outbox is the way the link reaches the person, so it stays', async () => {
		await createMailer({ from }).send(db, invitation);
		const [stored] = listOutbox(db, { page: 1, pageSize: 10 }).messages;
		expect(stored.body).toBe(invitation.body);
	});
});

describe('createMailer without SMTP', () => {
	it('keeps the message in the outbox only', async () => {
		await createMailer({ from }).send(db, message);
		const { messages, total } = listOutbox(db, { page: 1, pageSize: 10 });
		expect(total).toBe(1);
		expect(messages[0]).toMatchObject({ ...message, sentAt: null, error: null });
		expect(messages[0].id).toMatch(/^[0-9a-f-]{36}$/);
	});
});

describe('sendMail', () => {
	it('uses the configuration (no SMTP_URL in tests) and stores the message', async () => {
		expect(process.env.SMTP_URL ?? '').toBe('');
		await sendMail(db, message);
		expect(listOutbox(db, { page: 1, pageSize: 10 }).messages).toMatchObject([{ ...message, sentAt: null, error: null }]);
	});
});

describe('listOutbox', () => {
	it('lists newest first, a page at a time', async () => {
		const mailer = createMailer({ from });
		for (let i = 1; i <= 5; i++) await mailer.send(db, { ...message, subject: `Message ${i}` });

		const first = listOutbox(db, { page: 1, pageSize: 2 });
		expect(first.total).toBe(5);
		expect(first.messages.map((mail) => mail.subject)).toEqual(['Message 5', 'Message 4']);
		const last = listOutbox(db, { page: 3, pageSize: 2 });
		expect(last.messages.map((mail) => mail.subject)).toEqual(['Message 1']);
	});
});
