import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

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

/** Setting the scene (not part of the journey): the administrator sends tenant 1 a new agreement to sign. */
async function agreementAwaitingTenantSignature(browser: Browser): Promise<string> {
	const context = await browser.newContext({ locale: 'en-GB' });
	const admin = await context.newPage();
	await signIn(admin, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await admin.goto(`${DEMO_URL}/tenants`);
	await admin.getByRole('link', { name: 'Fysioterapia Lahtinen' }).click();
	await admin.getByRole('link', { name: 'New agreement' }).click();
	await admin.getByRole('button', { name: 'Create draft' }).click();
	await admin.getByLabel('Place of signing').fill('Jyväskylä');
	await admin.getByRole('region', { name: 'Complete the agreement' }).getByRole('button', { name: 'Save' }).click();
	await expect(admin.getByText('Saved.')).toBeVisible();
	await admin.getByRole('button', { name: 'Send to the tenant' }).click();
	await expect(admin.getByText('Sent to the tenant for signature.')).toBeVisible();
	const path = new URL(admin.url()).pathname;
	await context.close();
	return path;
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

		test('a tenant signatory signs an agreement', async ({ page, browser }) => {
			const agreementPath = await agreementAwaitingTenantSignature(browser);
			await signInByKeyboard(page, lang, 'signer@tenant1.demo.test');
			await expectNoAxeViolations(page);
			// The tenant's own page lists its agreements.
			await tabTo(page, page.getByRole('link', { name: t(lang, 'nav_own_tenant'), exact: true }));
			await page.keyboard.press('Enter');
			await expect(page).toHaveURL(/\/tenants\/[0-9a-f-]+$/);
			await expectNoAxeViolations(page);
			await tabTo(page, page.locator(`main a[href="${agreementPath}"]`).first());
			await page.keyboard.press('Enter');
			await expect(page).toHaveURL(new RegExp(`${agreementPath}$`));
			await expectNoAxeViolations(page);

			// A name that is not the signatory's: refused, and the summary of what is wrong takes the focus.
			await tabTo(page, page.getByLabel(t(lang, 'agreement_typed_name')));
			await page.keyboard.type('Joku Muu');
			await page.keyboard.press('Tab');
			await expect(page.getByLabel(t(lang, 'field_title'), { exact: true })).toBeFocused();
			await page.keyboard.type(lang === 'fi' ? 'Yrittäjä' : 'Företagare');
			await page.keyboard.press('Tab');
			await page.keyboard.type(DEMO_PASSWORD);
			await page.keyboard.press('Enter');
			const summary = page.getByRole('alert').filter({ hasText: t(lang, 'form_has_errors') });
			await expect(summary).toBeFocused({ timeout: 15_000 });
			await expectNoAxeViolations(page);
			// Its link leads to the field; the title typed is kept.
			await page.keyboard.press('Tab');
			await page.keyboard.press('Enter');
			await expect(page.getByLabel(t(lang, 'agreement_typed_name'))).toBeFocused();
			await expect(page.getByLabel(t(lang, 'field_title'), { exact: true })).toHaveValue(lang === 'fi' ? 'Yrittäjä' : 'Företagare');
			await page.keyboard.press('ControlOrMeta+A');
			await page.keyboard.type('Tenant 1 Signer');
			await page.keyboard.press('Tab');
			await page.keyboard.press('Tab');
			await page.keyboard.type(DEMO_PASSWORD);
			await tabTo(page, page.getByRole('button', { name: t(lang, 'agreement_sign_submit'), exact: true }));
			await page.keyboard.press('Enter');
			await expect(page.getByRole('status').filter({ hasText: t(lang, 'agreement_signed_done') })).toBeVisible({ timeout: 15_000 });
			await expectNoAxeViolations(page);
		});
	});
}
