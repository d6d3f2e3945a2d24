import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, navTo, signIn, test } from './fixtures';

/** A fresh certificate and its key, made with openssl as an administrator would get them. */
function makeCertificate(commonName: string, days: number) {
	const dir = mkdtempSync(join(tmpdir(), 'liitos-cert-'));
	const result = spawnSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-keyout',
			join(dir, 'key.pem'),
			'-out',
			join(dir, 'cert.pem'),
			'-days',
			String(days),
			'-subj',
			`/CN=${commonName}/O=Demo Terveys Oy/C=FI`
		],
		{ encoding: 'utf8' }
	);
	expect(result.status, result.stderr).toBe(0);
	return { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
}

test('the certificate administrator uploads a certificate, sees its expiry, and finds it on the dashboard', async ({ page }) => {
	const { cert, key } = makeCertificate('kanta-test.demo-terveys.test', 45);
	await signIn(page, DEMO_URL, 'certs@demo.test', DEMO_PASSWORD);
	await navTo(page, 'Certificates');
	await expectNoAxeViolations(page);
	await page.getByRole('link', { name: 'Add certificate' }).click();
	await expect(page).toHaveURL(/\/certificates\/new$/);
	await page.getByLabel('Certificate type').selectOption('server_test');
	await page.getByLabel('Holder', { exact: true }).selectOption({ index: 1 });

	// A private key is refused already in the browser, before anything is sent.
	await page
		.getByLabel('Certificate file (PEM or DER)')
		.setInputFiles({ name: 'bundle.pem', mimeType: 'application/x-pem-file', buffer: Buffer.concat([cert, key]) });
	await expect(page.locator('#field-file-warning')).toContainText('private key');
	await expect(page.getByLabel('Certificate file (PEM or DER)')).toHaveValue('');

	await page
		.getByLabel('Certificate file (PEM or DER)')
		.setInputFiles({ name: 'cert.pem', mimeType: 'application/x-pem-file', buffer: cert });
	await page.getByRole('button', { name: 'Check the certificate' }).click();
	await expect(page.getByText('CN=kanta-test.demo-terveys.test').first()).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Save certificate' }).click();
	await expect(page.getByText('The certificate was saved.')).toBeVisible();
	const expiry = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Europe/Helsinki' }).format(
		new Date(Date.now() + 45 * 86_400_000)
	);
	await expect(page.getByText(expiry).first()).toBeVisible();

	// The dashboard lists it among those expiring within 60 days.
	await page.goto(`${DEMO_URL}/certificates?bucket=within_60`);
	await expect(page.getByRole('cell', { name: /kanta-test\.demo-terveys\.test/ }).first()).toBeVisible();
	await expectNoAxeViolations(page);

	// The same file again is reported as a duplicate.
	await page.goto(`${DEMO_URL}/certificates/new`);
	await page.getByLabel('Certificate type').selectOption('server_test');
	await page.getByLabel('Holder', { exact: true }).selectOption({ index: 1 });
	await page
		.getByLabel('Certificate file (PEM or DER)')
		.setInputFiles({ name: 'cert.pem', mimeType: 'application/x-pem-file', buffer: cert });
	await page.getByRole('button', { name: 'Check the certificate' }).click();
	await page.getByRole('button', { name: 'Save certificate' }).click();
	await expect(page.getByRole('alert')).toContainText('This certificate is already in Liitos.');
	await expect(page.getByRole('alert').getByRole('link', { name: 'Open it' })).toBeVisible();
});

test('a private key sent past the browser is refused by the server too', async ({ page }) => {
	const { key } = makeCertificate('x.test', 10);
	await signIn(page, DEMO_URL, 'certs@demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/certificates/new`);
	const response = await page.request.post(`${DEMO_URL}/certificates/new?/inspect`, {
		headers: { origin: DEMO_URL, accept: 'text/html' },
		multipart: { kind: 'server', holder: 'main_connector', file: { name: 'key.pem', mimeType: 'application/x-pem-file', buffer: key } }
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain('private key');
});

test('the certificate administrator finds a holder by searching, and what was typed stays', async ({ page }) => {
	await signIn(page, DEMO_URL, 'certs@demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/certificates/new`);
	await page.getByLabel('Certificate type').selectOption('staff_card');
	await page.getByLabel('Reference').fill('Card 4711');
	await page.getByLabel('Valid until').fill('2031-05-31');
	await page.getByLabel('Find a holder').fill('STAFF2@tenant2');
	await page.getByLabel('Find a holder').press('Enter');
	await expect(page).toHaveURL(/holderQuery=STAFF2%40tenant2/);

	// The page comes back with the one person found, and everything typed before the search.
	await expect(page.getByLabel('Certificate type')).toHaveValue('staff_card');
	await expect(page.getByLabel('Reference')).toHaveValue('Card 4711');
	await expect(page.getByLabel('Valid until')).toHaveValue('2031-05-31');
	const holder = page.getByLabel('Holder', { exact: true });
	await expect(holder.locator('option')).toHaveText([/Choose/, /Main connector/, /^Tenant 2 Staff Two \(staff2@tenant2\.demo\.test\)/]);
	await expectNoAxeViolations(page);
	await holder.selectOption({ label: await holder.locator('option').nth(2).innerText() });
	await page.getByRole('button', { name: 'Save certificate' }).click();
	await expect(page.getByText('The certificate was saved.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Tenant 2 Staff Two');
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the holder search is a plain form, and a tenant found by business ID gets its certificate', async ({ page }) => {
		await signIn(page, DEMO_URL, 'certs@demo.test', DEMO_PASSWORD);
		await page.goto(`${DEMO_URL}/certificates/new`);
		await page.getByLabel('Certificate type').selectOption('security_assessment');
		await page.getByLabel('Valid until').fill('2030-12-31');
		await page.getByLabel('Find a holder').fill('2345678');
		await page.getByRole('button', { name: 'Find', exact: true }).click();
		await expect(page).toHaveURL(/holderQuery=2345678/);
		await expect(page.getByLabel('Valid until')).toHaveValue('2030-12-31');
		await page.getByLabel('Holder', { exact: true }).selectOption({ label: 'Tenant: Kotihoito Aalto Oy (2345678-0)' });
		await page.getByRole('button', { name: 'Save certificate' }).click();
		await expect(page.getByText('The certificate was saved.')).toBeVisible();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Kotihoito Aalto Oy');
	});
});
