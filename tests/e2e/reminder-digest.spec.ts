import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { DEMO_DIR, DEMO_URL, expect, test } from './fixtures';

interface Received {
	to: string[];
	raw: string;
}

/** A real SMTP server on loopback that keeps what it receives. */
async function startSmtp(): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
	const received: Received[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, session, callback) {
			let raw = '';
			stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
			stream.on('end', () => {
				received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.server.address() as { port: number }).port;
	return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('a reminder run sends each person one digest through SMTP, and a second run sends nothing', async () => {
	const smtp = await startSmtp();
	try {
		const dataDir = DEMO_DIR;
		// Asynchronous on purpose: the SMTP server lives in this process and must keep answering.
		const run = () =>
			new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
				const child = spawn('npx', ['tsx', 'scripts/jobs.ts'], {
					env: {
						...process.env,
						DATA_DIR: dataDir,
						DATABASE_PATH: join(dataDir, 'liitos.db'),
						SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
						ORIGIN: DEMO_URL
					}
				});
				let stdout = '';
				let stderr = '';
				child.stdout.on('data', (chunk) => (stdout += chunk));
				child.stderr.on('data', (chunk) => (stderr += chunk));
				child.on('close', (status) => resolve({ status, stdout, stderr }));
			});
		const first = await run();
		expect(first.status, first.stderr).toBe(0);
		expect(first.stdout).toMatch(/certificateReminders: [1-9]/);

		// The certificate administrator hears about the expiring server certificate and the cards, in one mail.
		const toCerts = smtp.received.filter((m) => m.to.includes('certs@demo.test'));
		expect(toCerts).toHaveLength(1);
		expect(toCerts[0].raw).toMatch(/Subject: Liitos: \d+ uutta ilmoitusta/);
		const recipients = smtp.received.flatMap((m) => m.to);
		expect(new Set(recipients).size).toBe(recipients.length);

		const second = await run();
		expect(second.status, second.stderr).toBe(0);
		expect(second.stdout).toContain('certificateReminders: 0');
		expect(second.stdout).toContain('digests: 0');
		expect(smtp.received.filter((m) => m.to.includes('certs@demo.test'))).toHaveLength(1);
	} finally {
		await smtp.close();
	}
});
