import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';
import type { Db } from '../db';

const DATABASE_FILE = 'database.sqlite';
const MANIFEST_FILE = 'manifest.json';

interface Manifest {
	createdAt: string;
	database: { file: string; sha256: string };
	files: { path: string; sha256: string; size: number }[];
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every file below `dir`, as paths relative to it, leaving out what `skip` says. */
function listFiles(dir: string, skip: (absolute: string) => boolean, base = dir): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const absolute = join(dir, entry.name);
		if (skip(absolute)) return [];
		if (entry.isDirectory()) return listFiles(absolute, skip, base);
		return entry.isFile() ? [relative(base, absolute)] : [];
	});
}

/**
 * A consistent copy while the portal runs: SQLite's online backup of the database first, then the
 * files under DATA_DIR. Files are written before the rows that name them and never rewritten, so
 * every file the copied database refers to is already there when the copy is made.
 */
export async function createBackup(db: Db, databasePath: string, dataDir: string, target: string, now = new Date()): Promise<Manifest> {
	if (existsSync(target) && readdirSync(target).length) throw new Error(`${target} is not empty`);
	mkdirSync(join(target, 'files'), { recursive: true });
	await db.$client.backup(join(target, DATABASE_FILE));
	const dbFiles = new Set([databasePath, `${databasePath}-wal`, `${databasePath}-shm`].map((p) => resolve(p)));
	const targetAbs = resolve(target);
	const files = listFiles(
		resolve(dataDir),
		(absolute) => dbFiles.has(absolute) || absolute === targetAbs || absolute.startsWith(targetAbs + sep)
	);
	const manifest: Manifest = {
		createdAt: now.toISOString(),
		database: { file: DATABASE_FILE, sha256: sha256(join(target, DATABASE_FILE)) },
		files: []
	};
	for (const path of files) {
		const destination = join(target, 'files', path);
		mkdirSync(dirname(destination), { recursive: true });
		copyFileSync(join(dataDir, path), destination);
		manifest.files.push({ path, sha256: sha256(destination), size: statSync(destination).size });
	}
	writeFileSync(join(target, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
	return manifest;
}

/** Checks every file of a backup against its manifest; the first problem, or null. */
export function checkBackup(source: string): string | null {
	const manifestPath = join(source, MANIFEST_FILE);
	if (!existsSync(manifestPath)) return `no ${MANIFEST_FILE} in ${source}`;
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
	if (sha256(join(source, manifest.database.file)) !== manifest.database.sha256) return 'the database copy does not match its checksum';
	for (const file of manifest.files) {
		const path = join(source, 'files', file.path);
		if (!existsSync(path) || sha256(path) !== file.sha256) return `${file.path} is missing or changed`;
	}
	return null;
}

/**
 * Puts a backup back: the database file and the files under DATA_DIR. The portal must be stopped;
 * an existing database is replaced only when `force` is given.
 */
export function restoreBackup(source: string, databasePath: string, dataDir: string, force = false): Manifest {
	const problem = checkBackup(source);
	if (problem) throw new Error(`Backup is not usable: ${problem}`);
	if (existsSync(databasePath) && !force) throw new Error(`${databasePath} exists; stop the portal and pass --force to replace it`);
	const manifest = JSON.parse(readFileSync(join(source, MANIFEST_FILE), 'utf8')) as Manifest;
	mkdirSync(dirname(resolve(databasePath)), { recursive: true });
	for (const suffix of ['-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
	copyFileSync(join(source, manifest.database.file), databasePath);
	for (const file of manifest.files) {
		const destination = join(dataDir, file.path);
		if (!resolve(destination).startsWith(resolve(dataDir) + sep)) throw new Error(`refusing to write outside DATA_DIR: ${file.path}`);
		mkdirSync(dirname(destination), { recursive: true });
		copyFileSync(join(source, 'files', file.path), destination);
	}
	return manifest;
}

export const backupName = (now: Date) => `liitos-${now.toISOString().replace(/[:.]/g, '-')}`;
