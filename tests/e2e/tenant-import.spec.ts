import { readFile } from 'node:fs/promises';
import ExcelJS, { type CellValue } from 'exceljs';
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
		.getByLabel('CSV or Excel file')
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
	await page.getByLabel('CSV or Excel file').setInputFiles(file(ROWS));
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.getByText('New 3, changed 0, unchanged 0, with errors 0.')).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Tuontiklinikka; Oy' })).toBeVisible();
	await page.getByRole('button', { name: 'Import the tenants' }).click();
	await expect(page.getByText('Import done: 3 new tenants, 0 updated, 1 people invited.')).toBeVisible();

	// The same file again changes nothing.
	await page.getByLabel('CSV or Excel file').setInputFiles(file(ROWS));
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
	await page
		.getByLabel('CSV- eller Excel-fil')
		.setInputFiles({ name: 'aktörer.csv', mimeType: 'text/csv', buffer: Buffer.from(swedish, 'utf8') });
	await page.getByRole('button', { name: 'Kontrollera filen' }).click();
	await expect(page.getByText('Nya 1, ändrade 0, oförändrade 0, med fel 0.')).toBeVisible();
	await expectNoAxeViolations(page);
	await context.close();
});

test('in Swedish: an Excel workbook with an error, its valid rows imported by explicit choice', async ({ browser }) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(90_000);
	const context = await browser.newContext({ locale: 'sv-FI' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await page.goto(`${DEMO_URL}/tenants/import`);
	await expect(page.getByRole('heading', { level: 1, name: 'Importera aktörer' })).toBeVisible();

	// The workbook template has the Swedish headers; the spreadsheet fills it in and saves it.
	const template = await page.request.get(`${DEMO_URL}/tenants/import/template.xlsx`);
	expect(template.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(new Uint8Array(await template.body()).buffer);
	const sheet = book.worksheets[0];
	expect(sheet.getRow(1).values).toContain('FO-nummer');
	const columns = (sheet.getRow(1).values as string[]).slice(1);
	const row = (cells: Record<string, CellValue>) => columns.map((header) => cells[header] ?? null);
	const tenant = (name: string, id: string, city: string) => ({
		Namn: name,
		'FO-nummer': id,
		OID: `1.2.246.10.${id.replace('-', '')}`,
		Gatuadress: 'Excelgatan 1',
		// 02100 typed as the number 2100 shown with five digits, as a spreadsheet keeps a postal code.
		Postnummer: 2100,
		Postort: city,
		Sektor: 'socialvård',
		'Typ av tjänsteproducent': 'privat',
		Avtalsspråk: 'sv'
	});
	sheet.addRow(
		row({
			...tenant('Excelvård; Ab', '3100005-4', 'Esbo'),
			'Inbjudens namn': 'Elsa Excel',
			'Inbjudens e-post': 'elsa@excelvard.test',
			'Inbjudens roll': 'huvudanvändare'
		})
	);
	sheet.addRow(
		row({ ...tenant('Formelvård Ab', '3100006-2', 'Esbo'), Namn: { formula: 'CONCATENATE("Formel","vård Ab")', result: 'Formelvård Ab' } })
	);
	sheet.addRow(row(tenant('Felvård Ab', '3100007-1', 'Esbo')));
	sheet.getColumn(columns.indexOf('Postnummer') + 1).eachCell((cell, n) => {
		if (n > 1) cell.numFmt = '00000';
	});
	const xlsx = Buffer.from(await book.xlsx.writeBuffer());

	await page.getByLabel('CSV- eller Excel-fil').setInputFiles({
		name: 'aktörer.xlsx',
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer: xlsx
	});
	await page.getByRole('button', { name: 'Kontrollera filen' }).click();
	await expect(page.getByText('Nya 2, ändrade 0, oförändrade 0, med fel 1.')).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Excelvård; Ab' })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Formelvård Ab' })).toBeVisible();
	await expect(page.getByRole('cell', { name: /FO-nummer “3100007-1”: / })).toBeVisible();
	// All or nothing stays the default: no plain import button while a row has an error.
	await expect(page.getByRole('button', { name: 'Importera aktörerna' })).toHaveCount(0);

	await page.getByText('Importera bara de felfria raderna…').click();
	await expect(page.getByText('Rader som importeras: 2; rader med fel som lämnas bort: 1.')).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Importera de felfria raderna (2), lämna bort raderna med fel (1)' }).click();
	await expect(
		page.getByText('Importen är klar: nya aktörer 2, uppdaterade 0, inbjudna personer 1. Rader med fel som lämnades bort: 1.')
	).toBeVisible();
	await expectNoAxeViolations(page);

	// The rows left out, with the reason for each.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Ladda ner de avvisade raderna (CSV)' }).click()
	]);
	const rejected = (await readFile((await download.path())!, 'utf8'))
		.replace(/^\uFEFF/, '')
		.trim()
		.split('\r\n');
	expect(rejected[0]).toMatch(/,Orsak$/);
	expect(rejected).toHaveLength(2);
	expect(rejected[1]).toMatch(/^Felvård Ab,3100007-1,.*FO-nummer: /);

	await page.goto(`${DEMO_URL}/tenants?q=Excelvård`);
	await expect(page.getByRole('link', { name: 'Excelvård; Ab' })).toBeVisible();
	await page.goto(`${DEMO_URL}/tenants?q=Felvård`);
	await expect(page.getByRole('link', { name: 'Felvård Ab' })).toHaveCount(0);
	await context.close();
});
