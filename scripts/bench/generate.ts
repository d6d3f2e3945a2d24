/**
 * A national-scale data set in a fresh SQLite file: 10,000 tenants, 100,000 staff, 150,000
 * certificates, 1,000,000 acknowledgements and 2,000,000 audit entries (times `scale`).
 *
 * The main connector is set up with the portal's own completeSetup; the bulk goes in with raw
 * prepared statements, a few big transactions, and the large tables' indexes built once at the
 * end (the same CREATE INDEX statements the migrations ran). Everyone shares one password.
 *
 * Standalone: `tsx scripts/bench/generate.ts [path]`.
 */
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../src/lib/server/db/schema';
import { verifyAuditChain, type AuditVerification } from '../../src/lib/server/audit/audit-log';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { hashPassword } from '../../src/lib/server/auth/password';
import { rebuildCoverageTallies } from '../../src/lib/server/instructions/coverage-tallies';
import { rebuildSearchIndexes } from '../../src/lib/server/search/search';
import { seeded, between } from './dataset/random';
import { writeAuditChain } from './dataset/audit-chain';
import { eventBy, type Context } from './dataset/context';
import { ADMIN_EMAIL, ADMIN_TOTP_SECRET, setUpOrganisation } from './dataset/organisation';
import { generatePeople, generateTenants } from './dataset/tenants';
import { generateChecklists } from './dataset/checklists';
import { generateCertificates } from './dataset/certificates';
import { generateInstructions } from './dataset/instructions';
import { generateAgreements } from './dataset/agreements';
import { DAY_MS } from '../../src/lib/time';

export const BENCH_PASSWORD = 'bench-password-2026';

export interface Dataset {
	path: string;
	seconds: number;
	counts: {
		tenants: number;
		staff: number;
		certificates: number;
		acknowledgements: number;
		auditEntries: number;
		checklistItems: number;
		agreements: number;
	};
	adminId: string;
	adminEmail: string;
	adminTotpSecret: string;
	password: string;
	/** A tenant in production at the 90th percentile of staff size, for its page. */
	sampleTenantId: string;
	sampleTenantStaff: number;
	/** Active staff of current tenants: everyone an instruction for all tenants reaches. */
	activeStaff: number;
	instructionAllTenantsId: string;
	instructionChosenTenantsId: string;
	agreementInForceId: string;
}

const BULK_TABLES = [
	'user',
	'user_role',
	'checklist_item',
	'certificate',
	'acknowledgement',
	'instruction_version',
	'audit_entry',
	'agreement',
	'agreement_signature'
];

/**
 * Drops the named indexes and the triggers of the bulk tables and returns their CREATE statements,
 * to run afterwards (the coverage tallies the triggers keep are then counted once, afresh).
 */
function dropIndexesAndTriggers(client: Database.Database): string[] {
	const placeholders = BULK_TABLES.map(() => '?').join(', ');
	const rows = client
		.prepare(
			`select type, name, sql from sqlite_master where type in ('index', 'trigger') and sql is not null and tbl_name in (${placeholders})`
		)
		.all(...BULK_TABLES) as { type: 'index' | 'trigger'; name: string; sql: string }[];
	for (const row of rows) client.exec(`drop ${row.type} "${row.name}"`);
	return rows.map((r) => r.sql);
}

export async function generateDataset(path: string, scale = 1, now = Date.now()): Promise<Dataset> {
	const started = performance.now();
	for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
	const db = openDatabase(path);
	const client = db.$client;
	// Nothing to protect yet: no journal, no fsync, a big cache. The portal's own settings come back at the end.
	client.pragma('journal_mode = OFF');
	client.pragma('synchronous = OFF');
	client.pragma('cache_size = -1000000');
	client.pragma('temp_store = MEMORY');
	client.pragma('foreign_keys = OFF');

	const passwordHash = await hashPassword(BENCH_PASSWORD);
	const setupAt = now - 3 * 365 * DAY_MS - 30 * DAY_MS;
	const organisation = setUpOrganisation(db, client, passwordHash, setupAt);
	const schemaObjects = dropIndexesAndTriggers(client);
	const ctx: Context = {
		db,
		client,
		random: seeded(20260401),
		now,
		passwordHash,
		admin: organisation.admin,
		signatory: organisation.signatory,
		certAdmin: organisation.certAdmin,
		events: organisation.events
	};

	const step = <T>(name: string, run: () => T): T => {
		const t0 = performance.now();
		const result = run();
		if (process.env.BENCH_VERBOSE) console.error(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
		return result;
	};
	const tenants = step('tenants', () => generateTenants(ctx, Math.round(10_000 * scale)));
	const people = step('people', () => generatePeople(ctx, tenants, Math.round(100_000 * scale)));
	const checklistItems = step('checklists', () => generateChecklists(ctx, tenants));
	const certificates = step('certificates', () => generateCertificates(ctx, tenants, Math.round(150_000 * scale)));
	const instructions = step('acknowledgements', () => generateInstructions(ctx, tenants, Math.round(1_000_000 * scale)));
	const agreements = step('agreements', () => generateAgreements(ctx, tenants));

	// Sign-ins fill the log up to its size: in a real portal they are the most common entry.
	const active = people.filter((p) => p.status === 'active');
	const tenantOf = new Map(tenants.flatMap((t) => t.people.map((p) => [p.id, t.id])));
	const auditTarget = Math.round(2_000_000 * scale);
	while (ctx.events.length < auditTarget) {
		const p = active[Math.floor(ctx.random() * active.length)];
		ctx.events.push(eventBy(p, between(ctx.random, p.createdAt, now), tenantOf.get(p.id)!, 'auth.sign_in', 'user', p.id));
	}
	if (ctx.events.length > auditTarget)
		throw new Error(`The generated history has ${ctx.events.length} audit entries, more than ${auditTarget}`);
	step('audit chain', () => writeAuditChain(client, ctx.events));
	// Measured: the audit log's indexes build about a third faster with a 64 MB cache than with the
	// 1 GB one the inserts wanted (SQLite's sorter sizes itself by the cache).
	client.pragma('cache_size = -64000');
	step('indexes', () => schemaObjects.filter((sql) => !/^create trigger/i.test(sql)).forEach((sql) => client.exec(sql)));
	step('coverage tallies', () => rebuildCoverageTallies(db));
	step('search indexes', () => rebuildSearchIndexes(db));
	schemaObjects.filter((sql) => /^create trigger/i.test(sql)).forEach((sql) => client.exec(sql));
	client.pragma('foreign_keys = ON');
	client.pragma('journal_mode = WAL');
	client.close();

	const byStaff = tenants.filter((t) => t.stage === 'in_production' && !t.archived).sort((a, b) => a.people.length - b.people.length);
	const sample = byStaff[Math.floor(byStaff.length * 0.9)];
	return {
		path,
		seconds: (performance.now() - started) / 1000,
		counts: {
			tenants: tenants.length,
			staff: people.length,
			certificates,
			acknowledgements: instructions.acknowledgements,
			auditEntries: ctx.events.length,
			checklistItems,
			agreements: agreements.count
		},
		adminId: organisation.admin.id,
		adminEmail: ADMIN_EMAIL,
		adminTotpSecret: ADMIN_TOTP_SECRET,
		password: BENCH_PASSWORD,
		sampleTenantId: sample.id,
		sampleTenantStaff: sample.people.length,
		activeStaff: tenants.filter((t) => !t.archived).reduce((n, t) => n + t.people.filter((p) => p.status === 'active').length, 0),
		instructionAllTenantsId: instructions.allTenantsId,
		instructionChosenTenantsId: instructions.chosenTenantsId,
		agreementInForceId: agreements.inForceId
	};
}

/** The portal's own check of the whole audit chain, read-only, timed. */
export function verifyDataset(path: string): AuditVerification & { seconds: number } {
	const started = performance.now();
	const sqlite = new Database(path, { readonly: true, fileMustExist: true });
	try {
		const result = verifyAuditChain(drizzle(sqlite, { schema }) as Db);
		return { ...result, seconds: (performance.now() - started) / 1000 };
	} finally {
		sqlite.close();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const dataset = await generateDataset(process.argv[2] ?? '/tmp/liitos-bench.db', Number(process.env.BENCH_SCALE ?? 1));
	console.log(JSON.stringify(dataset, null, 2));
}
