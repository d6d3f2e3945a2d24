import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DIR, DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';
import { startTestProvider, type TestProvider } from '../support/oidc-test-provider';

// A real OpenID Connect provider (oidc-provider) in this process, configured for the demo server by
// writing the file LIITOS_OIDC_CONFIG names (see playwright.config.ts); removed afterwards.
const configFile = join(DEMO_DIR, 'oidc.json');
let op: TestProvider;

test.beforeAll(async () => {
	op = await startTestProvider({ redirectUris: [`${DEMO_URL}/oidc/callback`], postLogoutRedirectUris: [`${DEMO_URL}/login`] });
	writeFileSync(
		configFile,
		JSON.stringify({
			providers: [
				{
					id: 'staff',
					displayName: 'Demo Entra',
					issuer: op.issuer,
					clientId: op.clientId,
					clientSecret: op.clientSecret,
					organisation: 'main'
				}
			]
		})
	);
	op.accounts.set('sub-admin', { sub: 'sub-admin', email: 'admin@demo.test', name: 'Demo Admin' });
	op.accounts.set('sub-certs', { sub: 'sub-certs', email: 'certs@demo.test', name: 'Ceija Certs' });
	op.accounts.set('sub-stranger', { sub: 'sub-stranger', email: 'stranger@example.fi' });
});

test.afterAll(async () => {
	rmSync(configFile, { force: true });
	await op?.close();
});

test('signing in through the organisation’s provider, and out of both', async ({ page }) => {
	await page.goto(`${DEMO_URL}/login`);
	const button = page.getByRole('link', { name: 'Sign in with Demo Entra' });
	await expect(button).toBeVisible();
	await expectNoAxeViolations(page);
	op.nextLogin = { sub: 'sub-certs', amr: ['pwd'] };
	await button.click();
	await expect(page).toHaveURL(`${DEMO_URL}/`);
	await expect(page.getByRole('heading', { name: 'Demo Terveys Oy' })).toBeVisible();
	// Signing out ends the session here and at the provider, which sends the browser back to /login.
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(new RegExp(`^${op.issuer}/session/end`));
	await page.getByRole('button', { name: /yes/i }).click();
	await expect(page).toHaveURL(`${DEMO_URL}/login`);
	await page.goto(`${DEMO_URL}/tenants`);
	await expect(page).toHaveURL(/\/login/);
});

test('an administrator whose provider asserted MFA skips the local second step; without it the step is asked', async ({ page }) => {
	op.nextLogin = { sub: 'sub-admin', amr: ['pwd', 'otp'] };
	await page.goto(`${DEMO_URL}/login`);
	await page.getByRole('link', { name: 'Sign in with Demo Entra' }).click();
	await expect(page).toHaveURL(`${DEMO_URL}/`);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.getByRole('button', { name: /yes/i }).click();
	await expect(page).toHaveURL(`${DEMO_URL}/login`);

	op.nextLogin = { sub: 'sub-admin', amr: ['pwd'] };
	await page.getByRole('link', { name: 'Sign in with Demo Entra' }).click();
	await expect(page).toHaveURL(/\/two-factor/);
});

test('an e-mail without an account is refused on a clear page', async ({ page }) => {
	op.nextLogin = { sub: 'sub-stranger' };
	await page.goto(`${DEMO_URL}/login`);
	await page.getByRole('link', { name: 'Sign in with Demo Entra' }).click();
	await expect(page).toHaveURL(/\/oidc\/callback/);
	await expect(page.getByRole('heading', { name: 'Sign-in did not succeed' })).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('There is no active account with this e-mail address');
	await expectNoAxeViolations(page);
	await page.goto(`${DEMO_URL}/`);
	await expect(page).toHaveURL(/\/login/);
});

test('a tampered state and a replayed callback are refused, in the reader’s language', async ({ page }) => {
	op.nextLogin = { sub: 'sub-certs' };
	// page.request sends no Accept-Language: choose the language the way the switch does.
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: DEMO_URL }]);
	// Walk the redirects with the browser's own cookies, stopping before the portal sees the callback.
	let next = `${DEMO_URL}/login/oidc/staff`;
	while (!next.startsWith(`${DEMO_URL}/oidc/callback`)) {
		const response = await page.request.get(next, { maxRedirects: 0 });
		expect(response.status(), next).toBe(303);
		next = new URL(response.headers().location, next).href;
	}
	const callback = new URL(next);
	const tampered = new URL(callback);
	tampered.searchParams.set('state', 'forged');
	await page.goto(tampered.href);
	await expect(page.getByRole('alert')).toContainText('could not be accepted');
	// The request was used up by the refused attempt: the genuine callback, replayed, finds nothing.
	await page.goto(callback.href);
	await expect(page.getByRole('alert')).toContainText('expired or has already been used');
	await page.goto(`${DEMO_URL}/`);
	await expect(page).toHaveURL(/\/login/);

	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'fi', url: DEMO_URL }]);
	await page.goto(callback.href);
	await expect(page.getByRole('heading', { name: 'Kirjautuminen ei onnistunut' })).toBeVisible();
});

test('an administrator sets the main connector to single sign-on only; passwords are then refused', async ({ page, browser }) => {
	op.nextLogin = { sub: 'sub-admin', amr: ['mfa'] };
	await page.goto(`${DEMO_URL}/login`);
	await page.getByRole('link', { name: 'Sign in with Demo Entra' }).click();
	await expect(page).toHaveURL(`${DEMO_URL}/`);
	await page.goto(`${DEMO_URL}/organisation`);
	await page.getByRole('link', { name: 'Single sign-on and strong identification' }).click();
	await expect(page.getByRole('heading', { name: 'Single sign-on', exact: true })).toBeVisible();
	await expectNoAxeViolations(page);
	const form = page.getByTestId('sso-form-main');
	const setSsoOnly = async (on: boolean) => {
		await form.getByLabel('Single sign-on only').setChecked(on);
		await form.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
	};
	await setSsoOnly(true);
	try {
		const other = await browser.newContext({ locale: 'en-GB' });
		const visitor = await other.newPage();
		await visitor.goto(`${DEMO_URL}/login`);
		await visitor.locator('input[name=email]').fill('certs@demo.test');
		await visitor.locator('input[name=password]').fill(DEMO_PASSWORD);
		await visitor.locator('form[data-testid=login-form] button[type=submit]').click();
		await expect(visitor.getByRole('alert')).toContainText('Your organisation signs in with single sign-on');
		await expect(visitor).toHaveURL(/\/login/);
		await other.close();
	} finally {
		// The demo server is shared with the other specs, which sign in with passwords.
		await setSsoOnly(false);
	}
});

test('countersigning with strong identification: an insufficient acr is refused, a sufficient one signs', async ({ browser }) => {
	test.setTimeout(120_000);
	const SUBSTANTIAL = 'http://eidas.europa.eu/LoA/substantial';
	op.accounts.set('sub-signer', { sub: 'sub-signer', email: 'signer@demo.test', name: 'Sakari Signer' });
	const viaProvider = async (sub: string) => {
		const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
		op.nextLogin = { sub, amr: ['mfa'] };
		await page.goto(`${DEMO_URL}/login`);
		await page.getByRole('link', { name: 'Sign in with Demo Entra' }).click();
		await expect(page).toHaveURL(`${DEMO_URL}/`);
		return page;
	};
	const admin = await viaProvider('sub-admin');
	// A fresh agreement for tenant 3, signed by the tenant with its password (the tenant requires nothing more).
	await admin.goto(`${DEMO_URL}/tenants`);
	await admin.getByRole('link', { name: 'Läkarmottagning Berg Ab' }).click();
	await admin.getByRole('link', { name: 'New agreement' }).click();
	await admin.getByRole('button', { name: 'Create draft' }).click();
	const agreementUrl = admin.url();
	await admin.getByLabel('Notice period (months)').fill('1');
	await admin.getByLabel('Place of signing').fill('Vasa');
	await admin.getByRole('region', { name: 'Complete the agreement' }).getByRole('button', { name: 'Save' }).click();
	await expect(admin.getByText('Saved.')).toBeVisible();
	await admin.getByRole('button', { name: 'Send to the tenant' }).click();
	await expect(admin.getByText('Sent to the tenant for signature.')).toBeVisible();
	const tenantSigner = await (await browser.newContext({ locale: 'en-GB' })).newPage();
	await signIn(tenantSigner, DEMO_URL, 'signer@tenant3.demo.test', DEMO_PASSWORD);
	await tenantSigner.goto(agreementUrl);
	await tenantSigner.getByLabel('Your full name').fill('Tenant 3 Signer');
	await tenantSigner.getByLabel('Title', { exact: true }).fill('Verksamhetsledare');
	await tenantSigner.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
	await tenantSigner.getByRole('button', { name: 'Sign', exact: true }).click();
	await expect(tenantSigner.getByText('Signed.')).toBeVisible({ timeout: 15_000 });

	// The main connector requires substantial identification at Demo Entra for its signatures.
	await admin.goto(`${DEMO_URL}/organisation/single-sign-on`);
	const form = admin.getByTestId('sso-form-main');
	await form.getByLabel('Strong identification at signing').selectOption({ label: 'Demo Entra' });
	await form.getByLabel('Minimum level of assurance (acr)').fill(SUBSTANTIAL);
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(admin.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
	try {
		// The signatory's account is linked to their identity by signing in through the provider.
		const signer = await viaProvider('sub-signer');
		const countersign = async (acr: string, sub = 'sub-signer') => {
			await signer.goto(agreementUrl);
			await expect(signer.getByText('Your organisation requires the signatory to be strongly identified at Demo Entra.')).toBeVisible();
			await expect(signer.getByLabel('Your password, to confirm it is you')).toHaveCount(0);
			await signer.getByLabel('Your full name').fill('Sakari Signer');
			await signer.getByLabel('Title', { exact: true }).fill('Verkställande direktör');
			await signer.getByRole('button', { name: 'Countersign' }).click();
			op.nextLogin = { sub, acr };
			await signer.getByRole('link', { name: 'Continue to identification at Demo Entra' }).click();
		};
		// Someone else identifies at the provider (another person's subject), at a sufficient level: refused.
		await countersign(SUBSTANTIAL, 'sub-certs');
		await expect(signer.getByRole('heading', { name: 'The signature did not succeed' })).toBeVisible();
		await expect(signer.getByRole('alert')).toContainText('The person identified is not the one linked to your account.');
		await expectNoAxeViolations(signer);
		await signer.goto(agreementUrl);
		await expect(signer.getByRole('button', { name: 'Countersign' })).toBeVisible();

		await countersign('http://eidas.europa.eu/LoA/low');
		await expect(signer.getByRole('heading', { name: 'The signature did not succeed' })).toBeVisible();
		await expect(signer.getByRole('alert')).toContainText('level of assurance of the identification is not enough');
		await expectNoAxeViolations(signer);
		const request = op.requests.at(-1)!;
		expect([request.get('prompt'), request.get('max_age'), request.get('acr_values')]).toEqual(['login', '0', SUBSTANTIAL]);

		await countersign(SUBSTANTIAL);
		await expect(signer).toHaveURL(new RegExp(`${agreementUrl}\\?signed=1$`));
		await expect(signer.getByText('Signed.')).toBeVisible();
		await expect(signer.getByText('In force').first()).toBeVisible();
		await expect(signer.getByText(`strongly identified: Demo Entra, level of assurance ${SUBSTANTIAL}`)).toBeVisible();
		await expectNoAxeViolations(signer);

		// /verify names the identification beside the signature of the sealed file.
		await expect(async () => {
			await signer.reload();
			await expect(signer.getByText('self-signed certificate')).toBeVisible({ timeout: 2_000 });
		}).toPass({ timeout: 30_000 });
		const sealed = await (await signer.request.get(`${agreementUrl}/pdf?download`)).body();
		await signer.goto(`${DEMO_URL}/verify`);
		await signer.getByLabel('PDF file').setInputFiles({ name: 'agreement.pdf', mimeType: 'application/pdf', buffer: sealed });
		await signer.getByRole('button', { name: 'Verify' }).click();
		await expect(signer.getByTestId('verify-result')).toContainText('Identical to the sealed original.');
		await expect(signer.getByTestId('verify-signatures')).toContainText(
			`strongly identified: Demo Entra, level of assurance ${SUBSTANTIAL}`
		);
		await expectNoAxeViolations(signer);
	} finally {
		await admin.goto(`${DEMO_URL}/organisation/single-sign-on`);
		await form.getByLabel('Strong identification at signing').selectOption({ label: 'Not required' });
		await form.getByLabel('Minimum level of assurance (acr)').fill('');
		await form.getByRole('button', { name: 'Save' }).click();
		await expect(admin.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
	}
});
