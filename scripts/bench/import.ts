/**
 * The tenant import at the size: 1,000 tenants with 10 people each (10,000 rows, the row
 * limit) from a `;` CSV with a byte order mark, into an empty database. Reading, preview and the
 * all-or-nothing import are timed apart; then the same file again (which must change nothing).
 */
import { join } from 'node:path';
import { openDatabase } from '../../src/lib/server/db';
import { readTenantCsv } from '../../src/lib/server/import/tenant-csv';
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

export function importCsv(tenants: number, people: number): string {
	const lines = [
		'Nimi;Y-tunnus;OID;Katuosoite;Postinumero;Postitoimipaikka;Sektori;Palveluntuottajan tyyppi;Kutsuttavan nimi;Kutsuttavan sähköposti;Kutsuttavan rooli'
	];
	let stem = 3_200_000;
	for (let t = 0; t < tenants; t++) {
		let id = businessId(stem++);
		while (!id) id = businessId(stem++);
		for (let p = 0; p < people; p++)
			lines.push(
				`"Tuontitoimija ${t}; Oy";${id};1.2.246.10.${stem};Katu ${t};00100;Helsinki;health_care;private;Henkilö ${t}-${p};h${t}-${p}@tuonti${t}.test;${p === 0 ? 'tenant_admin' : 'tenant_staff'}`
			);
	}
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export function measureImport(dir: string, tenants = 1000, people = 10): ImportBench {
	const bytes = new TextEncoder().encode(importCsv(tenants, people));
	const db = openDatabase(join(dir, 'import-bench.db'));
	const actor = { id: null, label: 'bench', ipAddress: '' };
	const time = <T>(run: () => T): [T, number] => {
		const started = performance.now();
		const value = run();
		return [value, performance.now() - started];
	};
	try {
		const [read, readMs] = time(() => readTenantCsv(bytes));
		if (!read.ok) throw new Error(JSON.stringify(read.problem));
		const [preview, previewMs] = time(() => previewTenantImport(db, read.rows));
		if (preview.counts.error) throw new Error(`${preview.counts.error} rows with errors`);
		const cpu = process.cpuUsage();
		const [outcome, importMs] = time(() => importTenants(db, actor, read.rows));
		const used = process.cpuUsage(cpu);
		if (!outcome.ok) throw new Error('import refused');
		const [again, againMs] = time(() => importTenants(db, actor, read.rows));
		return {
			rows: read.rows.length,
			kilobytes: bytes.byteLength / 1024,
			readMs,
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
