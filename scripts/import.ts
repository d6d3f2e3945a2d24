/**
 * `npm run import -- tenants <file.csv|file.xlsx> [--dry-run] [--valid-only]`: the tenant import of
 * /tenants/import for operators. Prints the same validation report as the preview; imports all or
 * nothing unless `--dry-run`, or with `--valid-only` the rows without errors (the others are left
 * out and listed); invitations are mailed (or written to the outbox) after the commit. Exit code 1
 * when the file is refused, or any row is refused (also with `--valid-only`, so a script notices).
 */
import { readFileSync, statSync } from 'node:fs';
import * as m from '../src/lib/paraglide/messages.js';
import { overwriteGetLocale } from '../src/lib/paraglide/runtime.js';
import { config } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { sendMail } from '../src/lib/server/mail/mailer';
import { getMainConnector } from '../src/lib/server/organisation/organisation';
import { translate } from '../src/lib/i18n/translate';
import { COLUMN_HEADERS, IMPORT_LIMITS } from '../src/lib/server/import/tenant-csv';
import { readTenantSpreadsheet } from '../src/lib/server/import/tenant-xlsx';
import { importTenants, previewTenantImport, type ImportPreview } from '../src/lib/server/import/tenant-import';
import { untrustedLimits } from '../src/lib/server/untrusted/limits';
import type { Actor } from '../src/lib/server/actor';

overwriteGetLocale(() => 'en');
const [kind, path, ...flags] = process.argv.slice(2);
const dryRun = flags.includes('--dry-run');
const validOnly = flags.includes('--valid-only');
const unknownFlags = flags.filter((f) => f !== '--dry-run' && f !== '--valid-only');
if (kind !== 'tenants' || !path || unknownFlags.length) {
	console.error('Usage: npm run import -- tenants <file.csv|file.xlsx> [--dry-run] [--valid-only]');
	process.exit(2);
}

function report(preview: ImportPreview): void {
	for (const row of preview.rows) {
		const head = `row ${row.line}\t${row.status}\t${row.cells.businessId ?? ''}\t${row.cells.name ?? ''}`;
		console.log(head);
		for (const [column, key] of Object.entries(row.errors)) {
			const label = column === 'row' ? 'row' : COLUMN_HEADERS[column as keyof typeof COLUMN_HEADERS].en;
			console.log(`\t${label} "${row.cells[column as keyof typeof row.cells] ?? ''}": ${translate(key)}`);
		}
		for (const change of row.changes) console.log(`\t${COLUMN_HEADERS[change.field].en}: ${change.from || '—'} → ${change.to}`);
	}
	const c = preview.counts;
	console.log(`\n${c.new} new, ${c.change} changed, ${c.unchanged} unchanged, ${c.error} with errors.`);
}

if (statSync(path).size > IMPORT_LIMITS.bytes) {
	console.error(`Refused: larger than ${IMPORT_LIMITS.bytes} bytes.`);
	process.exit(1);
}
// CSV or XLSX by the content, within the same limits as an upload (an operator's file may still
// come from elsewhere); read in this process, as the command has no other requests to keep answering.
const read = readTenantSpreadsheet(new Uint8Array(readFileSync(path)), {
	...IMPORT_LIMITS,
	inflatedBytes: untrustedLimits.inflatedBytes()
});
if (!read.ok) {
	console.error(`Refused: ${JSON.stringify(read.problem)}`);
	process.exit(1);
}
const db = openDatabase(config.databasePath);
try {
	const preview = previewTenantImport(db, read.rows);
	report(preview);
	const toImport = preview.counts.new + preview.counts.change;
	if (preview.counts.error > 0) process.exitCode = 1;
	if (preview.counts.error > 0 && !validOnly) {
		console.error('Nothing imported: correct the rows with errors first, or import the valid rows only with --valid-only.');
	} else if (dryRun) {
		console.log('Dry run: nothing stored.');
	} else {
		const actor: Actor = { id: null, label: 'operator: npm run import', ipAddress: '' };
		const started = performance.now();
		if (preview.counts.error > 0)
			console.log(`Importing the valid rows only (${toImport}); leaving out the rows with errors (${preview.counts.error}).`);
		const outcome = importTenants(db, actor, read.rows, new Date(), validOnly ? 'valid' : 'all');
		if (!outcome.ok) {
			console.error('Nothing imported: the data changed meanwhile; run again.');
			process.exitCode = 1;
		} else {
			for (const invitation of outcome.invitations) {
				const link = `${config.origin}/invitation/${invitation.token}`;
				await sendMail(db, {
					to: invitation.email,
					subject: m.mail_invitation_subject({ organisation: getMainConnector(db)?.name ?? m.app_name() }),
					body: m.mail_invitation_body({ name: invitation.name, link }),
					oneTimeLink: link
				});
			}
			const ms = Math.round(performance.now() - started);
			const leftOut = outcome.leftOut ? `, ${outcome.leftOut} rows with errors left out` : '';
			console.log(
				`Imported in ${ms} ms: ${outcome.created} created, ${outcome.updated} updated, ${outcome.invitations.length} invited${leftOut}.`
			);
		}
	}
} finally {
	db.$client.close();
}
