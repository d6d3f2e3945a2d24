import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, test } from './fixtures';

/**
 * The three everyday journeys done with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing,
 * never a click or a fill. Each runs in Finnish and in Swedish, with axe on every page reached and
 * a check at each stop that the focused control shows where the focus is.
 */

type Lang = 'fi' | 'sv';
const messages: Record<Lang, Record<string, string>> = {
	fi: JSON.parse(readFileSync('messages/fi.json', 'utf8')),
	sv: JSON.parse(readFileSync('messages/sv.json', 'utf8'))
};
const t = (lang: Lang, key: string) => messages[lang][key];
const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** The focus ring is drawn: an outline (the portal's :focus-visible style) or a box shadow. */
async function expectVisibleFocus(page: Page) {
	const style = await page.evaluate(() => {
		const el = document.activeElement as HTMLElement | null;
		if (!el || el === document.body) return null;
		const s = getComputedStyle(el);
		return { outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow !== 'none' };
	});
	expect(style, 'something has the focus').not.toBeNull();
	expect(style!.outline || style!.shadow, 'the focused element shows a focus ring').toBe(true);
}

/** Presses Tab until `target` has the focus (it must be reachable in the tab order). */
async function tabTo(page: Page, target: Locator, max = 150) {
	await expect(target).toBeVisible();
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		if (await isFocused(target)) {
			await expectVisibleFocus(page);
			return;
		}
	}
	throw new Error(`${target} was not reached with Tab`);
}

/** Signs in by typing, starting from the skip link, which must be the first stop and lead to the content. */
async function signInByKeyboard(page: Page, lang: Lang, email: string) {
	await page.goto(`${DEMO_URL}/login`);
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: t(lang, 'skip_to_content') });
	expect(await isFocused(skip), 'the skip link is the first stop').toBe(true);
	await expectVisibleFocus(page);
	await page.keyboard.press('Enter');
	await expect(page.locator('main')).toBeFocused();
	await expectNoAxeViolations(page);
	await tabTo(page, page.locator('input[name=email]'));
	await page.keyboard.type(email);
	await page.keyboard.press('Tab');
	await expect(page.locator('input[name=password]')).toBeFocused();
	await page.keyboard.type(DEMO_PASSWORD);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

for (const [lang, browserLocale] of [
	['fi', 'fi-FI'],
	['sv', 'sv-FI']
] as const) {
	test.describe(`by keyboard, ${lang}`, () => {
		test.use({ locale: browserLocale });
		// A key press at a time, each followed by a look at the focus: slower than clicking.
		test.setTimeout(120_000);

		test('a tenant administrator uploads evidence and submits a checklist item', async ({ page }) => {
			// Tenant 2 in Finnish, tenant 3 in Swedish: the item is each one's own.
			await signInByKeyboard(page, lang, lang === 'fi' ? 'admin@tenant2.demo.test' : 'admin@tenant3.demo.test');
			await expectNoAxeViolations(page);
			await tabTo(page, page.getByRole('link', { name: t(lang, 'checklist_open') }));
			await page.keyboard.press('Enter');
			await expect(page).toHaveURL(/\/checklist$/);
			await expectNoAxeViolations(page);

			const itemName = lang === 'fi' ? 'Sopimus asiakastietojen käsittelystä' : 'Avtal om behandling av klientuppgifter';
			const item = page.getByRole('article', { name: itemName });
			// Submitting without the file: refused, and the message takes the focus so it is read out.
			await tabTo(page, item.getByRole('button', { name: t(lang, 'checklist_submit') }));
			await page.keyboard.press('Enter');
			const refusal = page.getByRole('article', { name: itemName }).getByRole('alert');
			await expect(refusal).toHaveText(t(lang, 'evidence_missing'));
			await expect(refusal).toBeFocused();
			await expectNoAxeViolations(page);

			await tabTo(page, item.getByLabel(t(lang, 'evidence_file')));
			const chooser = page.waitForEvent('filechooser');
			await page.keyboard.press('Space');
			await (
				await chooser
			).setFiles({ name: 'kasittelysopimus.txt', mimeType: 'text/plain', buffer: Buffer.from('Allekirjoitettu käsittelysopimus') });
			await tabTo(page, item.getByRole('button', { name: t(lang, 'evidence_upload') }));
			await page.keyboard.press('Enter');
			await expect(item.getByRole('status')).toHaveText(t(lang, 'evidence_uploaded'));
			await expect(item.getByRole('link', { name: 'kasittelysopimus.txt' })).toBeVisible();
			await expectNoAxeViolations(page);

			await tabTo(page, item.getByRole('button', { name: t(lang, 'checklist_submit') }));
			await page.keyboard.press('Enter');
			await expect(item.getByRole('status')).toHaveText(t(lang, 'checklist_submitted_done'));
			await expectNoAxeViolations(page);
		});

		test('a staff member reads and acknowledges an instruction', async ({ page }) => {
			// People who have not yet acknowledged the information security policy.
			await signInByKeyboard(page, lang, lang === 'fi' ? 'staff2@tenant1.demo.test' : 'staff2@tenant2.demo.test');
			await expectNoAxeViolations(page);
			// The header menu opens with Enter on its button.
			await tabTo(page, page.locator('header nav summary', { hasText: t(lang, 'nav_group_compliance') }));
			await page.keyboard.press('Enter');
			await tabTo(page, page.getByRole('link', { name: new RegExp(`^${t(lang, 'nav_my_instructions')}`) }));
			await page.keyboard.press('Enter');
			await expect(page).toHaveURL(/\/my-instructions$/);
			await expectNoAxeViolations(page);

			const title = lang === 'fi' ? 'Tietoturvapolitiikka' : 'Informationssäkerhetspolicy';
			await tabTo(page, page.getByRole('link', { name: title }).first());
			await page.keyboard.press('Enter');
			await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
			await expectNoAxeViolations(page);
			await tabTo(page, page.getByRole('button', { name: t(lang, 'instruction_ack_submit') }));
			await page.keyboard.press('Enter');
			await expect(page.getByRole('status').filter({ hasText: t(lang, 'instruction_ack_done') })).toBeVisible();
			await expectNoAxeViolations(page);
		});
	});
}
