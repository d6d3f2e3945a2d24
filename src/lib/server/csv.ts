/**
 * CSV for spreadsheets (RFC 4180): comma-separated, CRLF line ends, fields quoted when they hold
 * a comma, semicolon, quote or line break. A UTF-8 byte order mark makes Excel read å, ä and ö
 * correctly.
 */
const BOM = '\uFEFF';

// A cell that starts like a formula would be run by the spreadsheet (CSV injection); a leading
// apostrophe makes it plain text. Certificate subjects and references are typed by other people.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\r\n]/;

function cell(value: string): string {
	const safe = FORMULA_START.test(value) ? `'${value}` : value;
	return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: string[][]): string {
	return BOM + rows.map((row) => row.map(cell).join(',') + '\r\n').join('');
}
