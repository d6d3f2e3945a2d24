import { DEMO_PASSWORD, DEMO_TOTP_SECRETS, DEMO_URL, expect, expectNoAxeViolations, freshTotp, signIn, test } from './fixtures';

test('signing in and out', async ({ page }) => {
	await page.goto(`${DEMO_URL}/`);
	await expect(page).toHaveURL(/\/login\?next=%2F$/);
	await expectNoAxeViolations(page);
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await expect(page.getByRole('heading', { name: 'Demo Terveys Oy' })).toBeVisible();
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(`${DEMO_URL}/login`);
	await page.goto(`${DEMO_URL}/tenants`);
	await expect(page).toHaveURL(/\/login/);
});

test('the session cookie is a __Host- cookie that ends 12 hours after sign-in', async ({ page }) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(90_000);
	const before = Date.now() / 1000;
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	const cookies = await page.context().cookies(DEMO_URL);
	expect(cookies.map((cookie) => cookie.name)).not.toContain('liitos_session');
	const session = cookies.find((cookie) => cookie.name === '__Host-liitos_session');
	expect(session).toMatchObject({ path: '/', secure: true, httpOnly: true, sameSite: 'Lax', domain: 'localhost' });
	// The absolute lifetime (V3.3.2): at most 12 hours from now, not the 30 days of old.
	expect(session!.expires).toBeGreaterThan(before + 11.9 * 3600);
	expect(session!.expires).toBeLessThanOrEqual(Date.now() / 1000 + 12 * 3600 + 1);
});

test('a notice before the idle timeout offers to stay signed in', async ({ page, browser }) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(90_000);
	await page.clock.install();
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	const notice = page.getByTestId('session-expiry-notice');
	await expect(notice).toHaveCount(0);
	// 26 quiet minutes of the 30: the notice appears; staying signed in asks the server again.
	await page.clock.fastForward('26:00');
	await expect(notice).toContainText('You will be signed out at');
	await notice.getByRole('link', { name: 'Stay signed in' }).click();
	await expect(notice).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Demo Terveys Oy' })).toBeVisible();

	// Without JavaScript the same notice is in the page, revealed by CSS 25 minutes after loading,
	// and "stay signed in" is a plain link to the page itself.
	const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
	await context.addCookies(await page.context().cookies(DEMO_URL));
	const plain = await context.newPage();
	await plain.goto(`${DEMO_URL}/account`);
	const plainNotice = plain.getByTestId('session-expiry-notice');
	await expect(plainNotice).toHaveAttribute('style', /animation-delay: 1500s/);
	await expect(plainNotice).toBeHidden();
	const plainLink = plainNotice.locator('a');
	await expect(plainLink).toHaveText('Stay signed in');
	await expect(plainLink).toHaveAttribute('href', '/account');
	await context.close();
});

test('repeated wrong passwords are throttled with a time to try again', async ({ page }) => {
	const email = 'staff2@tenant3.demo.test';
	await page.goto(`${DEMO_URL}/login`);
	for (let attempt = 1; attempt <= 5; attempt++) {
		await page.locator('input[name=email]').fill(email);
		await page.locator('input[name=password]').fill(`wrong password ${attempt}`);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toHaveText('The e-mail address or password is not correct.');
		// The e-mail stays; the password never comes back.
		await expect(page.locator('input[name=email]')).toHaveValue(email);
		await expect(page.locator('input[name=password]')).toHaveValue('');
	}
	await page.locator('input[name=password]').fill('wrong password 6');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('Too many failed attempts. Try again after');

	// Even the right password waits until the block ends.
	await page.locator('input[name=password]').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('Too many failed attempts');
	await expectNoAxeViolations(page);
});

test('a tenant person reaches only their own tenant', async ({ page }) => {
	await signIn(page, DEMO_URL, 'admin@tenant1.demo.test', DEMO_PASSWORD);
	await expect(page.getByRole('heading', { name: 'Fysioterapia Lahtinen' })).toBeVisible();
	await page.getByRole('link', { name: 'Our organisation' }).click();
	await expect(page.getByRole('heading', { name: 'People', exact: true })).toBeVisible();
	await expect(page.getByText('staff1@tenant1.demo.test')).toBeVisible();
	await expectNoAxeViolations(page);
	for (const path of ['/tenants', '/organisation', '/services', '/outbox']) {
		expect((await page.goto(`${DEMO_URL}${path}`))?.status(), path).toBe(403);
	}
	// Malformed ids are a plain 404, never an error.
	expect((await page.goto(`${DEMO_URL}/tenants/not-a-uuid`))?.status()).toBe(404);
	// The tenant administrator's audit log shows only their own tenant.
	await page.goto(`${DEMO_URL}/audit`);
	await expect(page.getByRole('cell', { name: 'admin@tenant1.demo.test' }).first()).toBeVisible();
	await expect(page.getByText('tenant2.demo.test')).toHaveCount(0);
	await expectNoAxeViolations(page);
});

test('after signing in, a "next" that a browser would read as another site leads home', async ({ page }) => {
	// `/\evil.example` (backslash) and `/<TAB>/evil.example` are both read by browsers as //evil.example.
	for (const [email, next] of [
		['staff1@tenant1.demo.test', '/%5Cevil.example'],
		['admin@demo.test', '/%09/evil.example']
	]) {
		await page.context().clearCookies();
		await page.goto(`${DEMO_URL}/login?next=${next}`);
		await page.locator('input[name=email]').fill(email);
		await page.locator('input[name=password]').fill(DEMO_PASSWORD);
		await page.locator('form[data-testid=login-form] button[type=submit]').click();
		await page.waitForURL((url) => url.pathname !== '/login');
		// The administrator passes the second step, which carries `next` on.
		if (new URL(page.url()).pathname === '/two-factor') {
			await page.locator('input[name=code]').fill(await freshTotp(DEMO_TOTP_SECRETS[email]));
			await page.locator('form[data-testid=two-factor-form] button[type=submit]').click();
			await page.waitForURL((url) => url.pathname !== '/two-factor');
		}
		expect(new URL(page.url()).origin, next).toBe(DEMO_URL);
		expect(new URL(page.url()).pathname, next).toBe('/');
	}
	// The language switch's redirectTo is held to the same rule.
	const switched = await page.request.post(`${DEMO_URL}/language`, {
		form: { locale: 'en', redirectTo: '/\\evil.example' },
		headers: { origin: DEMO_URL },
		maxRedirects: 0
	});
	expect(switched.status()).toBe(303);
	expect(switched.headers().location).toBe('/');
});

test('sixty wrong passwords sent at once: five are checked, the rest refused with a time to try again', async ({ page }) => {
	const guesses = await Promise.all(
		Array.from({ length: 60 }, (_, i) =>
			page.request.post(`${DEMO_URL}/login`, {
				form: { email: 'staff2@tenant1.demo.test', password: `parallel guess ${i}` },
				headers: { origin: DEMO_URL, accept: 'text/html', 'accept-language': 'en-GB' },
				maxRedirects: 0
			})
		)
	);
	const statuses = guesses.map((response) => response.status());
	// 400: the password was checked and was wrong; 429: refused before any checking.
	expect(statuses.filter((status) => status === 400)).toHaveLength(5);
	expect(statuses.filter((status) => status === 429)).toHaveLength(55);
	const refused = guesses.find((response) => response.status() === 429)!;
	expect(await refused.text()).toContain('Too many failed attempts. Try again after');
});
