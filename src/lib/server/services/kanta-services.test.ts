import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as schema from '../db/schema';
import { config } from '../config';
import { freshDb, setUpMainConnector } from '../test-support';
import { listSelectableServices, listServices } from './kanta-services';

const MIGRATION = '0008_kanta_service_selectable';
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The shipped migrations up to (not including) `tag`, in a folder of their own. */
function migrationsBefore(tag: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'liitos-migrations-'));
	tempDirs.push(dir);
	cpSync(config.migrationsDir, dir, { recursive: true });
	const journalPath = join(dir, 'meta', '_journal.json');
	const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
	const end = journal.entries.findIndex((entry) => entry.tag === tag);
	if (end < 0) throw new Error(`No migration ${tag}`);
	writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, end) }));
	return dir;
}

describe('the Annex 1 catalogue', () => {
	it('offers a new installation the services a tenant uses, not the support service or Kelain', () => {
		const db = freshDb();
		setUpMainConnector(db);
		const all = listServices(db).map((s) => s.code);
		expect(all).toEqual(expect.arrayContaining(['pharmaceutical_database', 'kelain', 'data_management_service', 'will_expression']));
		const offered = listSelectableServices(db);
		expect(offered.map((s) => s.code)).not.toContain('pharmaceutical_database');
		expect(offered.map((s) => s.code)).not.toContain('kelain');
		expect(offered.find((s) => s.code === 'data_management_service')).toMatchObject({
			nameFi: 'Tiedonhallintapalvelu',
			nameSv: 'Informationshanteringstjänsten'
		});
		expect(offered.find((s) => s.code === 'will_expression')).toMatchObject({
			nameFi: 'Tahdonilmaisupalvelu',
			nameSv: 'Viljeyttringstjänsten',
			needsReview: true
		});
		for (const service of offered) for (const name of [service.nameFi, service.nameSv, service.nameEn]) expect(name.trim()).not.toBe('');
	});

	it(`${MIGRATION} withdraws the two from an existing catalogue (rows kept) and adds the will-expression service once`, () => {
		const sqlite = new Database(':memory:');
		sqlite.pragma('foreign_keys = ON');
		const db = drizzle(sqlite, { schema });
		migrate(db, { migrationsFolder: migrationsBefore(MIGRATION) });
		const insert = sqlite.prepare('INSERT INTO kanta_service (id, code, name_fi, name_sv, name_en, sort_order) VALUES (?, ?, ?, ?, ?, ?)');
		insert.run('s-1', 'prescription', 'Resepti', 'Recepttjänsten', 'Prescription Service', 10);
		insert.run(
			's-4',
			'data_management_service',
			'Tiedonhallintapalvelu',
			'Informationshanteringstjänsten',
			'Patient Data Management Service',
			40
		);
		insert.run('s-5', 'pharmaceutical_database', 'Lääketietokanta', 'Läkemedelsdatabasen', 'Pharmaceutical Database', 50);
		insert.run('s-6', 'kelain', 'Kelain', 'Kelain', 'Kelain (web prescribing)', 60);

		migrate(db, { migrationsFolder: config.migrationsDir });
		const byCode = new Map(listServices(db).map((s) => [s.code, s]));
		expect(byCode.get('pharmaceutical_database')?.selectable).toBe(false);
		expect(byCode.get('kelain')?.selectable).toBe(false);
		expect(byCode.get('prescription')?.selectable).toBe(true);
		expect(byCode.get('will_expression')).toMatchObject({
			nameSv: 'Viljeyttringstjänsten',
			selectable: true,
			needsReview: true,
			sortOrder: 45
		});
		expect(byCode.get('will_expression')?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(listSelectableServices(db).map((s) => s.code)).toEqual(['prescription', 'data_management_service', 'will_expression']);
	});

	it(`${MIGRATION} adds nothing to an empty catalogue (setup seeds it later)`, () => {
		const db = drizzle(new Database(':memory:'), { schema });
		migrate(db, { migrationsFolder: config.migrationsDir });
		expect(listServices(db)).toEqual([]);
	});
});
