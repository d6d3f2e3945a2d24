import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_ACTOR, freshDb } from '../test-support';
import { IMPORT_LIMITS, readTenantCsv, templateHeaders } from '../import/tenant-csv';
import { importTenants, previewTenantImport } from '../import/tenant-import';
import { readTenantXlsx } from '../import/tenant-xlsx';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { readImportUpload, rejectedRowsCsv, templateCsv, templateXlsx } from './tenant-import';

const HEADER = 'Name;Business ID;OID;Street address;Postal code;City;Sector;Provider type';

describe('the import CSV files', () => {
	afterEach(() => vi.unstubAllEnvs());

	it('offers the rejected rows with a reason column, formula-looking cells neutralised', () => {
		const text = `${HEADER}\n=HYPERLINK("http://x");2617416-5;1.2.246.10.26174164;Katu 1;00100;Helsinki;health_care;private\nGood;2617416-4;1.2.246.10.26174164;Katu 1;00100;Helsinki;health_care;private\n`;
		const read = readTenantCsv(new TextEncoder().encode(text));
		if (!read.ok) throw new Error('unreadable');
		const csv = rejectedRowsCsv(previewTenantImport(freshDb(), read.rows));
		const lines = csv
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^Nimi,Y-tunnus,.*,Syy$/);
		expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
		expect(lines[1]).toContain('Y-tunnus: ');
	});

	it('gives the template the headers and nothing else', () => {
		expect(templateCsv()).toBe(
			'\uFEFFNimi,Y-tunnus,OID,Soteri-numero,Katuosoite,Postinumero,Postitoimipaikka,Sektori,Palveluntuottajan tyyppi,Sopimuskieli,Yhteyshenkilö,Yhteyshenkilön sähköposti,Yhteyshenkilön puhelin,Kutsuttavan nimi,Kutsuttavan sähköposti,Kutsuttavan rooli\r\n'
		);
	});

	it('offers the rows left out by an import of the valid rows, with their reasons', () => {
		const text = `${HEADER}\nGood;2617416-4;1.2.246.10.26174164;Katu 1;00100;Helsinki;health_care;private\nBad;2617416-5;1.2.246.10.1;Katu 1;00100;Helsinki;health_care;private\n`;
		const read = readTenantCsv(new TextEncoder().encode(text));
		if (!read.ok) throw new Error('unreadable');
		const db = freshDb();
		expect(importTenants(db, ADMIN_ACTOR, read.rows, new Date(), 'valid')).toMatchObject({ ok: true, created: 1, leftOut: 1 });
		const lines = rejectedRowsCsv(previewTenantImport(db, read.rows))
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/,Syy$/);
		expect(lines[1]).toMatch(/^Bad,2617416-5,.*,"Y-tunnus: .+"$/);
	});

	it("gives the workbook template the headers in the reader's language, as text columns", async () => {
		const bytes = await templateXlsx();
		// Headers only: the import reads it as a file with no rows, after the very headers of the CSV template.
		expect(readTenantXlsx(bytes, { ...IMPORT_LIMITS, inflatedBytes: 32 * 1024 * 1024 })).toEqual({ ok: false, problem: { code: 'empty' } });
		const { default: ExcelJS } = await import('exceljs');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(new Uint8Array(bytes).buffer);
		const sheet = book.worksheets[0];
		expect(sheet.name).toBe('Toimijat');
		expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(templateHeaders('fi'));
		expect(sheet.getColumn(6).numFmt).toBe('@');
	});

	it('refuses a workbook bomb and an old .xls with a message saying what to do', async () => {
		// The worker's time limit is not what is tested here: a loaded test machine must not hit it.
		vi.stubEnv('LIITOS_UNTRUSTED_TIMEOUT_MS', '60000');
		const parts = unzipSync(await templateXlsx());
		parts['xl/worksheets/sheet1.xml'] = new Uint8Array(40 * 1024 * 1024).fill(0x20);
		const bomb = zipSync(parts, { level: 9 });
		// The row count as the reader writes numbers (10 000 with a no-break space in Finnish).
		expect(await readImportUpload(new Blob([bomb]))).toMatchObject({
			ok: false,
			error: expect.stringMatching(
				/^Työkirjassa on enemmän tietoa kuin kerralla voidaan lukea \(avattuna yli 32 Mt\)\. .*enintään 10\s000 riviä\.$/
			)
		});
		const xls = new Blob([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), strToU8('vanha')]);
		expect(await readImportUpload(xls)).toMatchObject({ ok: false, error: expect.stringMatching(/^Tiedosto ei ole Excel-työkirja/) });
	});
});
