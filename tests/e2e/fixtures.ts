import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

export { expect, test };

/** Server started on an empty database (see playwright.config.ts). */
export const FRESH_URL = 'http://localhost:4173';
/** Server started after scripts/demo-seed.ts. */
export const DEMO_URL = 'http://localhost:4174';
/** Password of every account created by scripts/demo-seed.ts. */
export const DEMO_PASSWORD = 'liitos-demo-2026';

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

/** Signs in through the real login form and waits until the app has moved away from /login. */
export async function signIn(
	page: Page,
	baseURL: string,
	email: string,
	password: string
): Promise<void> {
	await page.goto(`${baseURL}/login`);
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await Promise.all([
		page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 10_000 }),
		page.locator('form[data-testid=login-form] button[type=submit]').click()
	]);
}
