import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

test('a main connector person finds tenants, people and certificates from the header, letters folded', async ({ page }) => {
	await signIn(page, DEMO_URL, 'certs@demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/`);
	const box = page.getByRole('search').getByRole('searchbox', { name: 'Search the portal' });
	await box.fill('LÄKARMOTT');
	await box.press('Enter');
	await expect(page).toHaveURL(/\/search\?q=L%C3%84KARMOTT/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “LÄKARMOTT”');
	const tenants = page.getByRole('region', { name: /^Tenants/ });
	await expect(tenants.getByRole('link', { name: 'Läkarmottagning Berg Ab' })).toBeVisible();
	await expect(tenants).toContainText('7654321-2');
	// This person keeps certificates: agreements are not theirs to see, so that group is not shown.
	await expect(page.getByRole('region', { name: /^Agreements/ })).toHaveCount(0);
	await expectNoAxeViolations(page);

	await page.goto(`${DEMO_URL}/search?q=${encodeURIComponent('tenant 2 staff')}`);
	await expect(page.getByRole('region', { name: /^People/ }).getByRole('link', { name: 'Tenant 2 Staff One' })).toBeVisible();
	await expect(page.getByRole('region', { name: /^Certificates/ }).getByRole('link', { name: 'Tenant 2 Staff One' })).toBeVisible();
	await expectNoAxeViolations(page);

	await page.goto(`${DEMO_URL}/search?q=ab`);
	await expect(page.getByRole('status')).toHaveText('Type at least 3 characters.');
});

test('a tenant’s person finds only their own tenant’s things', async ({ page }) => {
	await signIn(page, DEMO_URL, 'admin@tenant1.demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/search?q=staff`);
	const people = page.getByRole('region', { name: /^People/ });
	await expect(people.getByRole('link', { name: 'Tenant 1 Staff One' })).toBeVisible();
	await expect(people).not.toContainText('Tenant 2');
	await expect(page.locator('main')).not.toContainText('Tenant 3');
	await expectNoAxeViolations(page);

	await page.goto(`${DEMO_URL}/search?q=kotihoito`);
	await expect(page.getByRole('status')).toHaveText(/found nothing/);
	await expect(page.locator('main')).not.toContainText('Kotihoito Aalto');
});

test('the search works without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fi-FI' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'certs@demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/`);
	await page.getByRole('searchbox', { name: 'Hae portaalista' }).fill('lahtinen');
	await page.getByRole('search').getByRole('button', { name: 'Hae' }).press('Enter');
	await expect(page).toHaveURL(/\/search\?q=lahtinen/);
	await expect(page.getByRole('region', { name: /^Vuokralaiset/ }).getByRole('link', { name: 'Fysioterapia Lahtinen' })).toBeVisible();
	// (axe needs JavaScript in the page; the same page is checked with it above.)
	await context.close();
});
