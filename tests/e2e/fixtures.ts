import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS } from '../../scripts/demo-accounts';
import { dataDirOf, demoPort, freshPort, serverEnv, sparePort, workers } from './servers';

export { DEMO_PASSWORD, DEMO_TOTP_SECRETS, expect, test };

/**
 * This worker's place among the parallel workers (kept by a worker restarted after a failure), and so
 * its pair of servers (tests/e2e/servers.ts). 0 outside a worker (the runner listing the tests).
 */
const slot = Number(process.env.TEST_PARALLEL_INDEX ?? 0);
if (slot >= workers)
	throw new Error(`worker ${slot} has no servers: set LIITOS_E2E_WORKERS (servers are started for ${workers}) rather than --workers`);
const tmp = process.env.LIITOS_E2E_TMP ?? tmpdir();
/** This worker's server started on an empty database (see playwright.config.ts). */
export const FRESH_URL = `http://localhost:${freshPort(slot)}`;
/** This worker's server started after scripts/demo-seed.ts. */
export const DEMO_URL = `http://localhost:${demoPort(slot)}`;
/** The data folders of this worker's servers; the database of each is `liitos.db` in it. */
export const FRESH_DIR = dataDirOf(tmp, 'fresh', slot);
export const DEMO_DIR = dataDirOf(tmp, 'demo', slot);
/** Two ports of this worker's own, for a spec that starts a server of its own (crash-safety, first run). */
export const SPARE_PORTS = [sparePort(slot, 0), sparePort(slot, 1)] as const;

/**
 * Follows a link of the header's menu, opening its group first when the link sits in one (groups
 * are <details> menus, closed until opened).
 */
export async function navTo(page: Page, name: string | RegExp): Promise<void> {
	await hydrated(page);
	const nav = page.locator('header nav');
	const options = typeof name === 'string' ? { name, exact: true } : { name };
	const link = nav.getByRole('link', options);
	// Links in a closed menu are hidden; `has` is matched inside each <details>, so not rooted at the nav.
	const group = nav.locator('details').filter({ has: page.getByRole('link', { ...options, includeHidden: true }) });
	// On a busy machine the menu may be opened before the page has hydrated, which closes it again:
	// open it (if it is closed) and click, until the click lands.
	await expect(async () => {
		const closed =
			(await group.count()) > 0 && !(await group.evaluate((d) => (d as HTMLDetailsElement).open, undefined, { timeout: 2_000 }));
		if (closed) await group.locator('summary').click({ timeout: 2_000 });
		await link.click({ timeout: 2_000 });
	}).toPass({ timeout: 20_000 });
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe on the page as it is now and fails with one line per violated rule, so a
 * failure reads as a to-do list rather than a dump of axe's result objects.
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
	const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
	const summary = violations.map((v) => {
		const targets = v.nodes
			.slice(0, 3)
			.map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' '))
			.join(', ');
		const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
		return `[${v.impact ?? 'unknown'}] ${v.id}: ${v.help} -> ${targets}${more}`;
	});
	expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * An authenticator code the server at `baseURL` (this worker's demo server unless told) has not seen
 * yet. A server accepts each time step once per person, so the steps already used are kept per server
 * in a file (which a worker restarted after a failure finds again; only the worker owning the server
 * writes it); when both usable steps are spent, this waits for the clock.
 */
export async function freshTotp(secret: string, baseURL = DEMO_URL): Promise<string> {
	const file = join(tmp, `totp-steps-${new URL(baseURL).port}.json`);
	const started = Date.now();
	for (;;) {
		const used: Record<string, number> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
		const now = Math.floor(Date.now() / 30_000);
		// The server takes one step either side of its own, each once and in order. The step before
		// is used only while 20 s of the current one remain, so that it cannot lapse before the form
		// that carries it is sent, even on a busy machine.
		const earliest = Date.now() % 30_000 < 10_000 ? now - 1 : now;
		const step = Math.max(earliest, (used[secret] ?? 0) + 1);
		if (step <= now + 1) {
			writeFileSync(file, JSON.stringify({ ...used, [secret]: step }));
			// LIITOS_E2E_TOTP_LOG=<file> records how long each code was waited for (one line each).
			if (process.env.LIITOS_E2E_TOTP_LOG)
				appendFileSync(process.env.LIITOS_E2E_TOTP_LOG, `${new URL(baseURL).port} ${secret.slice(0, 6)} ${Date.now() - started}\n`);
			return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
		}
		await new Promise((resolve) => setTimeout(resolve, 1_000));
	}
}

/**
 * Signs in through the real login form and waits until the app has moved away from /login.
 * People with an authenticator (the demo's main connector administrator and signatory, or
 * `secret` given) answer the second step with a fresh code.
 */
/**
 * Waits until the page's script has taken it over (the root layout marks `<html data-hydrated>`): a
 * click or typed value given while hydration runs may be lost on a busy machine. With JavaScript off
 * there is nothing to wait for.
 */
export async function hydrated(page: Page): Promise<void> {
	const scripting = await page.evaluate(() => {
		// With scripting off the parser makes elements of <noscript> content; with it on, text.
		const probe = document.createElement('div');
		probe.innerHTML = '<noscript><p></p></noscript>';
		return probe.querySelector('noscript p') === null;
	});
	if (scripting) await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

export async function signIn(
	page: Page,
	baseURL: string,
	email: string,
	password: string,
	secret = DEMO_TOTP_SECRETS[email]
): Promise<void> {
	await signInSteps(page, baseURL, email, password, secret);
	await hydrated(page);
}

async function signInSteps(page: Page, baseURL: string, email: string, password: string, secret: string | undefined): Promise<void> {
	await page.goto(`${baseURL}/login`);
	await hydrated(page);
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await Promise.all([
		page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 10_000 }),
		page.locator('form[data-testid=login-form] button[type=submit]').click()
	]);
	if (new URL(page.url()).pathname !== '/two-factor') return;
	if (!secret) throw new Error(`${email} is asked for a second factor, but the test has no key for it`);
	// A code is refused if the server has seen its step already (a step spent outside this file's
	// bookkeeping): the form then stays, and the next step is tried, as a person would type a new code.
	for (let attempt = 1; ; attempt++) {
		await page.locator('input[name=code]').fill(await freshTotp(secret, baseURL));
		const left = page.waitForURL((url) => url.pathname !== '/two-factor', { timeout: 10_000 });
		await page.locator('form[data-testid=two-factor-form] button[type=submit]').click();
		if (attempt === 3) return left;
		if (await left.then(() => true).catch(() => false)) return;
	}
}

/**
 * Completes the enrolment a main connector administrator meets after the password, through the
 * form (as a person typing the key shown beside the QR code would); returns the key.
 */
export async function enrolThroughForm(request: APIRequestContext, baseURL: string): Promise<string> {
	const page = await request.get(`${baseURL}/two-factor/setup`, { maxRedirects: 0 });
	expect(page.status()).toBe(200);
	const secret = /data-testid="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(await page.text())?.[1]?.replace(/ /g, '');
	expect(secret, 'the setup page shows the key').toBeTruthy();
	const confirmed = await request.post(`${baseURL}/two-factor/setup`, {
		form: { code: await freshTotp(secret!, baseURL) },
		headers: { origin: baseURL, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(confirmed.status()).toBe(200);
	expect(await confirmed.text()).toContain('data-testid="recovery-codes"');
	return secret!;
}

export interface OwnServer {
	url: string;
	dataDir: string;
	/** Ends the server and waits until it has. */
	stop: () => Promise<void>;
}

/**
 * Starts a server like the suite's own (tests/e2e/servers.ts) on this worker's first spare port, on an
 * empty database in a folder of its own: for a spec that needs a server no other spec has touched,
 * whichever specs ran before it and also when it is run again after a failure.
 */
export async function startOwnServer(): Promise<OwnServer> {
	const port = SPARE_PORTS[0];
	const dataDir = mkdtempSync(join(tmp, 'own-'));
	const child = spawn(process.execPath, ['build'], { env: { ...process.env, ...serverEnv(port, dataDir) }, stdio: 'ignore' });
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `http://localhost:${port}`;
	for (let waited = 0; ; waited += 100) {
		// Exited at once: most likely the port is taken (a server left over from an interrupted run).
		if (child.exitCode !== null) throw new Error(`the server on port ${port} stopped at start (exit code ${child.exitCode})`);
		try {
			if ((await fetch(`${url}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		if (waited > 30_000) {
			child.kill();
			throw new Error(`the server on port ${port} did not answer within 30 s`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		url,
		dataDir,
		stop: async () => {
			if (child.exitCode === null) child.kill('SIGTERM');
			await exited;
		}
	};
}
