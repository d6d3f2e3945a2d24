/**
 * `npm run backup [target-folder]`: a consistent online copy of the database and the files under
 * DATA_DIR, safe to take while the portal runs. Default target: ./backups/liitos-<time>/.
 */
import { join, resolve } from 'node:path';
import { config } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { backupName, createBackup } from '../src/lib/server/backup/backup';

const target = resolve(process.argv[2] ?? join('backups', backupName(new Date())));
const db = openDatabase(config.databasePath);
try {
	const manifest = await createBackup(db, config.databasePath, config.dataDir, target);
	console.log(`Backup written to ${target}: database and ${manifest.files.length} files.`);
} catch (error) {
	console.error(`Backup failed: ${(error as Error).message}`);
	process.exitCode = 1;
} finally {
	db.$client.close();
}
