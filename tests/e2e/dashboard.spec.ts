import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

test('the dashboard keeps expired certificates apart from those still to order', async ({ page }) => {
	// Demo data: Tenant 1 Staff Two's card expired ten days ago; Tenant 2 Staff One's expires in ten days.
	await signIn(page, DEMO_URL, 'certs@demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/`);

	const toOrder = page.getByRole('region', { name: 'Certificates to order this week' });
	await expect(toOrder.getByRole('link', { name: 'Tenant 2 Staff One' })).toBeVisible();
	await expect(toOrder.getByRole('link', { name: 'Tenant 1 Staff Two' })).toHaveCount(0);

	const expired = page.getByRole('region', { name: 'Expired certificates, not replaced' });
	await expect(expired.getByRole('link', { name: 'Tenant 1 Staff Two' })).toBeVisible();
	await expect(expired).toContainText('expired');
	await expectNoAxeViolations(page);

	await expired.getByRole('link', { name: 'All expired certificates' }).click();
	await expect(page).toHaveURL(/bucket=expired/);
	await expect(page.getByRole('cell', { name: /Tenant 1 Staff Two/ }).first()).toBeVisible();
});
