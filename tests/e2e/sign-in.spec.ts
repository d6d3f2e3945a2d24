import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

test('signing in and out', async ({ page }) => {
	await page.goto(`${DEMO_URL}/`);
	await expect(page).toHaveURL(/\/login\?next=%2F$/);
	await expectNoAxeViolations(page);
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await expect(page.getByRole('heading', { name: 'Demo Terveys Oy' })).toBeVisible();
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(`${DEMO_URL}/login`);
	await page.goto(`${DEMO_URL}/tenants`);
	await expect(page).toHaveURL(/\/login/);
});

test('repeated wrong passwords are throttled with a time to try again', async ({ page }) => {
	const email = 'staff2@tenant3.demo.test';
	await page.goto(`${DEMO_URL}/login`);
	for (let attempt = 1; attempt <= 5; attempt++) {
		await page.locator('input[name=email]').fill(email);
		await page.locator('input[name=password]').fill(`wrong password ${attempt}`);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toHaveText('The e-mail address or password is not correct.');
		// The e-mail stays; the password never comes back.
		await expect(page.locator('input[name=email]')).toHaveValue(email);
		await expect(page.locator('input[name=password]')).toHaveValue('');
	}
	await page.locator('input[name=password]').fill('wrong password 6');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('Too many failed attempts. Try again after');

	// Even the right password waits until the block ends.
	await page.locator('input[name=password]').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('Too many failed attempts');
	await expectNoAxeViolations(page);
});

test('a tenant person reaches only their own tenant', async ({ page }) => {
	await signIn(page, DEMO_URL, 'admin@tenant1.demo.test', DEMO_PASSWORD);
	await expect(page.getByRole('heading', { name: 'Fysioterapia Lahtinen' })).toBeVisible();
	await page.getByRole('link', { name: 'Our organisation' }).click();
	await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
	await expect(page.getByText('staff1@tenant1.demo.test')).toBeVisible();
	await expectNoAxeViolations(page);
	for (const path of ['/tenants', '/organisation', '/services', '/outbox']) {
		expect((await page.goto(`${DEMO_URL}${path}`))?.status(), path).toBe(403);
	}
	// Malformed ids are a plain 404, never an error.
	expect((await page.goto(`${DEMO_URL}/tenants/not-a-uuid`))?.status()).toBe(404);
	// The tenant administrator's audit log shows only their own tenant.
	await page.goto(`${DEMO_URL}/audit`);
	await expect(page.getByRole('cell', { name: 'admin@tenant1.demo.test' }).first()).toBeVisible();
	await expect(page.getByText('tenant2.demo.test')).toHaveCount(0);
	await expectNoAxeViolations(page);
});
