#!/usr/bin/env node
// Browser tests: find (or install) a Chromium, build the app, run Playwright.
// Usage: node scripts/e2e.js [playwright test args…]
// LIITOS_E2E_SKIP_BUILD=1 reuses the existing build/ for quick reruns.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

function isExecutable(path) {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** Runs a command with inherited stdio; returns its exit code (127 when it cannot start). */
function run(cmd, args, env = process.env) {
	console.log(`\n$ ${[cmd, ...args].join(' ')}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit', env });
	if (r.error) {
		console.error(`e2e: could not run ${cmd}: ${r.error.message}`);
		return 127;
	}
	return r.status ?? 1;
}

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

function canUseApt() {
	return (
		process.getuid?.() === 0 &&
		existsSync('/etc/debian_version') &&
		spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0
	);
}

async function installChromium() {
	if (canUseApt()) {
		console.log('e2e: no Chromium found; installing the Debian package (root, apt-get available).');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		if (run('apt-get', ['update'], env) === 0 && run('apt-get', ['install', '-y', 'chromium'], env) === 0) {
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
