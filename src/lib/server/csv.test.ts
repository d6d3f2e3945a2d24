import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

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

	it('gives just the byte order mark for no rows', () => {
		expect(toCsv([])).toBe('\uFEFF');
	});
});
