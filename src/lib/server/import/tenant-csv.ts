import { parse } from 'csv-parse/sync';

/**
 * Reading a tenant spreadsheet saved as CSV, the way Excel and LibreOffice write it: UTF-8 with or
 * without a byte order mark, CRLF or LF line ends, `,` or `;` between fields (Finnish and Swedish
 * Excel use `;`), quoted fields holding separators, quotes and line breaks. The parsing is done by
 * csv-parse; this module only bounds the input, picks the separator and maps the headers.
 */

/**
 * `bytes` bounds an uploaded file; `textBytes` the file's text as it travels back with the preview
 * (a workbook's cells as CSV can be several times the compressed workbook).
 */
export const IMPORT_LIMITS = { bytes: 2 * 1024 * 1024, rows: 10_000, textBytes: 8 * 1024 * 1024 } as const;

/** The columns a tenant row may carry, by the key the rest of the import uses. */
export const IMPORT_COLUMNS = [
	'name',
	'businessId',
	'oid',
	'soteriRegistration',
	'streetAddress',
	'postalCode',
	'city',
	'serviceSector',
	'providerType',
	'agreementLanguage',
	'contactName',
	'contactEmail',
	'contactPhone',
	'personName',
	'personEmail',
	'personRole'
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly ImportColumn[] = [
	'name',
	'businessId',
	'oid',
	'streetAddress',
	'postalCode',
	'city',
	'serviceSector',
	'providerType'
];

/** The header each language's template uses (first) and other spellings accepted. */
export const COLUMN_HEADERS: Record<ImportColumn, { fi: string; sv: string; en: string; also?: string[] }> = {
	name: { fi: 'Nimi', sv: 'Namn', en: 'Name', also: ['organisaatio', 'organisation', 'tenant name', 'toimija'] },
	businessId: { fi: 'Y-tunnus', sv: 'FO-nummer', en: 'Business ID', also: ['ytunnus', 'fo nummer', 'business id', 'businessid'] },
	oid: { fi: 'OID', sv: 'OID', en: 'OID', also: ['oid-tunnus', 'oid tunnus'] },
	soteriRegistration: { fi: 'Soteri-numero', sv: 'Soteri-nummer', en: 'Soteri number', also: ['soteri'] },
	streetAddress: { fi: 'Katuosoite', sv: 'Gatuadress', en: 'Street address', also: ['osoite', 'adress', 'address'] },
	postalCode: { fi: 'Postinumero', sv: 'Postnummer', en: 'Postal code', also: ['postcode', 'zip'] },
	city: { fi: 'Postitoimipaikka', sv: 'Postort', en: 'City', also: ['kunta', 'kaupunki', 'ort', 'town'] },
	serviceSector: { fi: 'Sektori', sv: 'Sektor', en: 'Sector', also: ['palvelusektori', 'service sector'] },
	providerType: { fi: 'Palveluntuottajan tyyppi', sv: 'Typ av tjänsteproducent', en: 'Provider type', also: ['tuottajatyyppi'] },
	agreementLanguage: { fi: 'Sopimuskieli', sv: 'Avtalsspråk', en: 'Agreement language' },
	contactName: { fi: 'Yhteyshenkilö', sv: 'Kontaktperson', en: 'Contact name', also: ['contact'] },
	contactEmail: { fi: 'Yhteyshenkilön sähköposti', sv: 'Kontaktpersonens e-post', en: 'Contact e-mail', also: ['contact email'] },
	contactPhone: { fi: 'Yhteyshenkilön puhelin', sv: 'Kontaktpersonens telefon', en: 'Contact phone' },
	personName: { fi: 'Kutsuttavan nimi', sv: 'Inbjudens namn', en: 'Person name' },
	personEmail: { fi: 'Kutsuttavan sähköposti', sv: 'Inbjudens e-post', en: 'Person e-mail', also: ['person email'] },
	personRole: { fi: 'Kutsuttavan rooli', sv: 'Inbjudens roll', en: 'Person role' }
};

/** Lower case, without punctuation and extra spaces: "Y-tunnus" and "y tunnus" match. */
function headerKey(text: string): string {
	return text
		.normalize('NFC')
		.toLowerCase()
		.replace(/[-_.:*()]/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

const HEADER_LOOKUP = new Map<string, ImportColumn>();
for (const column of IMPORT_COLUMNS) {
	const h = COLUMN_HEADERS[column];
	for (const text of [h.fi, h.sv, h.en, column, ...(h.also ?? [])]) HEADER_LOOKUP.set(headerKey(text), column);
}

export function templateHeaders(locale: 'fi' | 'sv' | 'en'): string[] {
	return IMPORT_COLUMNS.map((c) => COLUMN_HEADERS[c][locale]);
}

export type CsvRow = { line: number; cells: Partial<Record<ImportColumn, string>> };

export type CsvProblem =
	| { code: 'empty' }
	| { code: 'too_large'; limit: number }
	| { code: 'too_many_rows'; limit: number }
	| { code: 'not_utf8' }
	| { code: 'malformed'; line: number }
	| { code: 'unknown_columns'; columns: string[] }
	| { code: 'missing_columns'; columns: ImportColumn[] }
	| { code: 'duplicate_columns'; columns: string[] }
	| { code: 'not_xlsx' }
	| { code: 'workbook_too_large'; limit: number };

export type CsvReadResult = { ok: true; separator: ',' | ';'; rows: CsvRow[] } | { ok: false; problem: CsvProblem };

/** The separator of the header line: whichever of `;` and `,` occurs more outside quotes. */
export function detectSeparator(text: string): ',' | ';' {
	let commas = 0;
	let semicolons = 0;
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '"') quoted = !quoted;
		else if (!quoted && (ch === '\n' || ch === '\r')) break;
		else if (!quoted && ch === ',') commas++;
		else if (!quoted && ch === ';') semicolons++;
	}
	return semicolons > commas ? ';' : ',';
}

/** Reads the bytes of an uploaded CSV file into rows keyed by column; never throws. */
export function readTenantCsv(bytes: Uint8Array, limits: { bytes: number; rows: number } = IMPORT_LIMITS): CsvReadResult {
	if (bytes.byteLength > limits.bytes) return { ok: false, problem: { code: 'too_large', limit: limits.bytes } };
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return { ok: false, problem: { code: 'not_utf8' } };
	}
	return readTenantCsvText(text, limits.rows);
}

/** The same from text already decoded (a workbook's cells written as CSV, see tenant-xlsx.ts). */
export function readTenantCsvText(text: string, rowLimit: number = IMPORT_LIMITS.rows): CsvReadResult {
	const limits = { rows: rowLimit };
	if (text.trim() === '') return { ok: false, problem: { code: 'empty' } };
	const separator = detectSeparator(text);
	let records: string[][];
	try {
		records = parse(text, {
			delimiter: separator,
			bom: true,
			relax_column_count: true,
			// A quote inside an unquoted cell (12" screen) is kept as it is, as spreadsheets read it.
			relax_quotes: true,
			skip_empty_lines: true,
			// One more than allowed: enough to tell that the file has too many rows, no more.
			to: limits.rows + 2
		}) as string[][];
	} catch (e) {
		const line = typeof (e as { lines?: unknown }).lines === 'number' ? (e as { lines: number }).lines : 0;
		return { ok: false, problem: { code: 'malformed', line } };
	}
	const [header = [], ...body] = records;
	if (body.length > limits.rows) return { ok: false, problem: { code: 'too_many_rows', limit: limits.rows } };

	const columns: (ImportColumn | undefined)[] = header.map((h) => HEADER_LOOKUP.get(headerKey(h)));
	const unknown = header.filter((h, i) => h.trim() !== '' && !columns[i]);
	if (unknown.length) return { ok: false, problem: { code: 'unknown_columns', columns: unknown } };
	const seen = new Set<ImportColumn>();
	const duplicates: string[] = [];
	columns.forEach((c, i) => {
		if (!c) return;
		if (seen.has(c)) duplicates.push(header[i]);
		seen.add(c);
	});
	if (duplicates.length) return { ok: false, problem: { code: 'duplicate_columns', columns: duplicates } };
	const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
	if (missing.length) return { ok: false, problem: { code: 'missing_columns', columns: missing } };

	const rows: CsvRow[] = [];
	body.forEach((record, index) => {
		if (record.every((cell) => cell.trim() === '')) return;
		const cells: Partial<Record<ImportColumn, string>> = {};
		columns.forEach((c, i) => {
			// Line breaks inside a cell as LF: a form post turns them into CRLF, a re-import must match.
			if (c) cells[c] = (record[i] ?? '').replace(/\r\n?/g, '\n');
		});
		// Line numbers as the spreadsheet shows them: the header is row 1.
		rows.push({ line: index + 2, cells });
	});
	if (rows.length === 0) return { ok: false, problem: { code: 'empty' } };
	return { ok: true, separator, rows };
}

/**
 * CSV read back only by `readTenantCsvText`: cells exactly as they were (no formula guard: this
 * text never reaches a spreadsheet), quoted where a separator, quote or line break needs it. An
 * empty record is written as `""`, so that the reader keeps counting it and row numbers stay.
 */
export function writeRoundTripCsv(records: readonly (readonly string[])[]): string {
	const cell = (value: string) => (/[",;\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
	return (
		records.map((record) => (record.length === 0 || record.every((v) => v === '') ? '""' : record.map(cell).join(','))).join('\r\n') +
		'\r\n'
	);
}
