/**
 * Seeds the demo database of every worker's demo server (tests/e2e/servers.ts) at once, as
 * scripts/demo-seed.ts would one after another: playwright.config.ts runs it before starting the
 * first demo server, and starts the others after it. Exits with 1 if any seed failed.
 */
import { spawn } from 'node:child_process';
import { dataDirOf, demoPort, serverEnv, workers } from './servers';

const tmp = process.env.LIITOS_E2E_TMP;
if (!tmp) throw new Error('LIITOS_E2E_TMP is not set: run through Playwright (playwright.config.ts)');

const codes = await Promise.all(
	Array.from(
		{ length: workers },
		(_, slot) =>
			new Promise<number>((resolve) => {
				const env = { ...process.env, ...serverEnv(demoPort(slot), dataDirOf(tmp, 'demo', slot)) };
				const child = spawn('npx', ['tsx', 'scripts/demo-seed.ts'], { env, stdio: 'inherit' });
				child.on('error', () => resolve(1));
				child.on('close', (code) => resolve(code ?? 1));
			})
	)
);
process.exit(codes.every((code) => code === 0) ? 0 : 1);
