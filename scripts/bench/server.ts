/** The built portal (adapter-node `build/`) on a given database, and a signed-in session for it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { currentCode } from '../../src/lib/server/auth/two-factor';

export interface RunningServer {
	url: string;
	stop(): Promise<void>;
}

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
	const server = createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as { port: number };
	server.close();
	return port;
}

/** Starts a child process and waits until `readyUrl` answers 200; its output is kept for errors. */
export async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
	const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited early:\n${output}`);
		try {
			if ((await fetch(readyUrl)).ok) return child;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	child.kill();
	throw new Error(`${args.join(' ')} did not become ready:\n${output}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	child.kill('SIGTERM');
	await once(child, 'exit');
}

/** `node build` as in production, with the scheduler off so nothing but the load runs. */
export async function startPortal(databasePath: string, dataDir: string, port: number): Promise<RunningServer> {
	if (!existsSync('build/handler.js')) throw new Error('No build/ here: run `npm run build` first.');
	const url = `http://127.0.0.1:${port}`;
	const env = {
		HOST: '127.0.0.1',
		PORT: String(port),
		ORIGIN: url,
		DATA_DIR: dataDir,
		DATABASE_PATH: databasePath,
		LIITOS_MIGRATIONS: resolve('drizzle'),
		LIITOS_SCHEDULER: 'off',
		NODE_ENV: 'production'
	};
	// BENCH_PROFILE=<dir> writes a CPU profile of the portal there when it stops.
	const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
	const child = await startProcess([...profile, 'build'], env, `${url}/healthz`);
	return { url, stop: () => stopProcess(child) };
}

/** The TOTP step each secret last answered: the portal refuses a code whose step was used already. */
const usedSteps = new Map<string, number>();
const STEP_MS = 30_000;

/** The current code of a secret, after waiting for a fresh step if this process has used this one. */
async function unusedCode(secret: string): Promise<string> {
	const step = () => Math.floor(Date.now() / STEP_MS);
	if (usedSteps.get(secret) === step()) await new Promise((done) => setTimeout(done, (step() + 1) * STEP_MS - Date.now() + 50));
	usedSteps.set(secret, step());
	return currentCode(secret);
}

/** Signs in through the login form as a browser would and returns the Cookie header to send. */
export async function signIn(url: string, email: string, password: string, totpSecret?: string): Promise<string> {
	const form = (body: Record<string, string>, cookie = '') => ({
		method: 'POST',
		headers: { origin: url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
		body: new URLSearchParams(body),
		redirect: 'manual' as const
	});
	const response = await fetch(`${url}/login`, form({ email, password }));
	const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
	// Production names it __Host-liitos_session.
	if (!cookies.some((c) => /^(__Host-)?liitos_session=/.test(c))) throw new Error(`Sign-in failed: HTTP ${response.status}`);
	const cookie = cookies.join('; ');
	// Tenant people sign in with a password alone.
	if (!totpSecret) return cookie;
	// The second step; its answer marks the session itself, so the cookie stays the same.
	const second = await fetch(`${url}/two-factor`, form({ code: await unusedCode(totpSecret) }, cookie));
	if (second.status !== 303) throw new Error(`Second step failed: HTTP ${second.status}`);
	return cookie;
}
