import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { translate } from '$lib/i18n/translate';
import { toCsv } from '$lib/server/csv';
import { runUntrusted } from '$lib/server/untrusted/sandbox';
import {
	COLUMN_HEADERS,
	IMPORT_COLUMNS,
	IMPORT_LIMITS,
	templateHeaders,
	type CsvProblem,
	type CsvRow
} from '$lib/server/import/tenant-csv';
import type { ImportPreview, PreviewRow } from '$lib/server/import/tenant-import';
import { refusalMessage } from './untrusted-refusal';

type Locale = 'fi' | 'sv' | 'en';
const locale = (): Locale => getLocale() as Locale;

/** The column headers in the reader's language, for the preview table and the CSV files. */
export function columnLabels(): Record<string, string> {
	const l = locale();
	return Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, COLUMN_HEADERS[c][l]]));
}

function problemMessage(problem: CsvProblem): string {
	const headers = (columns: readonly string[]) =>
		columns.map((c) => COLUMN_HEADERS[c as keyof typeof COLUMN_HEADERS]?.[locale()] ?? c).join(', ');
	switch (problem.code) {
		case 'empty':
			return m.tenant_import_empty();
		case 'too_large':
			return m.tenant_import_too_large({ mb: Math.round(problem.limit / 1048576) });
		case 'too_many_rows':
			return m.tenant_import_too_many_rows({ rows: problem.limit.toLocaleString(locale()) });
		case 'not_utf8':
			return m.tenant_import_not_utf8();
		case 'malformed':
			return m.tenant_import_malformed({ line: problem.line });
		case 'unknown_columns':
			return m.tenant_import_unknown_columns({ columns: problem.columns.join(', ') });
		case 'missing_columns':
			return m.tenant_import_missing_columns({ columns: headers(problem.columns) });
		case 'duplicate_columns':
			return m.tenant_import_duplicate_columns({ columns: problem.columns.join(', ') });
		case 'not_xlsx':
			return m.tenant_import_not_xlsx();
		case 'workbook_too_large':
			return m.tenant_import_workbook_too_large({
				mb: Math.round(problem.limit / 1048576),
				rows: IMPORT_LIMITS.rows.toLocaleString(locale())
			});
	}
}

/**
 * An uploaded file (CSV or XLSX, told apart by its content) or the text a preview sent back, read
 * in the untrusted-file worker into rows, or why not (in the reader's language). The size is
 * checked before anything is read.
 */
export async function readImportUpload(
	file: Blob | string
): Promise<{ ok: true; rows: CsvRow[]; text: string } | { ok: false; error: string }> {
	if (typeof file === 'string' ? file === '' : file.size === 0) return { ok: false, error: m.tenant_import_choose_file() };
	const size = typeof file === 'string' ? Buffer.byteLength(file) : file.size;
	const limit = typeof file === 'string' ? IMPORT_LIMITS.textBytes : IMPORT_LIMITS.bytes;
	if (size > limit) return { ok: false, error: problemMessage({ code: 'too_large', limit }) };
	if (typeof file === 'string') {
		const result = await runUntrusted('tenantCsv', new TextEncoder().encode(file));
		if (!result.ok) return { ok: false, error: refusalMessage(result.reason) };
		if (!result.value.ok) return { ok: false, error: problemMessage(result.value.problem) };
		return { ok: true, rows: result.value.rows, text: file };
	}
	const result = await runUntrusted('tenantSpreadsheet', new Uint8Array(await file.arrayBuffer()));
	if (!result.ok) return { ok: false, error: refusalMessage(result.reason) };
	if (!result.value.ok) return { ok: false, error: problemMessage(result.value.problem) };
	// The text travels back with the preview, so the confirmation imports exactly what was shown.
	return { ok: true, rows: result.value.rows, text: result.value.text };
}

export type PreviewRowView = Pick<PreviewRow, 'line' | 'status' | 'cells' | 'invites'> & {
	errors: Record<string, string>;
	changes: { label: string; from: string; to: string }[];
};

/** The preview with its messages in the reader's language, and nothing the page does not show. */
export function previewView(preview: ImportPreview): { rows: PreviewRowView[]; counts: ImportPreview['counts'] } {
	const labels = columnLabels();
	return {
		counts: preview.counts,
		rows: preview.rows.map((r) => ({
			line: r.line,
			status: r.status,
			cells: r.cells,
			invites: r.invites,
			errors: Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, translate(v)])),
			changes: r.changes.map((c) => ({ label: labels[c.field], from: c.from, to: c.to }))
		}))
	};
}

/** The template: the headers in the reader's language and no rows. */
export function templateCsv(): string {
	return toCsv([templateHeaders(locale())]);
}

/**
 * The template as an Excel workbook: the headers in the reader's language, bold and kept in view,
 * and every column formatted as text, so that what is typed (a postal code 00100, a long OID)
 * stays as typed instead of becoming a number. exceljs is loaded on first use only.
 */
export async function templateXlsx(): Promise<Uint8Array<ArrayBuffer>> {
	const { default: ExcelJS } = await import('exceljs');
	const book = new ExcelJS.Workbook();
	const sheet = book.addWorksheet(m.tenant_import_sheet_name(), { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = templateHeaders(locale()).map((header) => ({ header, width: Math.max(14, header.length + 4), style: { numFmt: '@' } }));
	sheet.getRow(1).font = { bold: true };
	return new Uint8Array(await book.xlsx.writeBuffer());
}

/** The rows with errors as they were, plus a reason column; through the formula-neutralising writer. */
export function rejectedRowsCsv(preview: ImportPreview): string {
	const labels = columnLabels();
	const rows = preview.rows
		.filter((r) => r.status === 'error')
		.map((r) => [
			...IMPORT_COLUMNS.map((c) => r.cells[c] ?? ''),
			Object.entries(r.errors)
				.map(([k, v]) => `${k === 'row' ? m.tenant_import_row() : labels[k]}: ${translate(v)}`)
				.join('; ')
		]);
	return toCsv([[...templateHeaders(locale()), m.tenant_import_reason()], ...rows]);
}
