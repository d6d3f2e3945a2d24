import { defineConfig } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Playwright evaluates this file in the runner and again in every worker. Only the first
// evaluation creates the temporary folder; workers inherit it through the environment.
let tmp = process.env.LIITOS_E2E_TMP;
if (!tmp) {
	tmp = mkdtempSync(join(tmpdir(), 'liitos-e2e-'));
	process.env.LIITOS_E2E_TMP = tmp;
	const created = tmp;
	// By 'exit' the web servers have been stopped, so the databases can go.
	// LIITOS_E2E_KEEP=1 leaves them for post-mortem inspection.
	if (!process.env.LIITOS_E2E_KEEP) {
		process.on('exit', () => rmSync(created, { recursive: true, force: true }));
	}
}

const migrations = resolve('drizzle');
// Two servers on consecutive ports; LIITOS_E2E_PORT moves them so two checkouts can test side by side.
const basePort = Number(process.env.LIITOS_E2E_PORT ?? 4173);
const chromiumPath = process.env.CHROMIUM_PATH || undefined;

/** A production server (adapter-node output) with its own empty data folder. */
function server(name: string, port: number, command: string) {
	const dataDir = join(tmp!, name);
	mkdirSync(dataDir, { recursive: true });
	return {
		name,
		command,
		url: `http://localhost:${port}/healthz`,
		reuseExistingServer: false,
		timeout: 60_000,
		env: {
			PORT: String(port),
			// adapter-node refuses form posts without a matching ORIGIN (CSRF check).
			ORIGIN: `http://localhost:${port}`,
			DATA_DIR: dataDir,
			DATABASE_PATH: join(dataDir, 'liitos.db'),
			LIITOS_MIGRATIONS: migrations,
			BODY_SIZE_LIMIT: '11M',
			// Reminders are run by the tests themselves (npm run jobs), so they see the first run.
			LIITOS_SCHEDULER: 'off',
			// As `npm start` runs it: the session cookie is then `__Host-` and Secure, which Chromium
			// accepts on http://localhost (a secure context).
			NODE_ENV: 'production',
			// Authenticator keys sealed as production should have them (a test key, public on purpose).
			LIITOS_SECRET_KEY: 'dhLpCfPQ1X9i2ZYhaKViXYIC2vkqbz59p/UPtfnxK/s=',
			// Single sign-on providers: the file does not exist, so none are offered, until a spec
			// (oidc.spec.ts) writes it beside the database; the server reads it again when it changes.
			LIITOS_OIDC_CONFIG: join(dataDir, 'oidc.json')
		}
	};
}

export default defineConfig({
	testDir: 'tests/e2e',
	// Two cores, and the journeys share the two servers' databases: run one test at a time.
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	forbidOnly: !!process.env.CI,
	reporter: 'list',
	timeout: 30_000,
	use: {
		trace: 'retain-on-failure',
		// The suite reads the English UI unless a test asks for another language.
		locale: 'en-GB',
		launchOptions: {
			executablePath: chromiumPath,
			// Flags needed for the distribution Chromium in a container; Playwright's own
			// build needs none of them.
			args: chromiumPath
				? [
						'--headless',
						'--no-sandbox',
						'--disable-gpu',
						'--disable-quic',
						'--no-first-run',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync'
					]
				: []
		}
	},
	webServer: [server('fresh', basePort, 'node build'), server('demo', basePort + 1, 'npx tsx scripts/demo-seed.ts && node build')]
});
