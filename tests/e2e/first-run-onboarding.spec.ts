import { expect, expectNoAxeViolations, freshTotp, navTo, startOwnServer, test, type OwnServer } from './fixtures';

/**
 * The whole first day of a new installation, on an empty database: setup, the first tenants,
 * an invitation through the outbox, and the invited person seeing only their own tenant. The
 * database must be empty whatever ran before, so the journey has a server of its own.
 */
let server: OwnServer;
test.beforeAll(async () => {
	server = await startOwnServer();
});
test.afterAll(async () => {
	await server?.stop();
});

test('fresh install → setup → tenant → invitation → tenant admin sees only their tenant', async ({ page, browser }) => {
	test.setTimeout(90_000);
	const FRESH_URL = server.url;

	// Every page leads to /setup while no main connector exists.
	await page.goto(`${FRESH_URL}/tenants`);
	await expect(page).toHaveURL(`${FRESH_URL}/setup`);
	await expect(page.getByRole('heading', { name: 'Set up Liitos' })).toBeVisible();
	await expectNoAxeViolations(page);

	await page.getByLabel('Name', { exact: true }).first().fill('Testi Terveys Oy');
	await page.getByLabel('Business ID').fill('2617416-4');
	await page.getByLabel('Organisation OID').fill('1.2.246.10.26174164');
	await page.getByLabel('Street address').fill('Testikatu 1');
	await page.getByLabel('Postal code').fill('00100');
	await page.getByLabel('City').fill('Helsinki');
	await page.getByLabel('Contact e-mail').fill('kanta@testi.example');
	await page.locator('#field-adminName').fill('Eeva Ensimmäinen');
	await page.locator('#field-adminEmail').fill('eeva@testi.example');
	await page.locator('#field-adminPassword').fill('short');
	await page.locator('#field-adminPasswordConfirm').fill('short');
	await page.getByRole('button', { name: 'Create and sign in' }).click();
	// A weak password is refused beside its field, and what was typed stays.
	await expect(page.locator('#field-adminPassword-error')).toHaveText('Use at least 12 characters.');
	await expect(page.getByLabel('Business ID')).toHaveValue('2617416-4');

	await page.locator('#field-adminPassword').fill('vihreä kettu juoksee 2026');
	await page.locator('#field-adminPasswordConfirm').fill('vihreä kettu juoksee 2026');
	await page.getByRole('button', { name: 'Create and sign in' }).click();

	// An administrator sets up an authenticator before anything else opens.
	await expect(page.getByRole('heading', { name: 'Set up an authenticator app' })).toBeVisible();
	await expect(page.getByText('Your role requires a code from an authenticator app')).toBeVisible();
	await expect(page.getByRole('img', { name: 'QR code for the authenticator app' })).toBeVisible();
	await expectNoAxeViolations(page);
	expect((await page.request.get(`${FRESH_URL}/tenants`, { maxRedirects: 0 })).headers().location).toBe(
		'/two-factor/setup?next=%2Ftenants'
	);
	const secret = (await page.getByTestId('totp-secret').innerText()).replace(/ /g, '');
	expect(secret).toMatch(/^[A-Z2-7]{32}$/);
	await page.getByLabel('The code the app shows').fill('000000');
	await page.getByRole('button', { name: 'Turn on' }).click();
	await expect(page.locator('#field-code-error')).toContainText('The code is not valid');
	await page.getByLabel('The code the app shows').fill(await freshTotp(secret, FRESH_URL));
	await page.getByRole('button', { name: 'Turn on' }).click();
	await expect(page.getByText('Two-step sign-in is now on.')).toBeVisible();
	await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
	await expectNoAxeViolations(page);
	await page.getByRole('link', { name: 'I have stored the codes – continue' }).click();
	await expect(page.getByRole('heading', { name: 'Testi Terveys Oy' })).toBeVisible();
	await expectNoAxeViolations(page);

	// Setup is gone for good.
	expect((await page.request.get(`${FRESH_URL}/setup`)).status()).toBe(404);

	// A tenant with a wrong check digit is refused with a message; the typed values stay.
	await page.getByRole('link', { name: 'New tenant' }).first().click();
	await expectNoAxeViolations(page);
	await page.getByLabel('Name', { exact: true }).first().fill('Hammasklinikka Hymy');
	await page.getByLabel('Business ID').fill('0737546-1');
	await page.getByLabel('Organisation OID').fill('1.2.246.10.7375462');
	await page.getByLabel('Street address').fill('Hymykuja 2');
	await page.getByLabel('Postal code').fill('33100');
	await page.getByLabel('City').fill('Tampere');
	await page.getByLabel('Services provided').selectOption('health_care');
	await page.getByLabel('Type of provider').selectOption('private');
	await page.getByLabel('Prescription Service').check();
	await page.getByRole('button', { name: 'Create tenant' }).click();
	await expect(page.locator('#field-businessId-error')).toContainText('check digit');
	await expect(page.getByLabel('Name', { exact: true }).first()).toHaveValue('Hammasklinikka Hymy');
	await expect(page.getByLabel('Prescription Service')).toBeChecked();
	await expectNoAxeViolations(page);

	await page.getByLabel('Business ID').fill('0737546-2');
	await page.getByRole('button', { name: 'Create tenant' }).click();
	await expect(page.getByRole('heading', { name: 'Hammasklinikka Hymy' })).toBeVisible();
	await expect(page.getByText('Prescription Service')).toBeVisible();
	const hymyUrl = page.url().split('?')[0];

	// A second tenant, whose page the first tenant's people must never reach.
	await page.goto(`${FRESH_URL}/tenants/new`);
	await page.getByLabel('Name', { exact: true }).first().fill('Kotipalvelu Kaste');
	await page.getByLabel('Business ID').fill('0204819-8');
	await page.getByLabel('Organisation OID').fill('1.2.246.10.2048198');
	await page.getByLabel('Street address').fill('Kastepolku 3');
	await page.getByLabel('Postal code').fill('20100');
	await page.getByLabel('City').fill('Turku');
	await page.getByLabel('Services provided').selectOption('social_welfare');
	await page.getByLabel('Type of provider').selectOption('private');
	await page.getByRole('button', { name: 'Create tenant' }).click();
	await expect(page.getByRole('heading', { name: 'Kotipalvelu Kaste' })).toBeVisible();
	const kasteUrl = page.url().split('?')[0];

	// Invite Hymy's administrator.
	await page.goto(hymyUrl);
	await page.locator('#field-name').fill('Hilkka Hymy');
	await page.locator('#field-email').fill('hilkka@hymy.example');
	await page.getByLabel('Tenant administrator').check();
	await page.getByRole('button', { name: 'Send invitation' }).click();
	await expect(page.getByText('An invitation was sent to hilkka@hymy.example.')).toBeVisible();
	await expectNoAxeViolations(page);

	// Without SMTP the invitation waits in the outbox.
	await navTo(page, 'Outbox');
	await expect(page.getByText('To hilkka@hymy.example')).toBeVisible();
	// Turning on two-step sign-in was reported to the administrator, in case it was not them.
	await expect(
		page.locator('article').filter({ hasText: 'To eeva@testi.example' }).filter({ hasText: 'Your sign-in settings changed' }).first()
	).toBeVisible();
	await expectNoAxeViolations(page);
	const body = await page.locator('.msg-body').first().innerText();
	const link = body.match(/https?:\/\/\S+\/invitation\/\S+/)?.[0];
	expect(link).toBeTruthy();

	// The invited person opens the link in their own browser.
	const context = await browser.newContext({ locale: 'en-GB' });
	const invitee = await context.newPage();
	await invitee.goto(link!);
	await expect(invitee.getByRole('heading', { name: 'Welcome to Liitos' })).toBeVisible();
	await expectNoAxeViolations(invitee);
	await invitee.getByLabel('New password').fill('hymyillen hampaat kuntoon');
	await invitee.getByLabel('Repeat the password').fill('hymyillen hampaat kuntoon');
	await invitee.getByRole('button', { name: 'Start using Liitos' }).click();
	await expect(invitee.getByRole('heading', { name: 'Hammasklinikka Hymy' })).toBeVisible();
	await expectNoAxeViolations(invitee);

	// They see their own tenant, and nothing of anybody else's.
	await invitee.goto(hymyUrl);
	await expect(invitee.getByRole('heading', { name: 'Hammasklinikka Hymy' })).toBeVisible();
	const other = await invitee.goto(kasteUrl);
	expect(other?.status()).toBe(404);
	await expect(invitee.getByText('Kotipalvelu Kaste')).toHaveCount(0);
	expect((await invitee.goto(`${FRESH_URL}/tenants`))?.status()).toBe(403);
	await expect(invitee.getByRole('link', { name: 'Tenants' })).toHaveCount(0);

	// The link was single-use.
	expect((await invitee.goto(link!))?.status()).toBe(404);
	await context.close();
});
