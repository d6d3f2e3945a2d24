import { describe, expect, it } from 'vitest';
import { freshDb } from '../test-support';
import { readTenantCsv } from '../import/tenant-csv';
import { previewTenantImport } from '../import/tenant-import';
import { rejectedRowsCsv, templateCsv } from './tenant-import';

const HEADER = 'Name;Business ID;OID;Street address;Postal code;City;Sector;Provider type';

describe('the import CSV files', () => {
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
});
