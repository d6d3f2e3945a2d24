/**
 * The query plans the measured pages rely on. Each page's domain calls (as its +page.server.ts
 * makes them) run against the data set with every statement recorded; each distinct statement is
 * then explained (EXPLAIN QUERY PLAN, with the same parameters) into Markdown.
 */
import type Database from 'better-sqlite3';
import Sqlite from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import { getMainConnector, listDesignatedPersons } from '../../src/lib/server/organisation/organisation';
import { countTenantsByStage, findCurrentTenants, getTenant, listTenantNames, listTenants } from '../../src/lib/server/tenants/tenants';
import { getChecklist, listTenantsNeedingAttention } from '../../src/lib/server/prerequisites/checklist';
import { countByBucket, listCertificates, listToOrder } from '../../src/lib/server/certificates/registry';
import { listActiveAnnouncementsFor } from '../../src/lib/server/incidents/announcements';
import { countUnread } from '../../src/lib/server/notifications/notifications';
import { listPeople } from '../../src/lib/server/people/people';
import { listServices } from '../../src/lib/server/services/kanta-services';
import { listTenantAgreements } from '../../src/lib/server/agreements/agreements';
import { coverageCounts, getInstruction, listVersions } from '../../src/lib/server/instructions/instructions';
import { targetTenantIds } from '../../src/lib/server/instructions/report';

export interface PagePlan {
	page: string;
	/** Median time of the page's domain calls in-process, without HTTP and rendering. */
	domainMs: number;
	statements: { sql: string; plan: string }[];
}

/** Runs `calls` with every prepared statement and its first parameters recorded. */
function record(client: Database.Database, calls: () => void): { sql: string; params: unknown[] }[] {
	const seen = new Map<string, unknown[]>();
	const prepare = client.prepare;
	client.prepare = ((source: string) => {
		const statement = prepare.call(client, source);
		for (const method of ['all', 'get', 'run', 'iterate'] as const) {
			const original = statement[method] as (...args: unknown[]) => unknown;
			Object.defineProperty(statement, method, {
				value: (...args: unknown[]) => {
					if (!seen.has(source)) seen.set(source, args);
					return original.apply(statement, args);
				}
			});
		}
		return statement;
	}) as typeof client.prepare;
	try {
		calls();
	} finally {
		client.prepare = prepare;
	}
	return [...seen].map(([sql, params]) => ({ sql, params }));
}

/** EXPLAIN QUERY PLAN as the indented tree the sqlite3 shell prints. */
function explain(client: Database.Database, sql: string, params: unknown[]): string {
	const rows = client.prepare(`explain query plan ${sql}`).all(...params) as { id: number; parent: number; detail: string }[];
	const depth = new Map<number, number>([[0, 0]]);
	return rows
		.map((row) => {
			const level = (depth.get(row.parent) ?? 0) + 1;
			depth.set(row.id, level);
			return `${'  '.repeat(level - 1)}${row.detail}`;
		})
		.join('\n');
}

function medianTime(calls: () => void, runs = 5): number {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const started = performance.now();
		calls();
		times.push(performance.now() - started);
	}
	return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** Long column lists say nothing about the plan; subqueries in them do, so those stay. */
const shorten = (sql: string) => sql.replace(/^select [^()]{80,}? from "/, 'select … from "');

export interface PlanTargets {
	tenantQuery: { q: string; stage: 'onboarding' };
	tenantId: string;
	/** Label and id of each instruction whose coverage report is measured. */
	instructions: [string, string][];
	adminId: string;
}

export function explainPages(databasePath: string, targets: PlanTargets, now = new Date()): PagePlan[] {
	// No migrations here: the plans are of the file as it is.
	const db = drizzle(new Sqlite(databasePath), { schema }) as Db;
	const pages: [string, () => void][] = [
		[
			'Dashboard `/` (with the layout’s unread count)',
			() => {
				listActiveAnnouncementsFor(db, null);
				getMainConnector(db);
				countTenantsByStage(db);
				listTenantsNeedingAttention(db, now);
				listToOrder(db, now);
				countUnread(db, targets.adminId);
			}
		],
		[
			'Tenant list `/tenants?q=…&stage=onboarding`',
			() => listTenants(db, { query: targets.tenantQuery.q, stage: targets.tenantQuery.stage, archived: false, page: 1, pageSize: 25 })
		],
		[
			'Tenant page `/tenants/<id>`',
			() => {
				getTenant(db, targets.tenantId);
				listServices(db);
				listPeople(db, targets.tenantId);
				getChecklist(db, targets.tenantId, now);
				listTenantAgreements(db, targets.tenantId);
			}
		],
		[
			'Certificate expiry dashboard `/certificates?bucket=within_30`',
			() => {
				countByBucket(db, {}, now);
				listCertificates(db, { bucket: 'within_30', page: 1, pageSize: 25 }, now);
			}
		],
		...targets.instructions.map(([label, id]): [string, () => void] => [
			`Coverage report \`/instructions/<id>\`, ${label}`,
			() => {
				const item = getInstruction(db, id)!;
				listVersions(db, item.id);
				listDesignatedPersons(db);
				// The settings form: every tenant while 200 fit, else only the chosen ones.
				const chosen = targetTenantIds(db, item.id);
				if (listTenantNames(db, 201).length > 200) findCurrentTenants(db, chosen);
				coverageCounts(db, item, { page: 1, pageSize: 50 });
			}
		])
	];
	try {
		return pages.map(([page, calls]) => {
			const statements = record(db.$client, calls).map(({ sql, params }) => ({ sql, plan: explain(db.$client, sql, params) }));
			return { page, domainMs: medianTime(calls), statements };
		});
	} finally {
		db.$client.close();
	}
}

export function plansMarkdown(plans: PagePlan[]): string {
	const intro = [
		'# Query plans behind the measured pages',
		'',
		'Written by `npm run bench` (scripts/bench/plans.ts) from the national-scale data set: every',
		'distinct statement each page’s domain calls run, with SQLite’s `EXPLAIN QUERY PLAN` for it.',
		'`SEARCH … USING INDEX` reads a range of an index; `SCAN` reads a whole table or index; a',
		'`TEMP B-TREE` is a sort. No `ANALYZE` statistics are used: a fresh installation has none.',
		''
	];
	const sections = plans.flatMap((p) => [
		`## ${p.page}`,
		'',
		`Domain calls in-process: ${p.domainMs.toFixed(1)} ms (median).`,
		'',
		...p.statements.flatMap((s) => ['```sql', shorten(s.sql), '```', '', '```', s.plan, '```', ''])
	]);
	return [...intro, ...sections].join('\n');
}
