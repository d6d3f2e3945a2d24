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

/** A turn of the event loop: other requests' input, output and timers run before the next part. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A CSV file sent in parts as it is made, for exports that can be large: the header line (with the
 * byte order mark) first, then each part of `parts` (rows read a few thousand at a time), with a turn
 * of the event loop between parts so that other people's requests are answered meanwhile and the
 * first byte leaves at once. The bytes are exactly `toCsv([header, ...every row])`.
 *
 * `parts` is read lazily, after the response has started: make language-dependent labels before
 * (while the request's locale holds), as the parts may be made outside the request's context.
 */
export function csvStream(header: string[], parts: Iterable<string[][]>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const iterator = parts[Symbol.iterator]();
	let started = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(encoder.encode(toCsv([header])));
				return;
			}
			// Until something is sent or the rows run out: a read waiting for this pull must get an answer.
			for (;;) {
				await nextTurn();
				const next = iterator.next();
				if (next.done) {
					controller.close();
					return;
				}
				if (next.value.length) {
					controller.enqueue(encoder.encode(csvLines(next.value)));
					return;
				}
			}
		},
		cancel() {
			iterator.return?.();
		}
	});
}

/** The response headers of a CSV download. */
export function csvHeaders(fileName: string): Record<string, string> {
	return {
		'content-type': 'text/csv; charset=utf-8',
		'content-disposition': `attachment; filename="${fileName}"`,
		'cache-control': 'private, no-store'
	};
}

/** Rows already in memory, in parts of `size`, each made into CSV cells only when it is sent. */
export function* inParts<T>(rows: readonly T[], size: number, cells: (row: T) => string[]): Generator<string[][]> {
	for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size).map(cells);
}
