import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS, DEMO_URL, expect, expectNoAxeViolations, freshTotp, navTo, signIn, test } from './fixtures';

/** A signed-in page of its own, so several people can take part in one journey. */
async function as(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

/** A form action posted directly, as a browser without the form would: the server must refuse it. */
function postAction(page: Page, url: string, fields: Record<string, string>) {
	return page.request.post(url, { form: fields, headers: { origin: DEMO_URL, accept: 'text/html' }, maxRedirects: 0 });
}

const helsinkiToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(new Date());

test('draft → tenant signs → main connector countersigns → sealed PDF verifies → notice', async ({ browser }) => {
	test.setTimeout(120_000);
	const admin = await as(browser, 'admin@demo.test');

	// The administrator drafts an agreement for tenant 3 (Swedish) from its page.
	await admin.getByRole('link', { name: 'Tenants' }).click();
	await admin.getByRole('link', { name: 'Läkarmottagning Berg Ab' }).click();
	await admin.getByRole('link', { name: 'New agreement' }).click();
	await expect(admin.getByLabel('Template')).toContainText('Avtal mellan huvudanslutare');
	// New agreements start from template v2 (the model agreement as corrected), not v1.
	await expect(admin.getByLabel('Template').locator('option:checked')).toHaveText(/— v2 \(sv\) ★$/);
	await expectNoAxeViolations(admin);
	await admin.getByRole('button', { name: 'Create draft' }).click();
	await expect(admin.getByRole('heading', { name: 'Agreement: Läkarmottagning Berg Ab' })).toBeVisible();
	const agreementUrl = admin.url();
	// Typed before the page has hydrated, the values would be set back to the saved ones (seen under load).
	await admin.waitForLoadState('networkidle');

	// Bad input keeps what was typed and says what is wrong.
	await admin.getByLabel('Notice period (months)').fill('0');
	await admin.getByLabel('Place of signing').fill('Vasa');
	await admin.getByRole('region', { name: 'Complete the agreement' }).getByRole('button', { name: 'Save' }).click();
	await expect(admin.locator('#field-noticeMonths-error')).toHaveText('Enter a whole number of months from 1 to 24.');
	await expect(admin.getByLabel('Place of signing')).toHaveValue('Vasa');
	await admin.getByLabel('Notice period (months)').fill('1');
	await admin.getByLabel(/We receive prescription renewal requests/).check();
	await admin.getByRole('region', { name: 'Complete the agreement' }).getByRole('button', { name: 'Save' }).click();
	await expect(admin.getByText('Saved.')).toBeVisible();
	await expectNoAxeViolations(admin);

	// The draft preview is a PDF.
	const preview = await admin.request.get(`${agreementUrl}/pdf`);
	expect(preview.headers()['content-type']).toBe('application/pdf');
	expect((await preview.body()).subarray(0, 5).toString()).toBe('%PDF-');

	await admin.getByRole('button', { name: 'Send to the tenant' }).click();
	await expect(admin.getByText('Sent to the tenant for signature.')).toBeVisible();
	await expect(admin.getByText("Awaiting tenant's signature").first()).toBeVisible();

	// The main connector's signatory cannot sign before the tenant.
	const mainSigner = await as(browser, 'signer@demo.test');
	await mainSigner.goto(agreementUrl);
	await expect(mainSigner.getByRole('button', { name: 'Countersign' })).toHaveCount(0);
	const early = await postAction(mainSigner, `${agreementUrl}?/sign`, { typedName: 'Sakari Signer', title: 'VD', password: DEMO_PASSWORD });
	expect(early.status()).toBe(400);

	// Staff cannot sign, nor even see the agreement.
	const staff = await as(browser, 'staff1@tenant3.demo.test');
	expect((await staff.goto(agreementUrl))?.status()).toBe(404);
	expect(
		(await postAction(staff, `${agreementUrl}?/sign`, { typedName: 'Tenant 3 Staff One', title: 'x', password: DEMO_PASSWORD })).status()
	).toBe(404);

	// The tenant's signatory signs: a wrong name is refused, then the right one is accepted.
	const tenantSigner = await as(browser, 'signer@tenant3.demo.test');
	await tenantSigner.goto(agreementUrl);
	await tenantSigner.getByLabel('Your full name').fill('Someone Else');
	await tenantSigner.getByLabel('Title', { exact: true }).fill('Verksamhetsledare');
	await tenantSigner.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
	await tenantSigner.getByRole('button', { name: 'Sign', exact: true }).click();
	await expect(tenantSigner.locator('#field-typedName-error')).toBeVisible({ timeout: 15_000 });
	await expect(tenantSigner.getByLabel('Title', { exact: true })).toHaveValue('Verksamhetsledare');
	await tenantSigner.getByLabel('Your full name').fill('Tenant 3 Signer');
	await tenantSigner.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
	await tenantSigner.getByRole('button', { name: 'Sign', exact: true }).click();
	await expect(tenantSigner.getByText('Signed.')).toBeVisible({ timeout: 15_000 });
	await expectNoAxeViolations(tenantSigner);
	// …and now it is the main connector's turn, not theirs.
	expect(
		(
			await postAction(tenantSigner, `${agreementUrl}?/sign`, { typedName: 'Tenant 3 Signer', title: 'x', password: DEMO_PASSWORD })
		).status()
	).toBe(400);

	// The main connector's signatory countersigns; the agreement comes into force and is sealed.
	await mainSigner.goto(agreementUrl);
	await mainSigner.getByLabel('Your full name').fill('Sakari Signer');
	await mainSigner.getByLabel('Title', { exact: true }).fill('Verkställande direktör');
	await mainSigner.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
	// The signatory uses an authenticator, so the signature asks for its code as well.
	await mainSigner.getByLabel('Code from your authenticator app').fill('000000');
	await mainSigner.getByRole('button', { name: 'Countersign' }).click();
	await expect(mainSigner.locator('#field-code-error')).toContainText('The code is not valid', { timeout: 15_000 });
	await expect(mainSigner.getByLabel('Your full name')).toHaveValue('Sakari Signer');
	await mainSigner.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
	await mainSigner.getByLabel('Code from your authenticator app').fill(await freshTotp(DEMO_TOTP_SECRETS['signer@demo.test']));
	await mainSigner.getByRole('button', { name: 'Countersign' }).click();
	await expect(mainSigner.getByText('Signed.')).toBeVisible({ timeout: 15_000 });
	await expect(mainSigner.getByText('In force').first()).toBeVisible();
	await expect(mainSigner.getByText('self-signed certificate')).toBeVisible();

	// Both parties download the same sealed file.
	const fromMain = await mainSigner.request.get(`${agreementUrl}/pdf?download`);
	expect(fromMain.headers()['content-disposition']).toMatch(/^attachment; filename="agreement-/);
	const sealed = await fromMain.body();
	const fromTenant = await tenantSigner.request.get(`${agreementUrl}/pdf?download`);
	expect(Buffer.compare(await fromTenant.body(), sealed)).toBe(0);

	// /verify recognises the original, and notices a single changed byte.
	await navTo(tenantSigner, 'Verify a PDF');
	await tenantSigner.getByLabel('PDF file').setInputFiles({ name: 'agreement.pdf', mimeType: 'application/pdf', buffer: sealed });
	await tenantSigner.getByRole('button', { name: 'Verify' }).click();
	await expect(tenantSigner.getByTestId('verify-result')).toContainText('Identical to the sealed original.');
	await expect(tenantSigner.getByTestId('verify-result')).toContainText('Läkarmottagning Berg Ab');
	await expectNoAxeViolations(tenantSigner);

	const tampered = Buffer.from(sealed);
	const at = Math.floor(tampered.length / 3);
	tampered[at] = tampered[at] ^ 0x01;
	await tenantSigner.getByLabel('PDF file').setInputFiles({ name: 'tampered.pdf', mimeType: 'application/pdf', buffer: tampered });
	await tenantSigner.getByRole('button', { name: 'Verify' }).click();
	await expect(tenantSigner.getByTestId('verify-result')).toContainText('Does NOT match');

	// What the tenant's browser receives for the page holds no server path, address or browser string.
	const pageData = await (await tenantSigner.request.get(`${agreementUrl}/__data.json`)).text();
	expect(pageData).toContain('Tenant 3 Signer');
	for (const hidden of [
		'sealedPath',
		'ipAddress',
		'userAgent',
		'userId',
		process.env.LIITOS_E2E_TMP!,
		'127.0.0.1',
		'::1',
		'HeadlessChrome',
		'Mozilla/5.0'
	]) {
		expect(pageData, hidden).not.toContain(hidden);
	}

	// The tenant's administrator gives notice, which asks for their password like a signature:
	// not without it, not with a wrong one; it ends one month from today.
	const tenantAdmin = await as(browser, 'admin@tenant3.demo.test');
	expect((await postAction(tenantAdmin, `${agreementUrl}?/notice`, {})).status()).toBe(400);
	expect((await postAction(tenantAdmin, `${agreementUrl}?/notice`, { password: 'not the password' })).status()).toBe(400);
	await tenantAdmin.goto(agreementUrl);
	await expect(tenantAdmin.getByText('In force').first()).toBeVisible();
	const noticeForm = tenantAdmin.locator('form[action="?/notice"]');
	await tenantAdmin.getByText('Give notice', { exact: true }).first().click();
	await noticeForm.getByLabel('Your password, to confirm it is you').fill('still not the password');
	await noticeForm.locator('button[type=submit]').click();
	await expect(tenantAdmin.locator('#notice-password-error')).toHaveText('Your current password is not correct.');
	await expectNoAxeViolations(tenantAdmin);
	await noticeForm.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
	await noticeForm.locator('button[type=submit]').click();
	const [y, mo, d] = helsinkiToday().split('-').map(Number);
	const expected = new Date(Date.UTC(y, mo, Math.min(d, new Date(Date.UTC(y, mo + 1, 0)).getUTCDate())));
	const expectedText = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(expected);
	await expect(tenantAdmin.getByText(`Notice given. The agreement ends on ${expectedText}.`)).toBeVisible();
	await expect(tenantAdmin.getByText('Notice given').first()).toBeVisible();

	// Every step reached the people concerned by e-mail.
	await admin.goto(`${DEMO_URL}/outbox`);
	await expect(admin.getByText('Avtalet med Läkarmottagning Berg Ab är i kraft').first()).toBeVisible();
	await expect(admin.getByText('Avtalet med Läkarmottagning Berg Ab har sagts upp').first()).toBeVisible();
});

test('the new agreement page finds the tenant by a search, not a select of every tenant', async ({ browser }) => {
	const admin = await as(browser, 'admin@demo.test');
	await admin.goto(`${DEMO_URL}/agreements/new`);
	await admin.getByLabel('Find a tenant').fill('2345678');
	await admin.getByLabel('Find a tenant').press('Enter');
	await expect(admin).toHaveURL(/tenantQuery=2345678/);
	await expect(admin.getByLabel('Tenant', { exact: true }).locator('option')).toHaveText([/Choose/, 'Kotihoito Aalto Oy']);
	await admin.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Kotihoito Aalto Oy' });
	// A second search keeps the tenant chosen, listed beside what it finds.
	await admin.getByLabel('Find a tenant').fill('berg');
	await admin.getByRole('button', { name: 'Find', exact: true }).click();
	await expect(admin.getByLabel('Tenant', { exact: true }).locator('option:checked')).toHaveText('Kotihoito Aalto Oy');
	await expect(admin.getByLabel('Tenant', { exact: true }).locator('option')).toHaveText([
		/Choose/,
		'Kotihoito Aalto Oy',
		'Läkarmottagning Berg Ab'
	]);
	await expectNoAxeViolations(admin);
});

test('the template list shows one template’s text on request, not every version’s at once', async ({ browser }) => {
	const admin = await as(browser, 'admin@demo.test');
	await admin.goto(`${DEMO_URL}/agreements/templates`);
	await expect(admin.locator('pre.source')).toHaveCount(0);
	await admin.getByRole('link', { name: 'Show text' }).first().click();
	await expect(admin).toHaveURL(/\?show=/);
	await expect(admin.locator('pre.source')).toHaveCount(1);
	await expect(admin.locator('pre.source')).toContainText('{{');
	await expectNoAxeViolations(admin);
	await admin.getByRole('link', { name: 'Hide text' }).click();
	await expect(admin.locator('pre.source')).toHaveCount(0);
});
