import { describe, expect, it } from 'vitest';
import { csvStream, inParts, toCsv } from './csv';

async function read(stream: ReadableStream<Uint8Array>): Promise<{ text: string; parts: string[] }> {
	const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
	const parts: string[] = [];
	const reader = stream.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		parts.push(decoder.decode(value, { stream: true }));
	}
	return { text: parts.join(''), parts };
}

const HEADER = ['Nimi', 'Aihe', 'Viite'];
/** Rows with what the writer must quote or neutralise, and letters outside ASCII. */
const rows = (n: number) =>
	Array.from({ length: n }, (_, i) => [
		`Hölmö ${i}, Åland`,
		i % 3 === 0 ? `=HYPERLINK("http://evil/${i}")` : `CN=x; O=y ${i}`,
		i % 5 === 0 ? '+358 40 123 4567' : `say "hi"\n${i}`
	]);

describe('csvStream', () => {
	it('sends exactly the bytes of toCsv, whatever the part sizes, empty parts included', async () => {
		const all = rows(101);
		const expected = toCsv([HEADER, ...all]);
		for (const size of [1, 7, 50, 101, 1000]) {
			const { text } = await read(
				csvStream(
					HEADER,
					inParts(all, size, (r) => r)
				)
			);
			expect(text).toBe(expected);
		}
		const withEmpty = [[], all.slice(0, 10), [], [], all.slice(10), []];
		expect((await read(csvStream(HEADER, withEmpty))).text).toBe(expected);
		expect(Buffer.from(new Uint8Array(await new Response(csvStream(HEADER, withEmpty)).arrayBuffer()))).toEqual(
			Buffer.from(expected, 'utf8')
		);
	});

	it('sends the header (with the byte order mark) first and on its own, then one chunk per non-empty part', async () => {
		const { parts } = await read(
			csvStream(
				HEADER,
				inParts(rows(10), 4, (r) => r)
			)
		);
		expect(parts[0]).toBe(toCsv([HEADER]));
		expect(parts[0].charCodeAt(0)).toBe(0xfeff);
		expect(parts).toHaveLength(1 + 3);
		for (const part of parts.slice(1)) expect(part.endsWith('\r\n')).toBe(true);
	});

	it('neutralises formulas in every part, as toCsv does', async () => {
		const { text } = await read(
			csvStream(
				HEADER,
				inParts(rows(30), 4, (r) => r)
			)
		);
		expect(text).not.toMatch(/(^|[,\n])"?=HYPERLINK/m);
		expect(text).toContain(`"'=HYPERLINK(""http://evil/3"")"`);
		expect(text).toContain("'+358 40 123 4567");
	});

	it('with no rows, sends the header alone', async () => {
		expect((await read(csvStream(HEADER, []))).text).toBe(toCsv([HEADER]));
	});

	it('gives the event loop a turn between parts, so other work runs while a large file is sent', async () => {
		const order: string[] = [];
		const parts = (function* () {
			for (let i = 0; i < 3; i++) {
				order.push(`part ${i}`);
				// Scheduled as other requests' I/O would be: it must run before the next part is made.
				setImmediate(() => order.push(`other ${i}`));
				yield [[`row ${i}`]];
			}
		})();
		await read(csvStream(['h'], parts));
		expect(order).toEqual(['part 0', 'other 0', 'part 1', 'other 1', 'part 2', 'other 2']);
	});

	it('stops reading the rows when the download is cancelled', async () => {
		let made = 0;
		let closed = false;
		const parts = (function* () {
			try {
				for (;;) {
					made++;
					yield [['x']];
				}
			} finally {
				closed = true;
			}
		})();
		const reader = csvStream(['h'], parts).getReader();
		await reader.read();
		await reader.read();
		await reader.cancel();
		expect(closed).toBe(true);
		expect(made).toBeLessThan(5);
	});
});
