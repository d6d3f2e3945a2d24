import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../db';
import { verifyAuditChain } from '../audit/audit-log';
import { addTenant, setUpMainConnector } from '../test-support';
import { checkBackup, createBackup, restoreBackup } from './backup';

const tableCounts = (db: ReturnType<typeof openDatabase>) =>
	Object.fromEntries(
		db
			.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
			.map(({ name }) => [name, db.get<{ n: number }>(sql.raw(`select count(*) as n from "${name}"`))!.n])
	);

describe('backup and restore', () => {
	it('round-trips the database and the files while the database stays open', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'liitos-backup-data-'));
		const databasePath = join(dataDir, 'liitos.db');
		const db = openDatabase(databasePath);
		const admin = setUpMainConnector(db);
		addTenant(db, admin);
		mkdirSync(join(dataDir, 'evidence', 'ab'), { recursive: true });
		writeFileSync(join(dataDir, 'evidence', 'ab', 'file-1'), 'todiste: ä ö å');
		mkdirSync(join(dataDir, 'agreements'), { recursive: true });
		writeFileSync(join(dataDir, 'agreements', 'a.pdf'), Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]));

		const target = join(mkdtempSync(join(tmpdir(), 'liitos-backup-')), 'copy');
		const manifest = await createBackup(db, databasePath, dataDir, target);
		expect(manifest.files.map((f) => f.path).sort()).toEqual([join('agreements', 'a.pdf'), join('evidence', 'ab', 'file-1')]);
		expect(checkBackup(target)).toBeNull();
		const before = tableCounts(db);
		// A write after the backup is not in it.
		addTenant(db, admin);
		db.$client.close();

		const restoredDir = mkdtempSync(join(tmpdir(), 'liitos-restored-'));
		const restoredPath = join(restoredDir, 'liitos.db');
		restoreBackup(target, restoredPath, restoredDir);
		const restored = openDatabase(restoredPath);
		expect(tableCounts(restored)).toEqual(before);
		expect(verifyAuditChain(restored).ok).toBe(true);
		expect(readFileSync(join(restoredDir, 'evidence', 'ab', 'file-1'), 'utf8')).toBe('todiste: ä ö å');
		expect([...readFileSync(join(restoredDir, 'agreements', 'a.pdf'))]).toEqual([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);
		restored.$client.close();

		// Restoring over an existing database needs --force.
		expect(() => restoreBackup(target, restoredPath, restoredDir)).toThrow(/--force/);
	});

	it('refuses a backup whose files were changed', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'liitos-backup-data-'));
		const databasePath = join(dataDir, 'liitos.db');
		const db = openDatabase(databasePath);
		writeFileSync(join(dataDir, 'note.txt'), 'original');
		const target = join(mkdtempSync(join(tmpdir(), 'liitos-backup-')), 'copy');
		await createBackup(db, databasePath, dataDir, target);
		db.$client.close();
		writeFileSync(join(target, 'files', 'note.txt'), 'tampered');
		expect(checkBackup(target)).toBe('note.txt is missing or changed');
		expect(() => restoreBackup(target, join(dataDir, 'other.db'), dataDir)).toThrow(/not usable/);
	});
});
