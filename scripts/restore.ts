/**
 * `npm run restore -- <backup-folder> [--force]`: checks the backup against its manifest and puts
 * the database and files back. Stop the portal first; --force replaces an existing database.
 */
import { resolve } from 'node:path';
import { config } from '../src/lib/server/config';
import { restoreBackup } from '../src/lib/server/backup/backup';

const args = process.argv.slice(2);
const source = args.find((a) => !a.startsWith('--'));
if (!source) {
	console.error('Usage: npm run restore -- <backup-folder> [--force]');
	process.exit(2);
}
try {
	const manifest = restoreBackup(resolve(source), config.databasePath, config.dataDir, args.includes('--force'));
	console.log(`Restored the backup of ${manifest.createdAt} into ${config.databasePath} (${manifest.files.length} files).`);
} catch (error) {
	console.error(`Restore failed: ${(error as Error).message}`);
	process.exitCode = 1;
}
