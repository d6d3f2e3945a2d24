import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DecodeBudget, decodePdfFilters, InflateLimitError } from './bounded-decode';
import { MAX_FILTER_CHAIN } from './limits';

const MB = 1024 * 1024;
const text = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('latin1') : null);

describe('decodePdfFilters', () => {
	it('decodes Flate, ASCIIHex, ASCII85 and RunLength, and their abbreviations', () => {
		const budget = new DecodeBudget(MB);
		expect(text(decodePdfFilters(deflateSync('hei maailma'), ['FlateDecode'], budget))).toBe('hei maailma');
		expect(text(decodePdfFilters(Buffer.from('68 65 69>'), ['AHx'], budget))).toBe('hei');
		expect(text(decodePdfFilters(Buffer.from('87cURD]i,"Ebo80~>'), ['ASCII85Decode'], budget))).toBe('Hello World!');
		expect(text(decodePdfFilters(Uint8Array.from([2, 0x61, 0x62, 0x63, 0xfe, 0x7a, 0x80]), ['RL'], budget))).toBe('abczzz');
		expect(text(decodePdfFilters(Buffer.from(deflateSync('x').toString('hex')), ['ASCIIHexDecode', 'Fl'], budget))).toBe('x');
	});

	it('charges every byte it produces to the budget', () => {
		const budget = new DecodeBudget(MB);
		decodePdfFilters(deflateSync(Buffer.alloc(1000)), ['FlateDecode'], budget);
		expect(budget.remaining).toBe(MB - 1000);
	});

	it('stops a Flate bomb at the budget instead of inflating it', () => {
		const bomb = deflateSync(Buffer.alloc(64 * MB), { level: 9 });
		expect(bomb.length).toBeLessThan(100 * 1024);
		expect(() => decodePdfFilters(bomb, ['FlateDecode'], new DecodeBudget(MB))).toThrow(InflateLimitError);
	});

	it('stops stacked filters: Flate twice, and ASCIIHex over Flate', () => {
		const double = deflateSync(deflateSync(Buffer.alloc(64 * MB), { level: 9 }), { level: 9 });
		expect(double.length).toBeLessThan(2048);
		expect(() => decodePdfFilters(double, ['FlateDecode', 'FlateDecode'], new DecodeBudget(MB))).toThrow(InflateLimitError);
		const hex = Buffer.from(deflateSync(Buffer.alloc(8 * MB)).toString('hex'));
		expect(() => decodePdfFilters(hex, ['ASCIIHexDecode', 'FlateDecode'], new DecodeBudget(MB))).toThrow(InflateLimitError);
	});

	it('counts the budget across streams, so many small bombs add up', () => {
		const budget = new DecodeBudget(MB);
		const piece = deflateSync(Buffer.alloc(400 * 1024));
		decodePdfFilters(piece, ['FlateDecode'], budget);
		decodePdfFilters(piece, ['FlateDecode'], budget);
		expect(() => decodePdfFilters(piece, ['FlateDecode'], budget)).toThrow(InflateLimitError);
	});

	it('stops the expanding ASCII85 and RunLength forms at the budget too', () => {
		expect(() => decodePdfFilters(Buffer.from('z'.repeat(1000)), ['A85'], new DecodeBudget(3000))).toThrow(InflateLimitError);
		const runs = Uint8Array.from({ length: 200 }, (_, i) => (i % 2 ? 0 : 0x81));
		expect(() => decodePdfFilters(runs, ['RunLengthDecode'], new DecodeBudget(1000))).toThrow(InflateLimitError);
	});

	it(`refuses a chain of more than ${MAX_FILTER_CHAIN} filters`, () => {
		expect(() => decodePdfFilters(Buffer.from('41>'), new Array(MAX_FILTER_CHAIN + 1).fill('AHx'), new DecodeBudget(MB))).toThrow(
			InflateLimitError
		);
	});

	it('leaves image codecs, LZW and damaged data encoded, at no cost', () => {
		const budget = new DecodeBudget(MB);
		expect(decodePdfFilters(Buffer.from('abc'), ['DCTDecode'], budget)).toBeNull();
		expect(decodePdfFilters(Buffer.from('abc'), ['LZWDecode'], budget)).toBeNull();
		expect(decodePdfFilters(Buffer.from('not zlib'), ['FlateDecode'], budget)).toBeNull();
		expect(budget.remaining).toBe(MB);
	});
});
