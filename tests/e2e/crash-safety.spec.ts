import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { request as playwrightRequest } from '@playwright/test';
import { DEMO_PASSWORD, expect, SPARE_PORTS, test } from './fixtures';

/**
 * Crash safety: the server is killed (SIGKILL) in the middle of a burst of writes. After a restart
 * every write that was answered with success must be there, and the database must be sound.
 */

// Beside the suite's servers, on a port of this worker's own (tests/e2e/servers.ts).
const PORT = SPARE_PORTS[1];
const URL = `http://localhost:${PORT}`;

function serverEnv(dataDir: string) {
	return {
		...process.env,
		PORT: String(PORT),
		ORIGIN: URL,
		DATA_DIR: dataDir,
		DATABASE_PATH: join(dataDir, 'liitos.db'),
		LIITOS_MIGRATIONS: resolve('drizzle'),
		LIITOS_SCHEDULER: 'off'
	};
}

async function startServer(dataDir: string): Promise<ChildProcess> {
	const server = spawn('node', ['build'], { env: serverEnv(dataDir), stdio: 'ignore' });
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(`${URL}/healthz`)).ok) return server;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('server did not start');
}

test('writes answered with success survive a SIGKILL; the database stays sound', async () => {
	test.setTimeout(120_000);
	// A folder of its own, also when the test is run again after a failure.
	const dataDir = mkdtempSync(join(process.env.LIITOS_E2E_TMP!, 'crash-'));
	const seeded = spawnSync('npx', ['tsx', 'scripts/demo-seed.ts'], { env: serverEnv(dataDir), encoding: 'utf8' });
	expect(seeded.status, seeded.stderr).toBe(0);
	const db = new Database(join(dataDir, 'liitos.db'), { readonly: true });
	const tenantId = (db.prepare("select id from tenant where name = 'Fysioterapia Lahtinen'").get() as { id: string }).id;
	const itemId = (
		db
			.prepare(
				"select i.id from checklist_item i join prerequisite_type t on t.id = i.type_id where i.tenant_id = ? and t.code = 'operating_models'"
			)
			.get(tenantId) as { id: string }
	).id;
	db.close();

	let server = await startServer(dataDir);
	const api = await playwrightRequest.newContext({ baseURL: URL });
	const login = await api.post('/login', {
		form: { email: 'admin@tenant1.demo.test', password: DEMO_PASSWORD },
		headers: { origin: URL, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(login.status()).toBe(303);

	const succeeded: { kind: 'comment' | 'evidence'; marker: string }[] = [];
	let answered = 0;
	const write = async (i: number) => {
		const marker = `crash-${i}-${crypto.randomUUID()}`;
		const kind = i % 3 === 0 ? 'evidence' : 'comment';
		try {
			const response =
				kind === 'comment'
					? await api.post(`/tenants/${tenantId}/checklist?/comment`, {
							form: { itemId, body: marker },
							headers: { origin: URL, accept: 'text/html' },
							maxRedirects: 0
						})
					: await api.post(`/tenants/${tenantId}/checklist?/upload`, {
							multipart: { itemId, file: { name: `${marker}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`evidence ${marker}`) } },
							headers: { origin: URL, accept: 'text/html' },
							maxRedirects: 0
						});
			answered++;
			if (response.status() === 200) succeeded.push({ kind, marker });
		} catch {
			// The connection died with the server: this write was never confirmed.
		}
	};

	// 300 writes, 10 at a time; the server is killed once a third of them have been answered.
	const burst = (async () => {
		for (let i = 0; i < 300; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => write(i + j)));
	})();
	while (answered < 100) await new Promise((r) => setTimeout(r, 5));
	server.kill('SIGKILL');
	await burst;
	await api.dispose();
	expect(succeeded.length).toBeGreaterThanOrEqual(100);

	server = await startServer(dataDir);
	server.kill('SIGTERM');
	const after = new Database(join(dataDir, 'liitos.db'), { readonly: true });
	try {
		expect(after.prepare('pragma integrity_check').get()).toEqual({ integrity_check: 'ok' });
		const comments = new Set(
			(after.prepare('select body from checklist_comment where item_id = ?').all(itemId) as { body: string }[]).map((r) => r.body)
		);
		const files = new Set(
			(after.prepare('select file_name from evidence_file where item_id = ?').all(itemId) as { file_name: string }[]).map(
				(r) => r.file_name
			)
		);
		const lost = succeeded.filter((w) => (w.kind === 'comment' ? !comments.has(w.marker) : !files.has(`${w.marker}.txt`)));
		expect(lost).toEqual([]);
	} finally {
		after.close();
	}
	const verify = spawnSync('npx', ['tsx', 'scripts/audit-verify.ts'], { env: serverEnv(dataDir), encoding: 'utf8' });
	expect(verify.stdout).toContain('Audit chain OK');
});
