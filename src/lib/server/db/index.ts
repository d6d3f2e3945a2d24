import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';
import { config } from '../config';
import { registerBlankValue, registerUnicodeLower } from './text-search';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The handle a synchronous `db.transaction((tx) => …)` callback receives; domain writes accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/** Opens (creating folders as needed) and migrates a database. `:memory:` gives a private test database. */
export function openDatabase(path: string): Db {
	if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	const sqlite = new Database(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	// SQLite's default page cache is 2 MB: smaller than the tenant table of a large installation
	// alone, so every list or search would read it from the file again. 64 MB holds the hot tables.
	sqlite.pragma('cache_size = -65536');
	registerUnicodeLower(sqlite);
	registerBlankValue(sqlite);
	const db = drizzle(sqlite, { schema });
	migrate(db, { migrationsFolder: config.migrationsDir });
	return db;
}

let shared: Db | undefined;

/** The portal's one database, opened on first use (never at import, so `vite build` creates no file). */
export function db(): Db {
	shared ??= openDatabase(config.databasePath);
	return shared;
}
