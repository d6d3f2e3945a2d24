import type { Browser, Locator, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

/** A signed-in page of its own, in Swedish. */
async function inSwedish(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'sv-FI', acceptDownloads: true });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

/** Opens a <details>; a click before the page has hydrated may be undone by it, so until it stays open. */
async function openDetails(details: Locator): Promise<void> {
	await expect(async () => {
		if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
		expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
	}).toPass({ timeout: 10_000 });
}

/** The number in brackets at the end of a button or question, e.g. "Skicka påminnelserna (2)". */
function countIn(text: string): number {
	return Number(/\((\d+)\)\??\s*$/.exec(text.trim().split('\n')[0])?.[1] ?? NaN);
}

test('tenant list in Swedish: filter → all matching → confirm the count → reminders queued and mailed; the same selection as CSV', async ({
	browser
}) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(120_000);
	const admin = await inSwedish(browser, 'admin@demo.test');

	// "ti" matches Fysioterapia Lahtinen and Kotihoito Aalto Oy, not Läkarmottagning Berg Ab.
	await admin.goto(`${DEMO_URL}/tenants`);
	await admin.getByLabel('Sök på namn, FO-nummer eller ort').fill('ti');
	await admin.getByRole('search', { name: 'Sök hyresgäster' }).getByRole('button', { name: 'Sök' }).click();
	await expect(admin.getByRole('link', { name: 'Läkarmottagning Berg Ab' })).toHaveCount(0);
	const matching = Number(/(\d+)/.exec(await admin.getByText(/^Hittade hyresgäster: \d+$/).innerText())![1]);
	expect(matching).toBeGreaterThanOrEqual(2);
	await expectNoAxeViolations(admin);

	// Nothing ticked and "the ticked tenants" chosen: refused, nothing done.
	await admin.getByRole('button', { name: 'Skicka en påminnelse' }).click();
	await expect(admin.getByRole('alert').filter({ hasText: 'Inga hyresgäster är valda.' })).toBeVisible();

	// All tenants the filter matches: the server finds them again and asks with the count.
	await admin.getByLabel(`Alla hyresgäster som motsvarar filtret (${matching})`).check();
	await admin.getByRole('button', { name: 'Skicka en påminnelse' }).click();
	const question = admin.locator('#bulk-confirm');
	await expect(question.getByRole('heading', { name: 'Bekräfta åtgärden' })).toBeVisible();
	await expect(question).toContainText('Skicka en påminnelse till de valda hyresgästerna (');
	await expectNoAxeViolations(admin);
	const confirmButton = question.getByRole('button', { name: /^Skicka påminnelserna \(\d+\)$/ });
	const count = countIn(await confirmButton.innerText());
	expect(count).toBeGreaterThanOrEqual(1);
	expect(count).toBeLessThanOrEqual(matching);
	await confirmButton.click();
	await expect(admin.getByRole('status').filter({ hasText: `Påminda hyresgäster: ${count}.` })).toBeVisible();

	// The mails go out after the commit: Kotihoito Aalto Oy's administrator gets one (in their own language, Finnish).
	await expect(async () => {
		await admin.goto(`${DEMO_URL}/outbox`);
		await expect(
			admin
				.getByRole('article')
				.filter({ hasText: 'admin@tenant2.demo.test' })
				.filter({ hasText: 'Kotihoito Aalto Oy' })
				.filter({ hasText: 'pääliittyjä muistuttaa' })
		).toHaveCount(1);
	}).toPass({ timeout: 20_000 });
	await expect(
		admin.getByRole('article').filter({ hasText: 'admin@tenant3.demo.test' }).filter({ hasText: 'pääliittyjä muistuttaa' })
	).toHaveCount(0);

	// Asking again at once: those just reminded are left out for a day, and the confirmation says so.
	await admin.goto(`${DEMO_URL}/tenants?q=ti`);
	await admin.getByLabel(/Alla hyresgäster som motsvarar filtret/).check();
	await admin.getByRole('button', { name: 'Skicka en påminnelse' }).click();
	await expect(admin.locator('#bulk-confirm')).toContainText(`Utelämnas, redan påminda under det senaste dygnet: ${count}.`);

	// Export: this page's rows, confirmed with the count, downloaded as CSV with exactly those tenants.
	await admin.goto(`${DEMO_URL}/tenants?q=ti`);
	await admin.getByLabel(/Alla på den här sidan/).check();
	await admin.getByRole('button', { name: 'Exportera som CSV' }).click();
	await expect(admin.locator('#bulk-confirm')).toContainText(`Exportera de valda hyresgästerna (${matching}) till en CSV-fil?`);
	const downloading = admin.waitForEvent('download');
	await admin.getByRole('button', { name: `Ladda ner CSV (${matching})` }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^tenants-\d{4}-\d{2}-\d{2}\.csv$/);
	const { readFile } = await import('node:fs/promises');
	const csv = (await readFile((await download.path())!)).toString('utf8');
	expect(csv.split('\r\n')[0]).toContain('FO-nummer');
	expect(csv).toContain('Fysioterapia Lahtinen');
	expect(csv).toContain('Kotihoito Aalto Oy');
	expect(csv).not.toContain('Läkarmottagning Berg Ab');
	expect(csv.trimEnd().split('\r\n')).toHaveLength(matching + 1);

	// Ticked rows work the same way, and a campaign starts from the campaign form with them chosen.
	await admin.goto(`${DEMO_URL}/tenants`);
	await admin.getByLabel('Välj Läkarmottagning Berg Ab').check();
	await admin.getByRole('button', { name: 'Starta en kampanj för de valda' }).click();
	await expect(admin.locator('#bulk-confirm')).toContainText('Starta en avtalskampanj för de valda hyresgästerna (1)?');
	await admin.getByRole('button', { name: 'Fortsätt till kampanjformuläret (1)' }).click();
	await expect(admin.getByLabel('Läkarmottagning Berg Ab')).toBeChecked();
	await expect(admin.getByLabel('Kotihoito Aalto Oy')).not.toBeChecked();

	// "All matching" goes to the campaign form as the filter, found again there.
	await admin.goto(`${DEMO_URL}/tenants?q=ti`);
	await admin.getByLabel(/Alla hyresgäster som motsvarar filtret/).check();
	await admin.getByRole('button', { name: 'Starta en kampanj för de valda' }).click();
	await admin.getByRole('button', { name: `Fortsätt till kampanjformuläret (${matching})` }).click();
	await expect(admin.getByLabel('Fysioterapia Lahtinen')).toBeChecked();
	await expect(admin.getByLabel('Kotihoito Aalto Oy')).toBeChecked();
	await expect(admin.getByLabel('Läkarmottagning Berg Ab')).not.toBeChecked();
	await expectNoAxeViolations(admin);
	await admin.context().close();
});

test('tenant people cannot use the bulk actions or the export', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'sv-FI' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@tenant1.demo.test', DEMO_PASSWORD);
	for (const path of ['/tenants?/confirm', '/tenants?/remind', '/tenants/export.csv']) {
		const response = await page.request.post(`${DEMO_URL}${path}`, {
			form: { intent: 'export', scope: 'all', q: '' },
			headers: { origin: DEMO_URL, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status(), path).toBe(403);
	}
	await context.close();
});

test('coverage report in Swedish: remind everyone who has not acknowledged, after a confirmation with the count', async ({ browser }) => {
	test.setTimeout(120_000);
	const admin = await inSwedish(browser, 'admin@demo.test');
	await admin.goto(`${DEMO_URL}/instructions`);
	await admin.getByRole('link', { name: 'Hantering av certifikatkortet' }).first().click();
	const remind = admin.locator('details.confirm').filter({ hasText: 'Påminn dem som inte har kvitterat' });
	await admin.waitForLoadState('networkidle');
	await openDetails(remind);
	await expect(remind).toContainText('Skicka en påminnelse till alla som inte har kvitterat den nuvarande versionen (personer: ');
	await expect(remind).toContainText('under det senaste dygnet utelämnas');
	await expectNoAxeViolations(admin);
	const button = remind.getByRole('button', { name: /^Skicka påminnelserna \(\d+\)$/ });
	const pending = countIn(await button.innerText());
	expect(pending).toBeGreaterThanOrEqual(1);
	await button.click();
	await expect(admin.getByRole('status').filter({ hasText: `Påminda personer: ${pending}.` })).toBeVisible();
	await expectNoAxeViolations(admin);

	// A mail per person reminded, sent after the commit.
	await expect(async () => {
		await admin.goto(`${DEMO_URL}/outbox`);
		const subject = /^Liitos: (kuittaathan ohjeen ”Varmennekortin käsittely”|kvittera anvisningen ”Hantering av certifikatkortet”)/;
		await expect(admin.getByRole('article').filter({ has: admin.getByRole('heading', { name: subject }) })).toHaveCount(pending);
	}).toPass({ timeout: 20_000 });

	// At once again: nobody is reminded twice within the day.
	await admin.goto(`${DEMO_URL}/instructions`);
	await admin.getByRole('link', { name: 'Hantering av certifikatkortet' }).first().click();
	await admin.waitForLoadState('networkidle');
	await openDetails(remind);
	await remind.getByRole('button', { name: /^Skicka påminnelserna/ }).click();
	await expect(admin.getByRole('status').filter({ hasText: 'Påminda personer: 0.' })).toContainText(
		`Utelämnade, redan påminda under det senaste dygnet: ${pending}.`
	);
	await admin.context().close();
});
