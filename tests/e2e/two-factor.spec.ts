import { join } from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { DEMO_DIR, DEMO_PASSWORD, DEMO_TOTP_SECRETS, DEMO_URL, expect, expectNoAxeViolations, freshTotp, signIn, test } from './fixtures';
import { discoverRoutes } from './routes';

/** Two-step sign-in: required for the main connector's administrators and signatories, optional for the rest. */

const SECOND_STEP_PATHS = ['/two-factor', '/two-factor/setup', '/logout', '/language', '/healthz'];

async function passwordOnly(page: Page, email: string) {
	await page.goto(`${DEMO_URL}/login`);
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(DEMO_PASSWORD);
	await page.locator('form[data-testid=login-form] button[type=submit]').click();
}

test('after the password alone, every route leads to the second step, and a code opens the portal', async ({ page }) => {
	test.setTimeout(90_000);
	await passwordOnly(page, 'signer@demo.test');
	await expect(page).toHaveURL(`${DEMO_URL}/two-factor?next=%2F`);
	await expect(page.getByRole('heading', { name: 'Two-step sign-in' })).toBeVisible();
	await expectNoAxeViolations(page);

	// Read or posted to, with any id, every route answers with the way to the second step.
	const problems: string[] = [];
	let requests = 0;
	for (const route of discoverRoutes()) {
		if (SECOND_STEP_PATHS.includes(route.pattern)) continue;
		// The integration API takes bearer tokens only and ignores sessions altogether (api.spec.ts
		// shows that a session cookie opens nothing there).
		if (route.pattern.startsWith('/api/')) continue;
		const url = route.pattern.replace(/\[[^\]]+\]/g, crypto.randomUUID());
		const read = await page.request.get(`${DEMO_URL}${url}`, { maxRedirects: 0 });
		requests++;
		if (read.status() !== 303 || !read.headers().location?.startsWith('/two-factor?next='))
			problems.push(`GET ${url} → ${read.status()} ${read.headers().location ?? ''}`);
		for (const action of route.actions) {
			const target = action === 'default' ? url : `${url}?/${action}`;
			const post = await page.request.post(`${DEMO_URL}${target}`, {
				form: { userId: crypto.randomUUID() },
				headers: { origin: DEMO_URL, accept: 'text/html' },
				maxRedirects: 0
			});
			requests++;
			if (post.status() !== 303 || post.headers().location !== '/two-factor?next=%2F') problems.push(`POST ${target} → ${post.status()}`);
		}
	}
	expect(requests).toBeGreaterThan(100);
	expect(problems).toEqual([]);

	await page.getByLabel('Code from your authenticator app').fill('000000');
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.locator('#field-code-error')).toContainText('The code is not valid');
	await expectNoAxeViolations(page);
	await page.getByLabel('Code from your authenticator app').fill(await freshTotp(DEMO_TOTP_SECRETS['signer@demo.test']));
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.getByRole('heading', { name: 'Demo Terveys Oy' })).toBeVisible();
});

test('a tenant signatory turns it on, signs in with a recovery code, and their administrator resets it', async ({ browser }) => {
	test.setTimeout(120_000);
	const email = 'signer@tenant2.demo.test';
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);

	// Optional for this role: off until the person turns it on.
	await page.goto(`${DEMO_URL}/account`);
	const section = page.getByRole('region', { name: 'Two-step sign-in' });
	await expect(section).toContainText('Off.');
	await section.getByRole('link', { name: 'Turn on' }).click();
	await expect(page.getByRole('heading', { name: 'Set up an authenticator app' })).toBeVisible();
	await expect(page.getByText('Your role requires')).toHaveCount(0);
	await expectNoAxeViolations(page);
	const secret = (await page.getByTestId('totp-secret').innerText()).replace(/ /g, '');
	await page.getByLabel('The code the app shows').fill(await freshTotp(secret));
	await page.getByRole('button', { name: 'Turn on' }).click();
	expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
	await page.getByRole('link', { name: 'I have stored the codes – continue' }).click();
	await expect(page).toHaveURL(`${DEMO_URL}/account`);
	await expect(section).toContainText('On. Unused recovery codes: 10.');
	await expectNoAxeViolations(page);

	// Moving to a new phone needs a code from the old one as well, not just the open session.
	await section.getByRole('link', { name: 'Use a new app' }).click();
	const newSecret = (await page.getByTestId('totp-secret').innerText()).replace(/ /g, '');
	expect(newSecret).not.toBe(secret);
	await page.getByLabel('Code from your current app').fill('123456');
	await page.getByLabel('The code the app shows').fill(await freshTotp(newSecret));
	await page.getByRole('button', { name: 'Turn on' }).click();
	await expect(page.locator('#field-currentCode-error')).toContainText('The code is not valid');
	await expect(page.getByTestId('totp-secret')).toHaveText(/\S/);
	expect((await page.getByTestId('totp-secret').innerText()).replace(/ /g, '')).toBe(newSecret);
	await page.getByLabel('Code from your current app').fill(await freshTotp(secret));
	await page.getByLabel('The code the app shows').fill(await freshTotp(newSecret));
	await page.getByRole('button', { name: 'Turn on' }).click();
	const codes = await page.getByTestId('recovery-codes').locator('li').allInnerTexts();
	expect(codes).toHaveLength(10);
	await page.getByRole('link', { name: 'I have stored the codes – continue' }).click();
	await expect(section).toContainText('On. Unused recovery codes: 10.');

	// The test servers run with LIITOS_SECRET_KEY: the database holds every key sealed, the demo's
	// seeded ones (sealed at start-up) as well as the one just given to the app.
	const stored = new Database(join(DEMO_DIR, 'liitos.db'), { readonly: true });
	try {
		const keys = stored.prepare('select secret from two_factor where secret is not null').all() as { secret: string }[];
		expect(keys.length).toBeGreaterThanOrEqual(3);
		for (const key of keys) expect(key.secret).toMatch(/^sealed:v1:/);
		expect(JSON.stringify(keys)).not.toContain(newSecret);
	} finally {
		stored.close();
	}

	// The next sign-in asks for the second step; a recovery code stands in for the phone, once.
	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await passwordOnly(page, email);
	await expect(page).toHaveURL(/\/two-factor\?next=/);
	await page.getByLabel('Code from your authenticator app').fill(codes[0].toUpperCase());
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.getByRole('heading', { name: 'Kotihoito Aalto Oy' })).toBeVisible();
	await page.goto(`${DEMO_URL}/account`);
	await expect(section).toContainText('On. Unused recovery codes: 9.');
	// New recovery codes, confirmed with a code from the app, replace the whole set.
	await section.locator('summary', { hasText: 'Create new recovery codes' }).click();
	await page.locator('#recovery-code-check').fill(await freshTotp(newSecret));
	await section.getByRole('button', { name: 'Create new recovery codes' }).click();
	await expect(section.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
	await expect(section).toContainText('On. Unused recovery codes: 10.');
	await expectNoAxeViolations(page);

	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await passwordOnly(page, email);
	await page.getByLabel('Code from your authenticator app').fill(codes[0]);
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.locator('#field-code-error')).toContainText('The code is not valid');
	// Guessing is throttled: the sixth wrong code in a row blocks even the right one for a while.
	for (let attempt = 2; attempt <= 5; attempt++) {
		await page.getByLabel('Code from your authenticator app').fill(String(100000 + attempt));
		await page.getByRole('button', { name: 'Confirm' }).click();
		await expect(page.locator('#field-code-error')).toContainText('The code is not valid');
	}
	await page.getByLabel('Code from your authenticator app').fill('999999');
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.locator('#field-code-error')).toContainText('Too many failed attempts');
	await page.getByLabel('Code from your authenticator app').fill(codes[1]);
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.locator('#field-code-error')).toContainText('Too many failed attempts');

	// Phone lost: the tenant's administrator resets it, which also ends the half-open session.
	// Taking away someone's second factor asks for the administrator's own code (step-up), so an
	// administrator without an authenticator is told to set one up first.
	const adminPage = await (await browser.newContext({ locale: 'en-GB' })).newPage();
	await signIn(adminPage, DEMO_URL, 'admin@tenant2.demo.test', DEMO_PASSWORD);
	await adminPage.getByRole('link', { name: 'Our organisation' }).click();
	const row = adminPage.getByRole('row', { name: /Tenant 2 Signer/ });
	await expect(row).toContainText('On');
	// Nobody changes their own roles: the administrator's own row has no such form.
	await expect(adminPage.getByRole('row', { name: /admin@tenant2\.demo\.test/ }).locator('summary', { hasText: 'Roles…' })).toHaveCount(0);
	await expect(row.locator('summary', { hasText: 'Roles…' })).toHaveCount(1);
	await row.locator('summary', { hasText: 'Reset two-step' }).click();
	await expectNoAxeViolations(adminPage);
	await row.getByLabel('Your own code from your authenticator app').fill('123456');
	await row.getByRole('button', { name: 'Reset two-step' }).click();
	await expect(adminPage.getByRole('alert')).toContainText('needs a code from your own authenticator app');
	await expect(adminPage.getByRole('row', { name: /Tenant 2 Signer/ })).toContainText('On');

	const peoplePath = new URL(adminPage.url()).pathname;
	await adminPage.goto(`${DEMO_URL}/two-factor/setup?next=${encodeURIComponent(peoplePath)}`);
	const adminSecret = (await adminPage.getByTestId('totp-secret').innerText()).replace(/ /g, '');
	await adminPage.getByLabel('The code the app shows').fill(await freshTotp(adminSecret));
	await adminPage.getByRole('button', { name: 'Turn on' }).click();
	await adminPage.getByRole('link', { name: 'I have stored the codes – continue' }).click();
	await expect(adminPage).toHaveURL(`${DEMO_URL}${peoplePath}`);

	// A wrong code (here the signatory's own old one would be no better) changes nothing.
	await row.locator('summary', { hasText: 'Reset two-step' }).click();
	await row.getByLabel('Your own code from your authenticator app').fill('000000');
	await row.getByRole('button', { name: 'Reset two-step' }).click();
	await expect(adminPage.getByRole('alert')).toContainText('The code is not valid');
	await expect(adminPage.getByRole('row', { name: /Tenant 2 Signer/ })).toContainText('On');

	await row.locator('summary', { hasText: 'Reset two-step' }).click();
	await row.getByLabel('Your own code from your authenticator app').fill(await freshTotp(adminSecret));
	await row.getByRole('button', { name: 'Reset two-step' }).click();
	await expect(adminPage.getByText(`Two-step sign-in of ${email} was reset.`)).toBeVisible();
	await expect(adminPage.getByRole('row', { name: /Tenant 2 Signer/ })).toContainText('Off');
	// The person is told by e-mail.
	const outbox = new Database(join(DEMO_DIR, 'liitos.db'), { readonly: true });
	try {
		const mails = outbox.prepare('select body from outbox_message where "to" = ? order by created_at desc').all(email) as {
			body: string;
		}[];
		expect(mails.length).toBeGreaterThan(0);
		expect(mails[0].body).toMatch(/reset|nollasi|nollattu|återställ/i);
	} finally {
		outbox.close();
	}
	// Optional for a tenant administrator: turned off again, so other journeys sign in as before.
	await adminPage.goto(`${DEMO_URL}/account`);
	const adminSection = adminPage.getByRole('region', { name: 'Two-step sign-in' });
	await adminSection.locator('summary', { hasText: 'Turn off' }).click();
	await adminPage.locator('#disable-code-check').fill(await freshTotp(adminSecret));
	await adminSection.getByRole('button', { name: 'Turn off' }).click();
	await expect(adminSection).toContainText('Off.');

	await page.reload();
	await expect(page).toHaveURL(/\/login/);
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	await expect(page.getByRole('heading', { name: 'Kotihoito Aalto Oy' })).toBeVisible();
	await context.close();
});

test('someone whose role does not require it can turn it off again, with a code', async ({ page }) => {
	await signIn(page, DEMO_URL, 'staff2@tenant2.demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/two-factor/setup?next=%2Faccount`);
	const secret = (await page.getByTestId('totp-secret').innerText()).replace(/ /g, '');
	await page.getByLabel('The code the app shows').fill(await freshTotp(secret));
	await page.getByRole('button', { name: 'Turn on' }).click();
	await page.getByRole('link', { name: 'I have stored the codes – continue' }).click();

	const section = page.getByRole('region', { name: 'Two-step sign-in' });
	await section.locator('summary', { hasText: 'Turn off' }).click();
	await page.locator('#disable-code-check').fill('000000');
	await section.getByRole('button', { name: 'Turn off' }).click();
	await expect(section.getByRole('alert')).toContainText('The code is not valid');
	await expect(section).toContainText('On.');
	await section.locator('summary', { hasText: 'Turn off' }).click();
	await page.locator('#disable-code-check').fill(await freshTotp(secret));
	await section.getByRole('button', { name: 'Turn off' }).click();
	await expect(section).toContainText('Two-step sign-in is off.');
	await expect(section).toContainText('Off.');

	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await signIn(page, DEMO_URL, 'staff2@tenant2.demo.test', DEMO_PASSWORD, undefined);
	await expect(page).not.toHaveURL(/two-factor/);
});
