import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLongDate } from '../../i18n/format';
import { formatSigningTime } from './document';
import { loadFontPrograms, REPERTOIRE, SUBSTITUTE } from './pdf-fonts';

const LOCALES = ['fi', 'sv', 'en'] as const;

/** Characters the PDF draws (line breaks and tabs are layout, not glyphs). */
const drawn = (text: string) => new Set(Array.from(text.normalize('NFC')).filter((char) => !/[\n\r\t]/.test(char)));
const outside = (text: string) =>
	[...drawn(text)]
		.filter((char) => !REPERTOIRE.has(char.codePointAt(0)!))
		.map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase()} ${char}`);

describe('the PDF fonts’ repertoire', () => {
	it('holds every character of every agreement template, so a template needing a new one fails here', () => {
		const files = readdirSync('templates').filter((name) => name.endsWith('.txt'));
		expect(files.length).toBeGreaterThanOrEqual(3);
		for (const file of files)
			expect({ file, outside: outside(readFileSync(join('templates', file), 'utf8')) }).toEqual({ file, outside: [] });
	});

	it('holds every character of the messages the PDF prints, in all three languages', () => {
		for (const locale of LOCALES) {
			const messages = JSON.parse(readFileSync(join('messages', `${locale}.json`), 'utf8')) as Record<string, string>;
			const printed = Object.entries(messages).filter(([key]) => key.startsWith('pdf_') || key.startsWith('agreement_event_'));
			expect(printed.length).toBeGreaterThan(20);
			expect({ locale, outside: outside(printed.map(([, text]) => text).join(' ')) }).toEqual({ locale, outside: [] });
		}
	});

	it('holds the dates and times as the agreement and its signature page write them, every month', () => {
		for (const locale of LOCALES) {
			const dates = Array.from({ length: 12 }, (_, month) => new Date(Date.UTC(2026, month, 28, 21, 5, 9)));
			const text = dates.map((date) => `${formatLongDate(date, locale)} ${formatSigningTime(date, locale)}`).join(' ');
			expect({ locale, outside: outside(text) }).toEqual({ locale, outside: [] });
		}
	});

	it('covers Latin-1, Latin Extended-A and the typographic punctuation, with a glyph for each in both weights', async () => {
		const softHyphen = 0xad; // invisible: dropped, not drawn
		for (let codePoint = 0xa0; codePoint <= 0x17f; codePoint++) expect(REPERTOIRE.has(codePoint)).toBe(codePoint !== softHyphen);
		for (const char of '–—‘’“”…•§€\u00a0\u202f' + SUBSTITUTE) expect(REPERTOIRE.has(char.codePointAt(0)!)).toBe(true);
		// Preparing the programs throws if either weight lacks a glyph of the repertoire.
		const { regular, bold } = await loadFontPrograms();
		expect(regular.widthOfTextAtSize('Åsa §', 10)).toBeGreaterThan(0);
		expect(bold.widthOfTextAtSize('Åsa §', 10)).toBeGreaterThan(regular.widthOfTextAtSize('Åsa §', 10));
	});

	it('measures a character outside the repertoire as its substitute, drops invisible ones, composes decomposed letters', async () => {
		const { regular } = await loadFontPrograms();
		const width = (text: string) => regular.widthOfTextAtSize(text, 10);
		expect(width('Ж')).toBe(width(SUBSTITUTE));
		expect(width('😀')).toBe(width(SUBSTITUTE)); // one substitute for a character outside the BMP, not two
		expect(width('ab\u200bc\u00ad')).toBe(width('abc'));
		expect(width('a\u030a')).toBe(width('å'));
		expect(regular.encode('a\u030a')).toBe(regular.encode('å'));
	});
});
