/**
 * `npm run import -- tenants <file.csv> [--dry-run]`: the tenant import of /tenants/import for
 * operators. Prints the same validation report as the preview; imports all or nothing unless
 * `--dry-run`; invitations are mailed (or written to the outbox) after the commit. Exit code 1 when
 * the file or any row is refused.
 */
import { readFileSync, statSync } from 'node:fs';
import * as m from '../src/lib/paraglide/messages.js';
import { overwriteGetLocale } from '../src/lib/paraglide/runtime.js';
import { config } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { sendMail } from '../src/lib/server/mail/mailer';
import { getMainConnector } from '../src/lib/server/organisation/organisation';
import { translate } from '../src/lib/i18n/translate';
import { COLUMN_HEADERS, IMPORT_LIMITS, readTenantCsv } from '../src/lib/server/import/tenant-csv';
import { importTenants, previewTenantImport, type ImportPreview } from '../src/lib/server/import/tenant-import';
import type { Actor } from '../src/lib/server/actor';

overwriteGetLocale(() => 'en');
const [kind, path, ...flags] = process.argv.slice(2);
const dryRun = flags.includes('--dry-run');
if (kind !== 'tenants' || !path) {
	console.error('Usage: npm run import -- tenants <file.csv> [--dry-run]');
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
const read = readTenantCsv(new Uint8Array(readFileSync(path)));
if (!read.ok) {
	console.error(`Refused: ${JSON.stringify(read.problem)}`);
	process.exit(1);
}
const db = openDatabase(config.databasePath);
try {
	const preview = previewTenantImport(db, read.rows);
	report(preview);
	if (preview.counts.error > 0) {
		console.error('Nothing imported: correct the rows with errors first.');
		process.exitCode = 1;
	} else if (dryRun) {
		console.log('Dry run: nothing stored.');
	} else {
		const actor: Actor = { id: null, label: 'operator: npm run import', ipAddress: '' };
		const started = performance.now();
		const outcome = importTenants(db, actor, read.rows);
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
			console.log(`Imported in ${ms} ms: ${outcome.created} created, ${outcome.updated} updated, ${outcome.invitations.length} invited.`);
		}
	}
} finally {
	db.$client.close();
}
