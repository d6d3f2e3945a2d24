/**
 * CSV for spreadsheets (RFC 4180): comma-separated, CRLF line ends, fields quoted when they hold
 * a comma, semicolon, quote or line break. A UTF-8 byte order mark makes Excel read å, ä and ö
 * correctly.
 */
const BOM = '\uFEFF';

// A cell that starts like a formula would be run by the spreadsheet (CSV injection); an
// apostrophe makes it plain text. Certificate subjects and references are typed by other people.
// Finnish and Swedish Excel split on ';' (and ignore our quotes when a field does not start with
// one), so any separator or line break inside a value may start a cell: a formula character after
// one of them, past any spaces or quotes, gets the apostrophe too. The pattern tries only at the
// start and after a separator, so it runs in linear time.
const FORMULA_AFTER_SEPARATOR = /(^|[,;\t\r\n])([ "]*)(?=[=+\-@])/g;
const CONTROL_START = /^[\t\r]/;
const NEEDS_QUOTES = /[",;\r\n]/;

function neutralise(value: string): string {
	const safe = value.replace(FORMULA_AFTER_SEPARATOR, "$1$2'");
	return CONTROL_START.test(safe) ? `'${safe}` : safe;
}

function cell(value: string): string {
	const safe = neutralise(value);
	return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: string[][]): string {
	return BOM + csvLines(rows);
}

/** The same lines without the byte order mark: the later parts of a file sent in parts. */
export function csvLines(rows: string[][]): string {
	return rows.map((row) => row.map(cell).join(',') + '\r\n').join('');
}
