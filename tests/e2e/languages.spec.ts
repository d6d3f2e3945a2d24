import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

test.describe('first visit follows the browser language', () => {
	test.use({ locale: 'sv-FI' });
	test('a Swedish browser gets the Swedish login page', async ({ page }) => {
		await page.goto(`${DEMO_URL}/login`);
		await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
	});
});

test.describe('nothing matches', () => {
	test.use({ locale: 'de-DE' });
	test('Finnish is the default', async ({ page }) => {
		await page.goto(`${DEMO_URL}/login`);
		await expect(page.getByRole('heading', { name: 'Kirjaudu sisään' })).toBeVisible();
	});
});

test('the language switch shows the Swedish UI and the choice persists', async ({ page }) => {
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Svenska' }).click();
	await expect(page.getByRole('link', { name: 'Hyresgäster' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
	await page.getByRole('link', { name: 'Hyresgäster' }).click();
	await expect(page.getByRole('heading', { name: 'Hyresgäster', exact: true })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'I produktion' })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Fysioterapia Lahtinen', exact: true })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Suomi' }).click();
	await expect(page.getByRole('heading', { name: 'Vuokralaiset' })).toBeVisible();
});
