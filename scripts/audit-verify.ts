/**
 * Checks the audit log's hash chain: `tsx scripts/audit-verify.ts`.
 * Exit status 0 when intact, 1 when broken, 2 when the database cannot be read.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { existsSync } from 'node:fs';
import { config } from '../src/lib/server/config';
import * as schema from '../src/lib/server/db/schema';
import { verifyAuditChain } from '../src/lib/server/audit/audit-log';

// The same path the portal uses (DATABASE_PATH, else ./data/liitos.db under DATA_DIR).
const path = config.databasePath;

function main(): number {
	if (!existsSync(path)) {
		console.error(`No database at ${path} (set DATABASE_PATH to check another file).`);
		return 2;
	}
	let sqlite: Database.Database;
	try {
		// Read-only, and no migrations: checking the log must never change the file it checks.
		sqlite = new Database(path, { readonly: true, fileMustExist: true });
	} catch (error) {
		console.error(`Cannot open ${path}: ${(error as Error).message}`);
		return 2;
	}
	try {
		const result = verifyAuditChain(drizzle(sqlite, { schema }));
		if (result.ok) {
			console.log(`Audit chain OK: ${result.count} entries`);
			return 0;
		}
		console.log(`Audit chain BROKEN at entry #${result.seq}: ${result.reason}`);
		return 1;
	} catch (error) {
		// Typically a file that is not a Liitos database, or one never migrated.
		console.error(`Cannot read the audit log in ${path}: ${(error as Error).message}`);
		return 2;
	} finally {
		sqlite.close();
	}
}

process.exitCode = main();
