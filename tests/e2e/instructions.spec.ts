import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, navTo, signIn, test } from './fixtures';

const TITLE = 'Työaseman lukitseminen';
const TENANT_2 = 'Kotihoito Aalto Oy';
/** A minimal PDF: enough for the content check, which reads the file's own signature. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

async function as(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

/**
 * A coverage line ("x of y acknowledged": the instruction's on the tenant page, the tenant's on the
 * instruction page), checked against its drill-down: y people listed, x of them acknowledged.
 */
async function coverageOf(page: Page, line: string): Promise<{ acknowledged: number; total: number }> {
	// The instruction page lists a tenant's people only once that tenant is opened (a link).
	const link = page.locator('a[data-coverage-link]', { hasText: line });
	if (await link.count()) await link.click();
	const details = page.locator('details').filter({ has: page.locator('summary', { hasText: line }) });
	const summary = await details.locator('summary').innerText();
	const [, acknowledged, total] = /(\d+) of (\d+) acknowledged/.exec(summary)!.map(Number);
	if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
	await expect(details.locator('tbody tr')).toHaveCount(total);
	await expect(details.locator('tbody .badge', { hasText: /^Acknowledged$/ })).toHaveCount(acknowledged);
	return { acknowledged, total };
}

test('instructions: published for one tenant → acknowledged → material change → what changed → acknowledged again', async ({ browser }) => {
	test.setTimeout(120_000);

	// The administrator writes an instruction for tenant 2 only, with a PDF.
	const admin = await as(browser, 'admin@demo.test');
	await navTo(admin, 'Instructions');
	await expect(admin.getByRole('heading', { name: 'Instructions', level: 1 })).toBeVisible();
	await expectNoAxeViolations(admin);
	await admin.getByRole('link', { name: 'New instruction' }).click();
	await expectNoAxeViolations(admin);
	await admin.getByLabel('Category').selectOption('card_handling');
	await admin.getByLabel('Only the tenants chosen below').check();
	await admin.getByLabel(TENANT_2).check();
	await expect(admin.getByLabel('All staff')).toBeChecked();
	await expect(admin.getByLabel('Readers must acknowledge it')).toBeChecked();
	await admin.getByLabel('Title in Finnish').fill(TITLE);
	await admin.getByLabel('Text in Finnish').fill('Lukitse työasema aina, kun poistut sen ääreltä.');
	await admin.getByLabel('Title in Swedish').fill('Låsning av arbetsstationen');
	await admin.getByLabel('Text in Swedish').fill('Lås alltid arbetsstationen när du lämnar den.');
	await admin.getByLabel('PDF attachment (optional)').setInputFiles({ name: 'lukitus.pdf', mimeType: 'application/pdf', buffer: PDF });
	await admin.getByRole('button', { name: 'Publish', exact: true }).click();
	await expect(admin.getByText('The instruction was published.')).toBeVisible();
	await expect(admin.getByRole('heading', { name: TITLE, level: 1 })).toBeVisible();
	const adminUrl = admin.url().split('?')[0];
	const id = adminUrl.split('/').pop()!;
	// Only tenant 2 is in the coverage, nobody has acknowledged yet.
	await expect(admin.getByRole('region', { name: 'Acknowledgements' }).getByRole('listitem')).toHaveCount(1);
	await expect(admin.getByRole('region', { name: 'Acknowledgements' })).toContainText('0 of');
	const before = await coverageOf(admin, TENANT_2);
	expect(before.acknowledged).toBe(0);
	expect(before.total).toBeGreaterThan(1);
	await expectNoAxeViolations(admin);

	// A staff member of tenant 2 sees it waiting, reads it and acknowledges.
	const staff = await as(browser, 'staff1@tenant2.demo.test');
	await navTo(staff, /My instructions/);
	const pending = staff.getByRole('region', { name: /Awaiting your acknowledgement/ });
	await expect(pending.getByRole('link', { name: TITLE })).toBeVisible();
	await expectNoAxeViolations(staff);
	await pending.getByRole('link', { name: TITLE }).click();
	await expect(staff.getByText('Lukitse työasema aina')).toBeVisible();
	const attachment = await staff.getByRole('link', { name: /Download the attachment lukitus\.pdf/ }).getAttribute('href');
	const download = await staff.request.get(`${DEMO_URL}${attachment}`);
	expect(download.status()).toBe(200);
	expect(download.headers()['content-type']).toBe('application/pdf');
	await expectNoAxeViolations(staff);
	await staff.getByRole('button', { name: 'I have read and will follow this instruction' }).click();
	await expect(staff.getByText('Your acknowledgement was recorded.')).toBeVisible();
	const readerUrl = staff.url();

	// The tenant's administrator sees 1 of N on the tenant's coverage page.
	const tenantAdmin = await as(browser, 'admin@tenant2.demo.test');
	await tenantAdmin.getByRole('link', { name: 'Our organisation' }).click();
	await tenantAdmin.getByRole('link', { name: 'Instruction acknowledgements' }).click();
	await expect(tenantAdmin.getByRole('heading', { name: `Instruction acknowledgements: ${TENANT_2}` })).toBeVisible();
	const coverageUrl = tenantAdmin.url();
	expect(await coverageOf(tenantAdmin, TITLE)).toEqual({ acknowledged: 1, total: before.total });
	await expectNoAxeViolations(tenantAdmin);
	const csv = await tenantAdmin.request.get(`${coverageUrl}/coverage.csv`);
	expect(csv.headers()['content-disposition']).toMatch(/^attachment;/);
	expect(await csv.text()).toContain('staff1@tenant2.demo.test');

	// A material version: the acknowledgement no longer counts.
	await admin.goto(adminUrl);
	await admin.getByLabel('Material change').check();
	await admin.getByLabel('Change summary').fill('Näytön lukitus pikanäppäimellä');
	await admin.getByLabel('Text in Finnish').fill('Lukitse työasema aina, kun poistut sen ääreltä. Käytä pikanäppäintä Windows + L.');
	await admin.getByLabel('Text in Swedish').fill('Lås alltid arbetsstationen när du lämnar den. Använd kortkommandot Windows + L.');
	await admin.getByRole('button', { name: 'Publish the new version' }).click();
	await expect(admin.getByText('Version 2 was published.')).toBeVisible();
	await expectNoAxeViolations(admin);
	await tenantAdmin.goto(coverageUrl);
	expect(await coverageOf(tenantAdmin, TITLE)).toEqual({ acknowledged: 0, total: before.total });
	await expect(
		tenantAdmin.getByRole('region', { name: 'Who is missing what' }).getByRole('row', { name: /Tenant 2 Staff One/ })
	).toContainText(TITLE);

	// The staff member sees what changed since version 1 and acknowledges again.
	await staff.goto(readerUrl);
	await expect(staff.getByRole('heading', { name: 'What changed since you last acknowledged (v1)' })).toBeVisible();
	await expect(staff.getByText('Näytön lukitus pikanäppäimellä')).toBeVisible();
	await expect(staff.locator('.diff ins').filter({ hasText: 'Windows' })).toBeVisible();
	await expectNoAxeViolations(staff);
	await staff.getByRole('button', { name: 'I have read and will follow this instruction' }).click();
	await expect(staff.getByText('Your acknowledgement was recorded.')).toBeVisible();
	await expect(staff.getByRole('heading', { name: /What changed/ })).toHaveCount(0);

	await tenantAdmin.goto(coverageUrl);
	expect(await coverageOf(tenantAdmin, TITLE)).toEqual({ acknowledged: 1, total: before.total });
	await admin.goto(adminUrl);
	expect(await coverageOf(admin, TENANT_2)).toEqual({ acknowledged: 1, total: before.total });

	// Another tenant's staff never sees it: not listed, its page and its PDF are 404.
	const other = await as(browser, 'staff1@tenant3.demo.test');
	await navTo(other, /My instructions/);
	await expect(other.getByRole('heading', { name: 'My instructions', level: 1 })).toBeVisible();
	await expect(other.getByRole('link', { name: TITLE })).toHaveCount(0);
	await expectNoAxeViolations(other);
	expect((await other.goto(`${DEMO_URL}/my-instructions/${id}`))?.status()).toBe(404);
	await expectNoAxeViolations(other);
	expect((await other.request.get(`${DEMO_URL}${attachment}`)).status()).toBe(404);
});
