import ExcelJS, { type CellValue } from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toCsv } from '../csv';
import { freshDb } from '../test-support';
import { IMPORT_LIMITS, readTenantCsvText } from './tenant-csv';
import { previewTenantImport } from './tenant-import';
import { numberText, readTenantSpreadsheet, readTenantXlsx, type XlsxLimits } from './tenant-xlsx';

const LIMITS: XlsxLimits = { ...IMPORT_LIMITS, inflatedBytes: 32 * 1024 * 1024 };
const MB = 1024 * 1024;

const FI_HEADER = [
	'Nimi',
	'Y-tunnus',
	'OID',
	'Soteri-numero',
	'Katuosoite',
	'Postinumero',
	'Postitoimipaikka',
	'Sektori',
	'Palveluntuottajan tyyppi',
	'Kutsuttavan nimi',
	'Kutsuttavan sähköposti',
	'Kutsuttavan rooli'
];

type Cell = CellValue | { value: CellValue; numFmt: string };

/** An .xlsx written by exceljs, as a spreadsheet program would save it: shared strings, styles, formulas. */
async function workbook(rows: (Cell[] | null)[], options: { firstRow?: number } = {}): Promise<Uint8Array> {
	const book = new ExcelJS.Workbook();
	const sheet = book.addWorksheet('Toimijat');
	rows.forEach((row, i) => {
		if (!row) return;
		row.forEach((value, c) => {
			const cell = sheet.getRow((options.firstRow ?? 1) + i).getCell(c + 1);
			if (value && typeof value === 'object' && 'numFmt' in value) {
				cell.value = value.value;
				cell.numFmt = value.numFmt;
			} else cell.value = value;
		});
	});
	return new Uint8Array(await book.xlsx.writeBuffer());
}

const VALID = [
	'Hammaslääkäri Virtanen',
	'2617416-4',
	'1.2.246.10.26174164',
	'',
	'Mannerheimintie 1',
	'00100',
	'Helsinki',
	'terveydenhuolto',
	'yksityinen'
];

function read(bytes: Uint8Array, limits: XlsxLimits = LIMITS) {
	const result = readTenantXlsx(bytes, limits);
	if (!result.ok) throw new Error(JSON.stringify(result.problem));
	return result;
}

describe('readTenantXlsx: cells as the spreadsheet shows them', () => {
	it('reads a workbook written by exceljs: a `;` value, a formula, numeric IDs, a bad check digit, a repeated business ID', async () => {
		const bytes = await workbook([
			FI_HEADER,
			[...VALID.slice(0, 5), { value: 100, numFmt: '00000' }, ...VALID.slice(6), 'Eero Virtanen', 'eero@virtanen.fi', 'tenant_admin'],
			[
				'Hoivakoti Onni; Oy',
				'1572860-0',
				'1.2.246.10.15728600',
				1234567,
				'Kauppakatu 2\r\nB-rappu',
				'33100',
				'Tampere',
				'social_welfare',
				'private'
			],
			[
				{ formula: 'CONCATENATE("Tuonti","hoiva")', result: 'Tuontihoiva' },
				'3100001-1',
				'1.2.246.10.31000011',
				'',
				{ formula: 'HYPERLINK("http://x.test","Katu 1")' },
				'33100',
				'Tampere',
				'social_welfare',
				'private'
			],
			['Väärä tarkiste', '2617416-5', '1.2.246.10.1', '', 'Katu 1', '00100', 'Helsinki', 'health_care', 'private'],
			['Toinen nimi', '1572860-0', '1.2.246.10.15728600', '', 'Kauppakatu 2', '33100', 'Tampere', 'social_welfare', 'private']
		]);
		const result = read(bytes);
		expect(result.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
		const [a, b, c] = result.rows;
		// A number shown with five digits stays "00100"; a plain number stays as typed, not 1234567.0.
		expect(a.cells.postalCode).toBe('00100');
		expect(b.cells.soteriRegistration).toBe('1234567');
		expect(b.cells.name).toBe('Hoivakoti Onni; Oy');
		expect(b.cells.streetAddress).toBe('Kauppakatu 2\nB-rappu');
		// A formula gives the value last calculated; one never calculated is kept as its text, not run.
		expect(c.cells.name).toBe('Tuontihoiva');
		expect(c.cells.streetAddress).toBe('=HYPERLINK("http://x.test","Katu 1")');
		expect(toCsv([[c.cells.streetAddress!]])).toContain(`"'=HYPERLINK(""http://x.test"",""Katu 1"")"`);

		const preview = previewTenantImport(freshDb(), result.rows);
		expect(preview.rows.map((r) => r.status)).toEqual(['new', 'new', 'new', 'error', 'error']);
		expect(preview.rows[3].errors.businessId).toBe('error_business_id_invalid');
		expect(preview.rows[4].errors.name).toBe('import_error_duplicate_business_id');
	});

	it('sends back text that reads to the very same rows, row numbers included', async () => {
		const bytes = await workbook([FI_HEADER, null, VALID, null, null, ['Hoivakoti "Onni", Oy', ...VALID.slice(1)]], { firstRow: 3 });
		const result = read(bytes);
		expect(result.rows.map((r) => r.line)).toEqual([5, 8]);
		expect(result.rows[1].cells.name).toBe('Hoivakoti "Onni", Oy');
		const again = readTenantCsvText(result.text);
		expect(again.ok && again.rows).toEqual(result.rows);
	});

	it('reads the first sheet of several', async () => {
		const book = new ExcelJS.Workbook();
		book.addWorksheet('Toimijat').addRows([FI_HEADER, VALID]);
		book.addWorksheet('Muistiinpanot').addRow(['Kenkäkoko', 42]);
		const result = read(new Uint8Array(await book.xlsx.writeBuffer()));
		expect(result.rows).toHaveLength(1);
	});

	it('tells CSV from XLSX by the content, whatever the name', async () => {
		const fromXlsx = readTenantSpreadsheet(await workbook([FI_HEADER, VALID]), LIMITS);
		const fromCsv = readTenantSpreadsheet(
			new TextEncoder().encode('\uFEFF' + [FI_HEADER, VALID].map((r) => r.join(';')).join('\r\n')),
			LIMITS
		);
		expect(fromXlsx.ok && fromCsv.ok && fromXlsx.rows[0].cells).toEqual(fromCsv.ok && fromCsv.rows[0].cells);
	});

	it('shows numbers as the spreadsheet does, without float noise', () => {
		expect(numberText('1234567', '')).toBe('1234567');
		expect(numberText('100', '00000')).toBe('00100');
		expect(numberText('0.30000000000000004', '')).toBe('0.3');
		expect(numberText('12.5', '0.00')).toBe('12.50');
		expect(numberText('45658', 'd.m.yyyy')).toBe('2025-01-01');
		expect(numberText('45658', 'yyyy-mm-dd', true)).toBe('2029-01-02');
		expect(numberText('26174164', '@')).toBe('26174164');
	});
});

/** The workbook with one of its parts replaced. */
function withPart(bytes: Uint8Array, name: string, data: Uint8Array<ArrayBuffer>) {
	const files = unzipSync(bytes);
	files[name] = data;
	return zipSync(files, { level: 9 });
}

/** Rewrites the size a ZIP's central directory declares for one entry (the size it lies about). */
function declareSize(bytes: Uint8Array, name: string, size: number): Uint8Array {
	const out = bytes.slice();
	const view = new DataView(out.buffer);
	for (let at = 0; at < out.length - 46; at++) {
		if (view.getUint32(at, true) !== 0x02014b50) continue;
		const nameLength = view.getUint16(at + 28, true);
		if (strFromU8(out.subarray(at + 46, at + 46 + nameLength)) === name) view.setUint32(at + 24, size, true);
	}
	return out;
}

describe('readTenantXlsx: bounded in size, rows and cells', () => {
	it('refuses a zip bomb by its declared size, before inflating it', async () => {
		const sheet = new Uint8Array(40 * MB).fill(0x20);
		const bomb = withPart(await workbook([FI_HEADER, VALID]), 'xl/worksheets/sheet1.xml', sheet);
		expect(bomb.length).toBeLessThan(200 * 1024);
		const heapBefore = process.memoryUsage().heapUsed;
		expect(readTenantXlsx(bomb, LIMITS)).toEqual({ ok: false, problem: { code: 'workbook_too_large', limit: 32 * MB } });
		expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(16 * MB);
	});

	it('does not believe a part that declares less than it holds: it is cut at the declared size', async () => {
		const sheet = strToU8(
			`<worksheet><sheetData>${'<row><c t="inlineStr"><is><t>x</t></is></c></row>'.repeat(200_000)}</sheetData></worksheet>`
		);
		const liar = declareSize(withPart(await workbook([FI_HEADER]), 'xl/worksheets/sheet1.xml', sheet), 'xl/worksheets/sheet1.xml', 1000);
		expect(readTenantXlsx(liar, LIMITS)).toEqual({ ok: false, problem: { code: 'not_xlsx' } });
	});

	it('refuses more rows than the limit, also far down an otherwise empty sheet', async () => {
		const rows = [FI_HEADER, ...Array.from({ length: 6 }, () => VALID)];
		expect(readTenantXlsx(await workbook(rows), { ...LIMITS, rows: 5 })).toEqual({
			ok: false,
			problem: { code: 'too_many_rows', limit: 5 }
		});
		const book = new ExcelJS.Workbook();
		const sheet = book.addWorksheet('Toimijat');
		sheet.addRow(FI_HEADER);
		sheet.getCell('A1000000').value = 'kaukana';
		const far = new Uint8Array(await book.xlsx.writeBuffer());
		expect(readTenantXlsx(far, LIMITS)).toEqual({ ok: false, problem: { code: 'too_many_rows', limit: LIMITS.rows } });
	});

	it('refuses more cells or shared strings than the rows allowed could hold', async () => {
		const wide = Array.from({ length: 200 }, (_, i) => `sarake ${i}`);
		const result = readTenantXlsx(await workbook([wide, wide]), { ...LIMITS, rows: 2 });
		expect(result).toEqual({ ok: false, problem: { code: 'workbook_too_large', limit: LIMITS.inflatedBytes } });
	});

	it('refuses what is not a workbook: damaged, an old .xls, no sheet', async () => {
		const good = await workbook([FI_HEADER, VALID]);
		expect(readTenantXlsx(good.slice(0, good.length / 2), LIMITS)).toEqual({ ok: false, problem: { code: 'not_xlsx' } });
		const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
		expect(readTenantSpreadsheet(xls, LIMITS)).toEqual({ ok: false, problem: { code: 'not_xlsx' } });
		const noSheet = zipSync({ 'xl/workbook.xml': strToU8('<workbook><sheets/></workbook>') });
		expect(readTenantXlsx(noSheet, LIMITS)).toEqual({ ok: false, problem: { code: 'not_xlsx' } });
		expect(readTenantXlsx(withPart(good, 'xl/worksheets/sheet1.xml', strToU8('<worksheet><sheetData><row>')), LIMITS)).toEqual({
			ok: false,
			problem: { code: 'not_xlsx' }
		});
	});

	it('refuses a file larger than the upload limit without opening it', async () => {
		expect(readTenantXlsx(await workbook([FI_HEADER, VALID]), { ...LIMITS, bytes: 100 })).toEqual({
			ok: false,
			problem: { code: 'too_large', limit: 100 }
		});
	});
});

describe('in the untrusted-file worker', () => {
	afterEach(() => vi.unstubAllEnvs());

	it('reads a workbook, and refuses a bomb without the worker running out of memory', async () => {
		// The worker's time limit is not what is tested here: a loaded test machine must not hit it.
		vi.stubEnv('LIITOS_UNTRUSTED_TIMEOUT_MS', '60000');
		const { runUntrusted } = await import('../untrusted/sandbox');
		const good = await workbook([FI_HEADER, VALID]);
		const result = await runUntrusted('tenantSpreadsheet', good);
		expect(result.ok && result.value.ok && result.value.rows.length).toBe(1);
		const bomb = withPart(good, 'xl/worksheets/sheet1.xml', new Uint8Array(40 * MB).fill(0x20));
		expect(await runUntrusted('tenantSpreadsheet', bomb)).toEqual({
			ok: true,
			value: { ok: false, problem: { code: 'workbook_too_large', limit: 32 * MB } }
		});
	});
});
