import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS, DEMO_URL, expect, expectNoAxeViolations, freshTotp, signIn, test } from './fixtures';

/** A signed-in page of its own, so several people can take part in one journey. */
async function as(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

test('campaign: drafts for chosen tenants → send → remind → tenant signs → batch countersign → sealed → CSV', async ({ browser }) => {
	test.setTimeout(150_000);
	const admin = await as(browser, 'admin@demo.test');

	await admin.goto(`${DEMO_URL}/agreements`);
	await admin.getByRole('link', { name: 'Campaigns' }).click();
	await expect(admin.getByRole('heading', { name: 'Agreement campaigns' })).toBeVisible();
	await admin.getByRole('link', { name: 'Start a campaign' }).click();
	await expectNoAxeViolations(admin);

	// "Chosen tenants" without any chosen is refused beside the list, keeping what was typed.
	await admin.getByLabel('Campaign name').fill('Model agreement v2');
	await admin.getByLabel('Chosen tenants').check();
	await admin.getByLabel('Message to the tenants').fill('The new model version replaces the earlier agreement once both have signed.');
	await admin.getByRole('button', { name: 'Create the drafts' }).click();
	await expect(admin.locator('#field-tenantIds-error')).toHaveText('Choose at least one tenant.');
	await expect(admin.getByLabel('Campaign name')).toHaveValue('Model agreement v2');
	await expectNoAxeViolations(admin);

	// The tenant list's bulk action: tick tenants, confirm the count, and the campaign form says how many before anything is made.
	await admin.goto(`${DEMO_URL}/tenants`);
	await admin.getByLabel('Select Fysioterapia Lahtinen').check();
	await admin.getByLabel('Select Läkarmottagning Berg Ab').check();
	await expectNoAxeViolations(admin);
	await admin.getByRole('button', { name: 'Start a campaign for the selected' }).click();
	// The tenant list asks first, with the count; the campaign form then shows the choice again.
	await expect(admin.getByText('Start an agreement campaign for the selected tenants (2)?')).toBeVisible();
	await admin.getByRole('button', { name: 'Continue to the campaign form (2)' }).click();
	await expect(admin.getByText('2 tenants chosen on the tenant list.')).toBeVisible();
	await expect(admin.getByLabel('Chosen tenants')).toBeChecked();
	await expect(admin.getByLabel('Fysioterapia Lahtinen')).toBeChecked();
	await expect(admin.getByLabel('Läkarmottagning Berg Ab')).toBeChecked();
	await expect(admin.getByLabel('Kotihoito Aalto Oy')).not.toBeChecked();
	await admin.getByLabel('Campaign name').fill('Model agreement v2');
	await admin.getByLabel('Message to the tenants').fill('The new model version replaces the earlier agreement once both have signed.');
	await admin.getByRole('button', { name: 'Create the drafts' }).click();
	await expect(admin.getByText('Drafts created: 2.')).toBeVisible();
	await expect(admin.getByRole('heading', { name: 'Model agreement v2' })).toBeVisible();
	const campaignUrl = admin.url().split('?')[0];
	await expectNoAxeViolations(admin);

	await admin.getByRole('button', { name: 'Send the complete drafts (2)' }).click();
	await expect(admin.getByText('Agreements sent for signature: 2.')).toBeVisible();
	await admin.getByRole('button', { name: 'Remind those waiting (2)' }).click();
	await expect(admin.getByText('Tenants reminded: 2.')).toBeVisible();
	const tenantRow = admin.getByRole('row', { name: /Fysioterapia Lahtinen/ });
	await expect(tenantRow).toContainText('Waiting for the tenant');
	const agreementUrl = `${DEMO_URL}${await tenantRow.getByRole('link', { name: 'Fysioterapia Lahtinen' }).getAttribute('href')}`;

	// Tenant people never see a campaign: it spans many tenants.
	const tenantSigner = await as(browser, 'signer@tenant1.demo.test');
	expect((await tenantSigner.goto(campaignUrl))?.status()).toBe(403);
	expect((await tenantSigner.request.get(`${campaignUrl}/export.csv`, { maxRedirects: 0 })).status()).toBe(403);

	// The tenant signs its agreement as usual.
	await tenantSigner.goto(agreementUrl);
	await tenantSigner.getByLabel('Your full name').fill('Tenant 1 Signer');
	await tenantSigner.getByLabel('Title', { exact: true }).fill('Yrittäjä');
	await tenantSigner.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
	await tenantSigner.getByRole('button', { name: 'Sign', exact: true }).click();
	await expect(tenantSigner.getByText('Signed.')).toBeVisible({ timeout: 15_000 });

	// The administrator may follow the campaign but not countersign it.
	await admin.goto(campaignUrl);
	await expect(admin.getByRole('button', { name: /^Countersign/ })).toHaveCount(0);

	// The main connector's signatory countersigns all tenant-signed agreements with one confirmation.
	const mainSigner = await as(browser, 'signer@demo.test');
	await mainSigner.goto(campaignUrl);
	await expectNoAxeViolations(mainSigner);
	await mainSigner.getByLabel('Your full name').fill('Sakari Signer');
	await mainSigner.getByLabel('Title', { exact: true }).fill('Toimitusjohtaja');
	await mainSigner.getByLabel('Your password, to confirm it is you').fill('not the password');
	await mainSigner.getByLabel('Code from your authenticator app').fill('000000');
	await mainSigner.getByRole('button', { name: 'Countersign the agreements (1)' }).click();
	await expect(mainSigner.locator('#field-password-error')).toBeVisible({ timeout: 15_000 });
	await expect(mainSigner.getByLabel('Your full name')).toHaveValue('Sakari Signer');
	await mainSigner.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
	await mainSigner.getByLabel('Code from your authenticator app').fill(await freshTotp(DEMO_TOTP_SECRETS['signer@demo.test']));
	await mainSigner.getByRole('button', { name: 'Countersign the agreements (1)' }).click();
	await expect(mainSigner.getByText('Agreements countersigned: 1.')).toBeVisible({ timeout: 15_000 });

	// Sealing runs after the response; the progress bar fills as the page refreshes itself (no script needed).
	const progress = mainSigner.getByRole('progressbar', { name: /Sealed \d of 1/ });
	await expect(progress).toBeVisible();
	await mainSigner.goto(campaignUrl);
	await expect(mainSigner.getByText('Sealed 1 of 1')).toBeVisible({ timeout: 30_000 });
	await expect(mainSigner.getByRole('progressbar')).toHaveAttribute('value', '1');
	await expect(mainSigner.getByRole('row', { name: /Fysioterapia Lahtinen/ })).toContainText('Countersigned');
	await expectNoAxeViolations(mainSigner);

	// The status as CSV.
	const csv = await mainSigner.request.get(`${campaignUrl}/export.csv`);
	expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
	expect(csv.headers()['content-disposition']).toMatch(/^attachment; filename="campaign-/);
	const text = await csv.text();
	expect(text).toContain('Tenant,Business ID,State');
	expect(text).toMatch(/Fysioterapia Lahtinen,[^\r\n]*,Countersigned,/);
	expect(text).toMatch(/Läkarmottagning Berg Ab,[^\r\n]*,Waiting for the tenant,/);
});
