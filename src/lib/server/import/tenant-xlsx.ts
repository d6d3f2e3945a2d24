import { unzipSync } from 'fflate';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { IMPORT_COLUMNS, readTenantCsv, readTenantCsvText, writeRoundTripCsv, type CsvProblem, type CsvRow } from './tenant-csv';

/**
 * Reading a tenant spreadsheet saved as an Excel workbook (.xlsx): the first worksheet's cells as
 * the text the spreadsheet shows, then the same header mapping and row checks as a CSV file (the
 * cells are written as CSV and read by `readTenantCsvText`, and that text is what travels back
 * with the preview). The ZIP container is opened by fflate and the XML read by saxes, a streaming
 * parser that expands no entities of its own (no XML bombs, no external entities).
 *
 * A workbook is a ZIP file, so it is bounded before and while it is opened: the declared size of
 * every part read is checked before it is inflated, and fflate inflates into a buffer of exactly
 * that size (a part that lies about its size is cut there and then fails to parse). Rows, cells and
 * shared strings are counted as they are read. Nothing is evaluated: a formula cell gives the value
 * the spreadsheet last calculated, or its formula as text when it has none. Runs in the
 * untrusted-file worker (`untrusted/tasks.ts`), whose time and heap limits stop anything else.
 */

export interface XlsxLimits {
	/** The uploaded file. */
	bytes: number;
	rows: number;
	/** What the parts read may expand to, all together. */
	inflatedBytes: number;
	/** The round-trip CSV text. */
	textBytes: number;
}

export type SpreadsheetReadResult = { ok: true; rows: CsvRow[]; text: string } | { ok: false; problem: CsvProblem };

/** Excel's own limit on the text of one cell. */
const MAX_CELL_CHARS = 32_767;
/** ZIP entries: a workbook has a few dozen. */
const MAX_ENTRIES = 5_000;
/** Cells with a value, and shared strings: every template column plus a few more on every row. */
const maxCells = (rows: number) => (rows + 1) * (IMPORT_COLUMNS.length + 4);
/** Columns beyond this hold nothing the import reads; their cells are ignored unread. */
const MAX_COLUMN = 256;

class TooMuchData extends Error {}
class TooManyRows extends Error {}
class NotXlsx extends Error {}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
/** The Compound File header of an old .xls or of a password-protected workbook. */
const isCompoundFile = (b: Uint8Array) => b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/**
 * An uploaded tenant file, CSV or XLSX by its content (not its name); never throws. The text is
 * what the import reads again after the preview: the CSV's own text, or the workbook's cells as CSV.
 */
export function readTenantSpreadsheet(bytes: Uint8Array, limits: XlsxLimits): SpreadsheetReadResult {
	if (bytes.byteLength > limits.bytes) return { ok: false, problem: { code: 'too_large', limit: limits.bytes } };
	if (isCompoundFile(bytes)) return { ok: false, problem: { code: 'not_xlsx' } };
	if (isZip(bytes)) return readTenantXlsx(bytes, limits);
	const read = readTenantCsv(bytes, limits);
	if (!read.ok) return read;
	return { ok: true, rows: read.rows, text: new TextDecoder().decode(bytes).replace(/^\uFEFF/, '') };
}

export function readTenantXlsx(bytes: Uint8Array, limits: XlsxLimits): SpreadsheetReadResult {
	if (bytes.byteLength > limits.bytes) return { ok: false, problem: { code: 'too_large', limit: limits.bytes } };
	let records: string[][];
	try {
		records = readFirstSheet(bytes, limits);
	} catch (error) {
		if (error instanceof TooMuchData) return { ok: false, problem: { code: 'workbook_too_large', limit: limits.inflatedBytes } };
		if (error instanceof TooManyRows) return { ok: false, problem: { code: 'too_many_rows', limit: limits.rows } };
		// fflate's and saxes' errors: not a ZIP, not XML, a part missing or cut short.
		return { ok: false, problem: { code: 'not_xlsx' } };
	}
	if (records.length === 0) return { ok: false, problem: { code: 'empty' } };
	const text = writeRoundTripCsv(records);
	if (Buffer.byteLength(text) > limits.textBytes)
		return { ok: false, problem: { code: 'workbook_too_large', limit: limits.inflatedBytes } };
	const read = readTenantCsvText(text, limits.rows);
	return read.ok ? { ok: true, rows: read.rows, text } : read;
}

/** Opens the ZIP entries named, each within what is left of the budget; others are skipped unread. */
function unzipParts(bytes: Uint8Array, wanted: (name: string) => boolean, budget: { left: number }): Map<string, Uint8Array> {
	let entries = 0;
	const files = unzipSync(bytes, {
		filter: (file) => {
			if (++entries > MAX_ENTRIES) throw new TooMuchData();
			if (!wanted(file.name)) return false;
			// Checked before fflate allocates the part's buffer and inflates into it.
			if (file.originalSize > budget.left) throw new TooMuchData();
			if (file.compression !== 0 && file.compression !== 8) throw new NotXlsx();
			budget.left -= file.originalSize;
			return true;
		}
	});
	return new Map(Object.entries(files));
}

/** The records of the workbook's first sheet, from its first row with a value; see `sheetRecords`. */
function readFirstSheet(bytes: Uint8Array, limits: XlsxLimits): string[][] {
	const budget = { left: limits.inflatedBytes };
	const head = unzipParts(bytes, (n) => n === 'xl/workbook.xml' || n === 'xl/_rels/workbook.xml.rels', budget);
	const workbook = head.get('xl/workbook.xml');
	if (!workbook) throw new NotXlsx();
	const { firstSheetRel, date1904 } = readWorkbook(workbook);
	const rels = head.get('xl/_rels/workbook.xml.rels');
	const target = (rels && firstSheetRel && readRelationships(rels).get(firstSheetRel)) || 'worksheets/sheet1.xml';
	const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
	const parts = unzipParts(bytes, (n) => n === sheetPath || n === 'xl/sharedStrings.xml' || n === 'xl/styles.xml', budget);
	const sheet = parts.get(sheetPath);
	if (!sheet) throw new NotXlsx();
	const cellLimit = maxCells(limits.rows);
	const strings = parts.has('xl/sharedStrings.xml') ? readSharedStrings(parts.get('xl/sharedStrings.xml')!, cellLimit) : [];
	const formats = parts.has('xl/styles.xml') ? readStyles(parts.get('xl/styles.xml')!) : [];
	return sheetRecords(sheet, { strings, formats, date1904, rows: limits.rows, cells: cellLimit });
}

/** Feeds the part to saxes a piece at a time, so its text is never one large string. */
function parseXml(
	data: Uint8Array,
	handlers: { open?: (tag: SaxesTagPlain, name: string) => void; close?: (name: string) => void; text?: (text: string) => void }
): void {
	const parser = new SaxesParser({ xmlns: false, position: false });
	const local = (name: string) => name.slice(name.indexOf(':') + 1);
	if (handlers.open) parser.on('opentag', (tag) => handlers.open!(tag as SaxesTagPlain, local(tag.name)));
	if (handlers.close) parser.on('closetag', (tag) => handlers.close!(local(tag.name)));
	if (handlers.text) {
		parser.on('text', handlers.text);
		parser.on('cdata', handlers.text);
	}
	const decoder = new TextDecoder('utf-8', { fatal: true });
	const PIECE = 256 * 1024;
	for (let at = 0; at < data.length; at += PIECE) {
		parser.write(decoder.decode(data.subarray(at, at + PIECE), { stream: true }));
	}
	parser.write(decoder.decode());
	parser.close();
}

function readWorkbook(data: Uint8Array): { firstSheetRel: string | undefined; date1904: boolean } {
	let firstSheetRel: string | undefined;
	let date1904 = false;
	parseXml(data, {
		open: (tag, name) => {
			if (name === 'sheet' && firstSheetRel === undefined) {
				const id = Object.entries(tag.attributes).find(([k]) => k === 'r:id' || k.endsWith(':id'));
				firstSheetRel = id?.[1] ?? '';
			} else if (name === 'workbookPr') {
				const value = tag.attributes.date1904;
				date1904 = value === '1' || value === 'true';
			}
		}
	});
	return { firstSheetRel, date1904 };
}

function readRelationships(data: Uint8Array): Map<string, string> {
	const rels = new Map<string, string>();
	parseXml(data, {
		open: (tag, name) => {
			if (name === 'Relationship' && tag.attributes.Id && tag.attributes.Target) rels.set(tag.attributes.Id, tag.attributes.Target);
		}
	});
	return rels;
}

/**
 * Text of a cell, as stored: the `_xHHHH_` escapes of OOXML undone (Excel writes a carriage return
 * as `_x000D_`) and line breaks as LF, as the CSV reader gives them.
 */
function cellText(raw: string): string {
	return raw.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\r\n?/g, '\n');
}

/** Collects the `<t>` text of one element (a shared string, an inline string), leaving out phonetic runs. */
class TextCollector {
	private parts: string[] = [];
	private length = 0;
	private inT = false;
	private phonetic = 0;

	open(name: string): void {
		if (name === 't' && this.phonetic === 0) this.inT = true;
		else if (name === 'rPh') this.phonetic++;
	}
	close(name: string): void {
		if (name === 't') this.inT = false;
		else if (name === 'rPh') this.phonetic--;
	}
	text(text: string): void {
		if (!this.inT) return;
		this.length += text.length;
		if (this.length > MAX_CELL_CHARS) throw new TooMuchData();
		this.parts.push(text);
	}
	take(): string {
		const value = this.parts.join('');
		this.parts = [];
		this.length = 0;
		return cellText(value);
	}
}

function readSharedStrings(data: Uint8Array, limit: number): string[] {
	const strings: string[] = [];
	const collector = new TextCollector();
	parseXml(data, {
		open: (_, name) => collector.open(name),
		close: (name) => {
			if (name === 'si') {
				if (strings.length >= limit) throw new TooMuchData();
				strings.push(collector.take());
			} else collector.close(name);
		},
		text: (text) => collector.text(text)
	});
	return strings;
}

/** Number formats of the cell styles (`cellXfs`), by style index: the format code, or '' for General. */
function readStyles(data: Uint8Array): string[] {
	const custom = new Map<number, string>();
	const formats: string[] = [];
	let inCellXfs = false;
	parseXml(data, {
		open: (tag, name) => {
			if (name === 'numFmt') custom.set(Number(tag.attributes.numFmtId), tag.attributes.formatCode ?? '');
			else if (name === 'cellXfs') inCellXfs = true;
			else if (name === 'xf' && inCellXfs) {
				if (formats.length >= 65_536) throw new TooMuchData();
				const id = Number(tag.attributes.numFmtId ?? 0);
				formats.push(custom.get(id) ?? BUILT_IN_FORMATS[id] ?? '');
			}
		},
		close: (name) => {
			if (name === 'cellXfs') inCellXfs = false;
		}
	});
	return formats;
}

/** The built-in number formats that change how a number reads; the others show it as General. */
const BUILT_IN_FORMATS: Record<number, string> = {
	1: '0',
	2: '0.00',
	14: 'yyyy-mm-dd',
	15: 'd-mmm-yy',
	16: 'd-mmm',
	17: 'mmm-yy',
	18: 'h:mm AM/PM',
	19: 'h:mm:ss AM/PM',
	20: 'h:mm',
	21: 'h:mm:ss',
	22: 'yyyy-mm-dd h:mm',
	45: 'mm:ss',
	46: '[h]:mm:ss',
	47: 'mmss.0',
	49: '@'
};

/** Whether a format code shows a date or time: d, m, y, h or s outside quotes, escapes and [colours]. */
function isDateFormat(code: string): boolean {
	const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
	return /[dmyhs]/i.test(bare) && !/^[#0.,%E+\-\s]*$/.test(bare);
}

/**
 * A number as the spreadsheet shows it, from the text stored in the file (never through a
 * float where the stored text is already exact): leading zeros of a "00000" format kept, fixed
 * decimals of "0.00", dates as YYYY-MM-DD, and otherwise at most 15 significant digits as Excel
 * shows them (so 0.1+0.2 reads 0.3, and 1234567 reads 1234567, not 1234567.0 or 1.23E+06).
 */
export function numberText(stored: string, format: string, date1904 = false): string {
	const value = Number(stored);
	if (stored.trim() === '' || !Number.isFinite(value)) return stored;
	const code = format.split(';')[0];
	if (/^0+$/.test(code) && Number.isInteger(value) && value >= 0) return String(value).padStart(code.length, '0');
	const fixed = /^0+\.(0+)$/.exec(code);
	if (fixed) return value.toFixed(fixed[1].length);
	if (code === '0') return String(Math.round(value));
	if (code && isDateFormat(code)) return dateText(value, date1904);
	if (/^-?\d{1,15}$/.test(stored)) return stored.replace(/^(-?)0+(?=\d)/, '$1');
	return String(Number(value.toPrecision(15)));
}

function dateText(serial: number, date1904: boolean): string {
	// Excel's day 0 is 1899-12-30 (its 1900 leap-year error included), or 1904-01-01.
	const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
	const date = new Date(epoch + Math.round(serial * 86_400_000));
	if (Number.isNaN(date.getTime())) return String(serial);
	const iso = date.toISOString();
	return Number.isInteger(serial) ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** "BC12" → 54 (A is 0); -1 when the reference has no column letters. */
function columnIndex(ref: string): number {
	let index = 0;
	let i = 0;
	for (; i < ref.length && i < 4; i++) {
		const code = ref.charCodeAt(i) | 0x20;
		if (code < 0x61 || code > 0x7a) break;
		index = index * 26 + (code - 0x60);
	}
	return i === 0 ? -1 : index - 1;
}

interface SheetContext {
	strings: string[];
	formats: string[];
	date1904: boolean;
	rows: number;
	cells: number;
}

/**
 * The sheet as CSV records: the first row with a value is the header (written first), then as many
 * empty records as there were empty rows above it, then every row after it by its number, empty
 * ones included, so that the CSV reader numbers each row as the spreadsheet does. A value on a row
 * beyond the row limit (the header being row 1 at best) ends the reading.
 */
function sheetRecords(data: Uint8Array, ctx: SheetContext): string[][] {
	const rows = new Map<number, string[]>();
	let cellCount = 0;
	let rowNumber = 0;
	let row: string[] = [];
	let column = -1;
	let cell: { column: number; type: string; style: number; value: string | null; formula: string | null } | null = null;
	let capture: 'v' | 'f' | null = null;
	let captured: string[] = [];
	let capturedLength = 0;
	let inline = false;
	const inlineText = new TextCollector();

	const finishCell = () => {
		if (!cell || cell.column >= MAX_COLUMN) return;
		const text = cellValue(cell, ctx);
		if (text === '') return;
		if (++cellCount > ctx.cells) throw new TooMuchData();
		row[cell.column] = text;
	};

	parseXml(data, {
		open: (tag, name) => {
			const a = tag.attributes;
			if (name === 'row') {
				const r = Number(a.r);
				rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
				row = [];
				column = -1;
			} else if (name === 'c') {
				const fromRef = a.r ? columnIndex(a.r) : -1;
				column = fromRef >= 0 ? fromRef : column + 1;
				cell = { column, type: a.t ?? 'n', style: Number(a.s ?? 0), value: null, formula: null };
			} else if (cell && (name === 'v' || name === 'f')) {
				capture = name;
				captured = [];
				capturedLength = 0;
			} else if (cell && name === 'is') inline = true;
			else if (inline) inlineText.open(name);
		},
		text: (text) => {
			if (capture) {
				capturedLength += text.length;
				if (capturedLength > MAX_CELL_CHARS) throw new TooMuchData();
				captured.push(text);
			} else if (inline) inlineText.text(text);
		},
		close: (name) => {
			if (capture && name === capture) {
				if (cell) cell[capture === 'v' ? 'value' : 'formula'] = captured.join('');
				capture = null;
			} else if (name === 'is') {
				inline = false;
				if (cell) cell.value = inlineText.take();
			} else if (inline) inlineText.close(name);
			else if (name === 'c') {
				finishCell();
				cell = null;
			} else if (name === 'row') {
				if (row.length === 0) return;
				// The header is row 1 at best, so a value past row limit + 1 means too many rows.
				if (rowNumber > ctx.rows + 1) throw new TooManyRows();
				rows.set(rowNumber, row);
			}
		}
	});

	const numbers = [...rows.keys()].sort((a, b) => a - b);
	if (numbers.length === 0) return [];
	const [header, last] = [numbers[0], numbers[numbers.length - 1]];
	const records: string[][] = [Array.from(rows.get(header)!, (v) => v ?? '')];
	for (let i = 1; i < header; i++) records.push([]);
	for (let r = header + 1; r <= last; r++) {
		const values = rows.get(r);
		records.push(values ? Array.from(values, (v) => v ?? '') : []);
	}
	return records;
}

function cellValue(
	cell: { type: string; style: number; value: string | null; formula: string | null },
	ctx: Pick<SheetContext, 'strings' | 'formats' | 'date1904'>
): string {
	// A formula never calculated has no value (or an empty one): its formula is kept as text, never run.
	// (A shared formula's later cells have an empty <f/>: nothing to show then.)
	if (cell.formula && (cell.value === null || cell.value === '')) return cellText(`=${cell.formula}`);
	if (cell.value === null) return '';
	switch (cell.type) {
		case 's': {
			const text = ctx.strings[Number(cell.value)];
			if (text === undefined) throw new NotXlsx();
			return text;
		}
		case 'inlineStr':
			return cell.value;
		case 'str':
		case 'e':
			return cellText(cell.value);
		case 'b':
			return cell.value === '1' ? 'TRUE' : 'FALSE';
		case 'd':
			return cell.value;
		default:
			return numberText(cell.value, ctx.formats[cell.style] ?? '', ctx.date1904);
	}
}
