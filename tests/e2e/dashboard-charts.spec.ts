import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DEMO_DIR, DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

/** The current (not archived) tenants, as the chart counts them now: other specs may have added some to the demo's three. */
function currentTenants(): number {
	const db = new Database(join(DEMO_DIR, 'liitos.db'), { readonly: true, fileMustExist: true });
	try {
		return (db.prepare('select count(*) as n from tenant where archived_at is null').get() as { n: number }).n;
	} finally {
		db.close();
	}
}

test('the dashboard draws expiries, the onboarding pipeline and coverage, each with its figures as a table', async ({ page }) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(90_000);
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/`);

	const expiries = page.getByRole('region', { name: 'Certificate expiries over the next 12 months' });
	await expect(expiries).toContainText(/\d+ already expired, \d+ expiring in the next 12 months/);
	await expiries.getByText('Show as figures (table)').click();
	const table = expiries.getByRole('table', { name: 'Certificates expiring per month and kind' });
	await expect(table.getByRole('row', { name: /Expired now/ })).toContainText('1');
	await expectNoAxeViolations(page);

	const stages = page.getByRole('region', { name: 'Tenants per stage over the last 12 months' });
	await expect(stages).toContainText(`now ${currentTenants()} tenants`);
	await expect(stages.getByRole('link', { name: 'In production' })).toHaveAttribute('href', '/tenants?stage=in_production');

	const coverage = page.getByRole('region', { name: 'Acknowledgement of instructions' });
	await expect(coverage.getByRole('listitem').first()).toContainText(/of \d+ acknowledged/);
	await expectNoAxeViolations(page);

	// A month's bar leads to the certificates expiring in that month.
	await table.getByRole('row').nth(2).getByRole('link').click();
	await expect(page).toHaveURL(/\/certificates\?month=\d{4}-\d{2}$/);
	await expect(page.getByRole('status').first()).toContainText('Showing certificates that expire in');
	await expectNoAxeViolations(page);
});

test('a tenant administrator sees checklist progress and their people’s training and cards at a glance', async ({ page }) => {
	await signIn(page, DEMO_URL, 'admin@tenant1.demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/`);
	const glance = page.getByRole('region', { name: 'Your people at a glance' });
	await expect(glance).toContainText('Required training complete:');
	await expect(glance.getByRole('row', { name: /Tenant 1 Staff Two/ })).toContainText('expired');
	await expectNoAxeViolations(page);
});
