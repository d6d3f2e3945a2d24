import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, navTo, signIn, test } from './fixtures';

async function as(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

test('a disturbance notice to one tenant: shown on its home page and e-mailed, not shown to others, gone once closed', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const title = `Kelain outage ${Date.now()}`;
	const admin = await as(browser, 'admin@demo.test');
	await navTo(admin, 'Announcements');
	await expectNoAxeViolations(admin);

	// Choosing tenants but none is refused; the text typed stays.
	await admin.getByLabel('Title').fill(title);
	await admin.getByLabel('Text').fill('Kelain cannot be reached; write prescriptions on paper until further notice.');
	await admin.getByLabel('Chosen tenants').check();
	await admin.getByRole('button', { name: 'Publish and e-mail' }).click();
	await expect(admin.locator('#tenant-ids-error')).toHaveText('Choose at least one tenant.');
	await expect(admin.getByLabel('Title')).toHaveValue(title);
	await admin.getByLabel('Läkarmottagning Berg Ab').check();
	await admin.getByRole('button', { name: 'Publish and e-mail' }).click();
	await expect(admin.getByRole('status').filter({ hasText: 'The announcement was published' })).toBeVisible();
	await expect(admin.getByRole('region', { name: 'Active' }).getByRole('link', { name: title })).toBeVisible();

	await admin.goto(`${DEMO_URL}/outbox`);
	await expect(admin.getByRole('article').filter({ hasText: 'To admin@tenant3.demo.test' }).filter({ hasText: title })).toHaveCount(1);
	await expect(admin.getByRole('article').filter({ hasText: 'To admin@tenant1.demo.test' }).filter({ hasText: title })).toHaveCount(0);

	const tenant3 = await as(browser, 'staff1@tenant3.demo.test');
	await expect(tenant3.getByRole('region', { name: 'Announcements' })).toContainText(title);
	await expectNoAxeViolations(tenant3);
	const tenant1 = await as(browser, 'staff1@tenant1.demo.test');
	await expect(tenant1.getByText(title)).toHaveCount(0);
	await tenant1.context().close();

	await admin.goto(`${DEMO_URL}/announcements`);
	await admin.getByRole('link', { name: title }).click();
	await expectNoAxeViolations(admin);
	await admin.getByText('Close the announcement').first().click();
	await admin.getByRole('button', { name: 'Close the announcement' }).click();
	await expect(admin.getByRole('status').filter({ hasText: 'The announcement was closed.' })).toBeVisible();
	await tenant3.reload();
	await expect(tenant3.getByText(title)).toHaveCount(0);
	await tenant3.context().close();
	await admin.context().close();
});
