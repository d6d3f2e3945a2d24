import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

/**
 * A reader like a spreadsheet's: fields split on `separator`, a field that starts with a quote
 * runs to the closing quote (doubled quotes inside), and rows end at a line break outside quotes.
 * Finnish and Swedish Excel split on `;`, so the same bytes are read both ways in the tests.
 */
function readCsv(text: string, separator: ',' | ';'): string[] {
	const cells: string[] = [];
	let i = 0;
	while (i < text.length) {
		let value = '';
		if (text[i] === '"') {
			i++;
			while (i < text.length) {
				if (text[i] === '"' && text[i + 1] === '"') {
					value += '"';
					i += 2;
				} else if (text[i] === '"') {
					i++;
					break;
				} else value += text[i++];
			}
		}
		while (i < text.length && text[i] !== separator && text[i] !== '\r' && text[i] !== '\n') value += text[i++];
		cells.push(value);
		if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
		else i++;
	}
	return cells;
}

/** A cell a spreadsheet would run: a formula character first, possibly after a tab or CR. */
const RUNNABLE = /^[\t\r]*[=+\-@]/;

const body = (csv: string) => csv.slice(1);

describe('toCsv', () => {
	it('starts with a UTF-8 byte order mark and ends every row with CRLF', () => {
		const csv = toCsv([
			['a', 'b'],
			['c', 'd']
		]);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(body(csv)).toBe('a,b\r\nc,d\r\n');
	});

	it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
		expect(body(toCsv([['CN=x, O=y', 'say "hi"', 'two\nlines', 'plain']]))).toBe('"CN=x, O=y","say ""hi""","two\nlines",plain\r\n');
	});

	it('quotes semicolons so spreadsheets set to ; as separator keep the cell whole', () => {
		expect(body(toCsv([['a;b']]))).toBe('"a;b"\r\n');
	});

	it('keeps empty cells and non-ASCII text as they are', () => {
		expect(body(toCsv([['', 'Ä ö å', '']]))).toBe(',Ä ö å,\r\n');
	});

	it.each([
		['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
		['+1+1', "'+1+1"],
		['-2+3', "'-2+3"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\tcmd', "'\tcmd"],
		['\rcmd', `"'\rcmd"`]
	])('turns %j into text with a leading apostrophe', (value, expected) => {
		expect(body(toCsv([[value]]))).toBe(`${expected}\r\n`);
	});

	it('leaves formula characters alone when they are not at the start', () => {
		expect(body(toCsv([['a=b', 'x-1', 'me@example.fi']]))).toBe('a=b,x-1,me@example.fi\r\n');
	});

	it.each([',', ';'] as const)('leaves no cell that a spreadsheet splitting on %j would run as a formula', (separator) => {
		const hostile = [
			'x;=1+1;',
			'x,=1+1,',
			'a\t=cmd|calc',
			'line\n+1+1',
			'line\r\n-2+3',
			'x;"=HYPERLINK(""http://evil"")"',
			'x; @SUM(A1)',
			'x;;\t=1',
			'"=1"',
			'=1;=2,=3'
		];
		const cells = readCsv(body(toCsv([hostile, ['ok', ...hostile]])), separator);
		expect(cells.length).toBeGreaterThan(hostile.length);
		expect(cells.filter((cell) => RUNNABLE.test(cell.trimStart()))).toEqual([]);
	});

	it('keeps the text of a neutralised cell readable', () => {
		expect(body(toCsv([['x;=1+1;']]))).toBe(`"x;'=1+1;"\r\n`);
	});

	it('gives just the byte order mark for no rows', () => {
		expect(toCsv([])).toBe('\uFEFF');
	});
});
