import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

// Issue #17 §1: a main connector administrator imports tenants from a spreadsheet saved by
// Finnish Excel (`;`, byte order mark, CRLF, a quoted field with a separator and a line break).
const HEADER = 'Name;Business ID;OID;Street address;Postal code;City;Sector;Provider type;Person name;Person e-mail;Person role';
const ROWS = [
	'"Tuontiklinikka; Oy";3100000-3;1.2.246.10.31000003;"Tuontikatu 1\nA-rappu";00100;Helsinki;health_care;private;Ilona Tuonti;ilona@tuontiklinikka.test;tenant_admin',
	'Tuontihoiva;3100001-1;1.2.246.10.31000011;Hoivatie 2;33100;Tampere;sosiaalihuolto;yksityinen;;;',
	'Tuontihammas;3100003-8;1.2.246.10.31000038;Hammaskuja 3;20100;Turku;terveydenhuolto;julkinen;;;'
];
const file = (rows: string[]) => ({
	name: 'tenants.csv',
	mimeType: 'text/csv',
	buffer: Buffer.from('\uFEFF' + [HEADER, ...rows].join('\r\n') + '\r\n', 'utf8')
});

test('an administrator previews, imports and re-imports tenants from a ; CSV with a BOM', async ({ browser }) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(90_000);
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/tenants`);
	await page.getByRole('link', { name: 'Import tenants' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Import tenants' })).toBeVisible();
	await expectNoAxeViolations(page);

	const template = await page.request.get(`${DEMO_URL}/tenants/import/template.csv`);
	expect(template.headers()['content-type']).toContain('text/csv');
	expect(await template.text()).toContain('Business ID');

	// A row with a wrong check digit: shown per cell, nothing to import, rejected rows downloadable.
	await page
		.getByLabel('CSV file')
		.setInputFiles(file([...ROWS, 'Virheellinen;3100000-4;1.2.246.10.1;Katu 1;00100;Helsinki;health_care;private;;;']));
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.getByText('New 3, changed 0, unchanged 0, with errors 1.')).toBeVisible();
	await expect(page.getByRole('cell', { name: /Business ID “3100000-4”: /i })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Import the tenants' })).toHaveCount(0);
	await expectNoAxeViolations(page);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download the rejected rows (CSV)' }).click()
	]);
	expect(download.suggestedFilename()).toBe('tenant-import-rejected.csv');

	// The corrected file: previewed, then imported.
	await page.getByLabel('CSV file').setInputFiles(file(ROWS));
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.getByText('New 3, changed 0, unchanged 0, with errors 0.')).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Tuontiklinikka; Oy' })).toBeVisible();
	await page.getByRole('button', { name: 'Import the tenants' }).click();
	await expect(page.getByText('Import done: 3 new tenants, 0 updated, 1 people invited.')).toBeVisible();

	// The same file again changes nothing.
	await page.getByLabel('CSV file').setInputFiles(file(ROWS));
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.getByText('New 0, changed 0, unchanged 3, with errors 0.')).toBeVisible();
	await expect(page.getByText('The file holds nothing new')).toBeVisible();

	await page.goto(`${DEMO_URL}/tenants?q=Tuontiklinikka`);
	await expect(page.getByRole('link', { name: 'Tuontiklinikka; Oy' })).toBeVisible();
	await context.close();
});

test('a tenant administrator cannot open the import', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@tenant3.demo.test', DEMO_PASSWORD);
	const response = await page.goto(`${DEMO_URL}/tenants/import`);
	expect(response?.status()).toBeGreaterThanOrEqual(403);
	await context.close();
});

test('in Swedish: the template has Swedish headers and a file with them is previewed', async ({ browser }) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(90_000);
	const context = await browser.newContext({ locale: 'sv-FI' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/tenants/import`);
	await expect(page.getByRole('heading', { level: 1, name: 'Importera aktörer' })).toBeVisible();
	const template = await (await page.request.get(`${DEMO_URL}/tenants/import/template.csv`)).text();
	expect(template).toContain('FO-nummer');
	// Swedish Excel saves it back with `;` between the fields.
	const swedish = `${template.replace(/\r\n$/, '').replaceAll(',', ';')}\r\n${'"Importvård; Ab";3100004-6;1.2.246.10.31000046;;Importgatan 1;65100;Vasa;socialvård;privat;sv;;;;;;'}\r\n`;
	await page.getByLabel('CSV-fil').setInputFiles({ name: 'aktörer.csv', mimeType: 'text/csv', buffer: Buffer.from(swedish, 'utf8') });
	await page.getByRole('button', { name: 'Kontrollera filen' }).click();
	await expect(page.getByText('Nya 1, ändrade 0, oförändrade 0, med fel 0.')).toBeVisible();
	await expectNoAxeViolations(page);
	await context.close();
});
