#!/usr/bin/env node
// Browser tests: find (or install) a Chromium, build the app, run Playwright.
// Usage: node scripts/e2e.js [playwright test args…]
// LIITOS_E2E_SKIP_BUILD=1 reuses the existing build/ for quick reruns.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall, canUseApt, isExecutable, run } from './system-programs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

async function playwrightBrowser() {
	try {
		const { chromium } = await import('@playwright/test');
		const path = chromium.executablePath();
		return path && existsSync(path) ? path : null;
	} catch {
		return null;
	}
}

/** @returns {Promise<{ path: string, own: boolean } | null>} own = Playwright's downloaded build */
async function findChromium() {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) {
		if (isExecutable(fromEnv)) return { path: fromEnv, own: false };
		console.warn(`e2e: CHROMIUM_PATH=${fromEnv} is not an executable file; looking elsewhere.`);
	}
	if (isExecutable(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, own: false };
	const own = await playwrightBrowser();
	return own ? { path: own, own: true } : null;
}

async function installChromium() {
	if (canUseApt()) {
		console.log('e2e: no Chromium found; installing the Debian package (root, apt-get available).');
		if (aptInstall(['chromium'])) {
			const found = await findChromium();
			if (found) return found;
		}
		console.warn('e2e: apt-get did not provide a Chromium; trying Playwright’s download.');
	} else {
		console.log('e2e: no Chromium found; trying Playwright’s download.');
	}
	// The download happens in a child process, so ask a fresh process for the path too.
	if (run('npx', ['playwright', 'install', 'chromium']) === 0) {
		const r = spawnSync(
			process.execPath,
			['-e', "import('@playwright/test').then(m => process.stdout.write(m.chromium.executablePath()))"],
			{ encoding: 'utf8' }
		);
		const path = r.stdout?.trim();
		if (path && existsSync(path)) return { path, own: true };
	}
	return null;
}

let browser = await findChromium();
if (!browser) browser = await installChromium();
if (!browser) {
	console.error(`
e2e: no Chromium available. Do one of:
  sudo apt-get update && sudo apt-get install -y chromium    # Debian
  npx playwright install chromium                              # any OS with internet access
  export CHROMIUM_PATH=/path/to/chromium                       # an existing Chromium/Chrome
then run: npm run test:e2e`);
	process.exit(1);
}

const env = { ...process.env };
if (browser.own) {
	// Playwright finds its own build; the container flags in the config are not wanted then.
	delete env.CHROMIUM_PATH;
	console.log(`e2e: using Playwright's Chromium at ${browser.path}`);
} else {
	env.CHROMIUM_PATH = browser.path;
	console.log(`e2e: using Chromium at ${browser.path}`);
}

if (process.env.LIITOS_E2E_SKIP_BUILD && existsSync('build/handler.js')) {
	console.log('e2e: LIITOS_E2E_SKIP_BUILD set; reusing build/');
} else {
	const code = run('npm', ['run', 'build']);
	if (code !== 0) {
		console.error('e2e: build failed; browser tests not run.');
		process.exit(code);
	}
}

process.exit(run('npx', ['playwright', 'test', ...process.argv.slice(2)], env));
