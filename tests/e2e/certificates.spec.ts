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
