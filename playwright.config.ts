import { defineConfig } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirOf, demoPort, freshPort, serverEnv, workers } from './tests/e2e/servers';

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

const chromiumPath = process.env.CHROMIUM_PATH || undefined;

/** A production server (adapter-node output) with its own empty data folder (ports: see tests/e2e/servers.ts). */
function server(kind: 'fresh' | 'demo', slot: number, command: string) {
	const dataDir = dataDirOf(tmp!, kind, slot);
	mkdirSync(dataDir, { recursive: true });
	const port = kind === 'fresh' ? freshPort(slot) : demoPort(slot);
	return {
		name: `${kind}-${slot}`,
		command,
		url: `http://localhost:${port}/healthz`,
		reuseExistingServer: false,
		// Includes seeding the demo databases before the first demo server (on a busy 2-core machine,
		// three seeds at once have taken half a minute).
		timeout: 120_000,
		env: serverEnv(port, dataDir)
	};
}

export default defineConfig({
	testDir: 'tests/e2e',
	// One pair of servers per worker (tests/e2e/servers.ts); a worker runs one file at a time, its tests
	// in order, and takes whichever file is next, so no spec may count on another having run before it
	// on its servers. One worker spent 5 of its 22 minutes waiting for unused authenticator steps (a
	// server takes each 30-second step once per person); three, each with its own servers, wait under
	// two minutes in all and keep both cores busy. Change the count with LIITOS_E2E_WORKERS, not
	// --workers: servers are started for that many.
	fullyParallel: false,
	workers,
	retries: process.env.CI ? 1 : 0,
	forbidOnly: !!process.env.CI,
	reporter: 'list',
	// Three workers share two cores (with whatever else the machine runs): a journey that takes 10 s
	// alone has taken over 30 s in a full run.
	timeout: 60_000,
	// Likewise a page that answers in a second alone can take several under that load.
	expect: { timeout: 10_000 },
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
	// Playwright starts the servers one after another, in this order: the first demo server's command
	// seeds every demo database at once (scripts/demo-seed.ts for each, in parallel), so the other demo
	// servers start on a seeded database.
	webServer: [
		...Array.from({ length: workers }, (_, slot) =>
			server('demo', slot, slot === 0 ? 'npx tsx tests/e2e/seed-demo-servers.ts && node build' : 'node build')
		),
		...Array.from({ length: workers }, (_, slot) => server('fresh', slot, 'node build'))
	]
});
