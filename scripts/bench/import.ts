/**
 * The tenant import at the size: 1,000 tenants with 10 people each (10,000 rows, the row
 * limit) from a `;` CSV with a byte order mark, and the same rows from an .xlsx written by exceljs,
 * each into an empty database. Reading, preview and the all-or-nothing import are timed apart; then
 * the same rows again (which must change nothing).
 */
import { join } from 'node:path';
import { openDatabase } from '../../src/lib/server/db';
import { IMPORT_LIMITS, readTenantCsv, type CsvRow } from '../../src/lib/server/import/tenant-csv';
import { readTenantXlsx } from '../../src/lib/server/import/tenant-xlsx';
import { untrustedLimits } from '../../src/lib/server/untrusted/limits';
import { runUntrusted } from '../../src/lib/server/untrusted/sandbox';
import { importTenants, previewTenantImport } from '../../src/lib/server/import/tenant-import';

export interface ImportBench {
	rows: number;
	kilobytes: number;
	readMs: number;
	previewMs: number;
	importMs: number;
	/** CPU time of the import (user + system): what a shared machine's load does not stretch. */
	importCpuMs: number;
	againMs: number;
	created: number;
	invited: number;
	againChanged: number;
}

/** A valid business ID (Y-tunnus) from a seven-digit number, or null when none has that stem. */
function businessId(n: number): string | null {
	const digits = String(n).padStart(7, '0');
	const r = [7, 9, 10, 5, 8, 4, 2].reduce((sum, w, i) => sum + w * Number(digits[i]), 0) % 11;
	return r === 1 ? null : `${digits}-${r === 0 ? 0 : 11 - r}`;
}

const HEADER = [
	'Nimi',
	'Y-tunnus',
	'OID',
	'Katuosoite',
	'Postinumero',
	'Postitoimipaikka',
	'Sektori',
	'Palveluntuottajan tyyppi',
	'Kutsuttavan nimi',
	'Kutsuttavan sähköposti',
	'Kutsuttavan rooli'
];

/** The header and one row per person: `tenants` tenants with `people` people each. */
export function importRows(tenants: number, people: number): string[][] {
	const rows = [HEADER];
	let stem = 3_200_000;
	for (let t = 0; t < tenants; t++) {
		let id = businessId(stem++);
		while (!id) id = businessId(stem++);
		for (let p = 0; p < people; p++)
			rows.push([
				`Tuontitoimija ${t}; Oy`,
				id,
				`1.2.246.10.${stem}`,
				`Katu ${t}`,
				'00100',
				'Helsinki',
				'health_care',
				'private',
				`Henkilö ${t}-${p}`,
				`h${t}-${p}@tuonti${t}.test`,
				p === 0 ? 'tenant_admin' : 'tenant_staff'
			]);
	}
	return rows;
}

export function importCsv(tenants: number, people: number): string {
	const cell = (v: string) => (v.includes(';') ? `"${v}"` : v);
	return (
		'\uFEFF' +
		importRows(tenants, people)
			.map((r) => r.map(cell).join(';'))
			.join('\r\n') +
		'\r\n'
	);
}

/** The same rows as an Excel workbook written by exceljs, the way a spreadsheet saves it. */
export async function importXlsx(tenants: number, people: number): Promise<Uint8Array> {
	const { default: ExcelJS } = await import('exceljs');
	const book = new ExcelJS.Workbook();
	book.addWorksheet('Toimijat').addRows(importRows(tenants, people));
	return new Uint8Array(await book.xlsx.writeBuffer());
}

const actor = { id: null, label: 'bench', ipAddress: '' };
const time = <T>(run: () => T): [T, number] => {
	const started = performance.now();
	const value = run();
	return [value, performance.now() - started];
};

/** Preview, the all-or-nothing import and the same rows again, into an empty database. */
function importInto(dbPath: string, rows: CsvRow[]): Omit<ImportBench, 'rows' | 'kilobytes' | 'readMs'> {
	const db = openDatabase(dbPath);
	try {
		const [preview, previewMs] = time(() => previewTenantImport(db, rows));
		if (preview.counts.error) throw new Error(`${preview.counts.error} rows with errors`);
		const cpu = process.cpuUsage();
		const [outcome, importMs] = time(() => importTenants(db, actor, rows));
		const used = process.cpuUsage(cpu);
		if (!outcome.ok) throw new Error('import refused');
		const [again, againMs] = time(() => importTenants(db, actor, rows));
		return {
			previewMs,
			importMs,
			importCpuMs: (used.user + used.system) / 1000,
			againMs,
			created: outcome.created,
			invited: outcome.invitations.length,
			againChanged: again.ok ? again.created + again.updated + again.invitations.length : -1
		};
	} finally {
		db.$client.close();
	}
}

export function measureImport(dir: string, tenants = 1000, people = 10): ImportBench {
	const bytes = new TextEncoder().encode(importCsv(tenants, people));
	const [read, readMs] = time(() => readTenantCsv(bytes));
	if (!read.ok) throw new Error(JSON.stringify(read.problem));
	return { rows: read.rows.length, kilobytes: bytes.byteLength / 1024, readMs, ...importInto(join(dir, 'import-bench.db'), read.rows) };
}

/**
 * The same from a workbook, read as the portal reads an upload: in the untrusted-file worker, within
 * its time and heap limits (`workerMs`, thread start included), then imported as above.
 */
export async function measureXlsxImport(dir: string, tenants = 1000, people = 10): Promise<ImportBench & { workerMs: number }> {
	const bytes = await importXlsx(tenants, people);
	const [read, readMs] = time(() => readTenantXlsx(bytes, { ...IMPORT_LIMITS, inflatedBytes: untrustedLimits.inflatedBytes() }));
	if (!read.ok) throw new Error(JSON.stringify(read.problem));
	const started = performance.now();
	const inWorker = await runUntrusted('tenantSpreadsheet', bytes);
	const workerMs = performance.now() - started;
	if (!inWorker.ok || !inWorker.value.ok) throw new Error(`worker: ${JSON.stringify(inWorker)}`);
	return {
		rows: read.rows.length,
		kilobytes: bytes.byteLength / 1024,
		readMs,
		workerMs,
		...importInto(join(dir, 'import-xlsx-bench.db'), read.rows)
	};
}
