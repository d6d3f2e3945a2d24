import { DecodeBudget, decodePdfFilters } from './bounded-decode';

/**
 * The streams of a PDF, read straight from its bytes: no object model is built and nothing is
 * decoded beyond the budget, so a hostile file costs at most one linear pass plus the budget.
 * This is a scanner for finding text, not a PDF parser: a stream it cannot place is skipped.
 */
export function* decodedPdfStreams(bytes: Uint8Array, budget: DecodeBudget): Generator<Uint8Array> {
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
	const keyword = /(?<!end)stream(?:\r\n|\r|\n)/g;
	let previousEnd = 0;
	for (let match = keyword.exec(text); match; match = keyword.exec(text)) {
		const start = match.index + match[0].length;
		// The stream's dictionary lies between the previous stream's end and this keyword; cutting
		// the window there keeps every look-back disjoint, so the whole scan stays linear.
		const window = text.slice(previousEnd, match.index);
		const dictionary = window.slice(window.lastIndexOf('obj') + 1);
		const end = streamEnd(text, start, dictionary);
		previousEnd = end;
		keyword.lastIndex = end;
		const filters = filterNames(dictionary);
		if (!filters || filters.length === 0) continue;
		const decoded = decodePdfFilters(bytes.subarray(start, end), filters, budget);
		if (decoded) yield decoded;
	}
}

function streamEnd(text: string, start: number, dictionary: string): number {
	const length = /\/Length\s+(\d{1,10})(?!\s+\d+\s+R)/.exec(dictionary);
	if (length) {
		const end = start + Number(length[1]);
		if (/^\s*endstream/.test(text.slice(end, end + 64))) return end;
	}
	const found = text.indexOf('endstream', start);
	return found < 0 ? text.length : found;
}

/**
 * The stream's filters in order, or null when they are given indirectly (`/Filter 5 0 R`), which
 * leaves the data encoded. Names may hide letters as #xx escapes (`/Fl#61teDecode`).
 */
function filterNames(dictionary: string): string[] | null {
	const entry = /\/Filter\s*(\[[^\]]{0,512}\]|\/[^\s/[\]<>()%]+|\d+\s+\d+\s+R)/g;
	let value: string | null = null;
	// An image's /DecodeParms << … >> may come first; the stream's own entry is the last one.
	for (const match of dictionary.matchAll(entry)) value = match[1];
	if (value === null) return [];
	if (/R$/.test(value)) return null;
	return [...value.matchAll(/\/([^\s/[\]<>()%]+)/g)].map(([, name]) =>
		name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
	);
}
