import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

async function as(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

/** The "done of total" line, as a number, so the test can see progress rise. */
async function doneCount(page: Page): Promise<number> {
	const text = await page
		.getByText(/\d+ of \d+ required items done/)
		.first()
		.innerText();
	return Number(/(\d+) of/.exec(text)![1]);
}

test('evidence: tenant uploads → main connector returns it → tenant resubmits → verified → progress rises', async ({ browser }) => {
	test.setTimeout(90_000);
	const tenantAdmin = await as(browser, 'admin@tenant3.demo.test');
	await tenantAdmin.getByRole('link', { name: 'Open the checklist' }).click();
	await expect(tenantAdmin.getByRole('heading', { name: 'Checklist: Läkarmottagning Berg Ab' })).toBeVisible();
	await expectNoAxeViolations(tenantAdmin);
	const checklistUrl = tenantAdmin.url();
	const before = await doneCount(tenantAdmin);

	const item = tenantAdmin.getByRole('article', { name: 'Self-monitoring plan updated' });
	// Submitting without the evidence it needs is refused.
	await item.getByRole('button', { name: 'Submit for verification' }).click();
	await expect(tenantAdmin.getByRole('article', { name: 'Self-monitoring plan updated' }).getByRole('alert')).toHaveText(
		'Add the evidence this item needs before submitting.'
	);
	// A file whose content is not what its name says is refused.
	await item
		.getByLabel('Evidence file')
		.setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
	await item.getByRole('button', { name: 'Upload' }).click();
	await expect(item.locator('span.error')).toBeVisible();

	await item.getByLabel('Evidence file').setInputFiles({
		name: 'omavalvonta.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('Omavalvontasuunnitelma 2026 – päivitetty Kanta-käyttöä varten.')
	});
	await item.getByRole('button', { name: 'Upload' }).click();
	await expect(item.getByText('The file was uploaded.')).toBeVisible();
	await expect(item.getByRole('link', { name: 'omavalvonta.txt' })).toBeVisible();
	await item.getByRole('button', { name: 'Submit for verification' }).click();
	await expect(item.getByText('Submitted for verification.')).toBeVisible();

	// The evidence downloads as an attachment for people who may see this tenant, and for nobody else.
	const href = await item.getByRole('link', { name: 'omavalvonta.txt' }).getAttribute('href');
	const download = await tenantAdmin.request.get(`${DEMO_URL}${href}`);
	expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="omavalvonta.txt"/);
	const otherTenant = await as(browser, 'admin@tenant1.demo.test');
	expect((await otherTenant.request.get(`${DEMO_URL}${href}`)).status()).toBe(404);
	expect((await otherTenant.goto(checklistUrl))?.status()).toBe(404);

	// The main connector returns it with a reason.
	const admin = await as(browser, 'admin@demo.test');
	await admin.goto(checklistUrl);
	const adminItem = admin.getByRole('article', { name: 'Self-monitoring plan updated' });
	await adminItem.locator('summary', { hasText: 'Return with a reason' }).click();
	await adminItem.getByLabel('What is missing or wrong?').fill('The plan does not yet mention the Kanta archive.');
	await adminItem.locator('form[action="?/return"] button[type=submit]').click();
	await expect(adminItem.getByText('Returned to the tenant.')).toBeVisible();
	await expectNoAxeViolations(admin);

	// The tenant sees why, and resubmits.
	await tenantAdmin.goto(checklistUrl);
	await expect(item.getByText('Returned: The plan does not yet mention the Kanta archive.')).toBeVisible();
	await item.getByLabel('Evidence file').setInputFiles({
		name: 'omavalvonta-v2.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('Omavalvontasuunnitelma v2: Kanta-arkisto mukana.')
	});
	await item.getByRole('button', { name: 'Upload' }).click();
	await item.getByRole('button', { name: 'Submit for verification' }).click();
	await expect(item.getByText('Submitted for verification.')).toBeVisible();

	// Verified: the tenant's progress rises by one.
	await admin.goto(checklistUrl);
	await adminItem.getByRole('button', { name: 'Verify' }).click();
	await expect(adminItem.getByText('Verified.')).toBeVisible();
	await tenantAdmin.goto(checklistUrl);
	await expect(item.locator('.badge', { hasText: 'Verified' })).toBeVisible();
	expect(await doneCount(tenantAdmin)).toBe(before + 1);
});
