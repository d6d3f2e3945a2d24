import { and, desc, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, DbOrTx } from '../db';
import { securityFramework } from '../db/schema';
import { audit, SYSTEM_ACTOR, type Actor } from '../actor';
import { checkFramework, type Framework, type FrameworkProblem } from './framework';

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');

/**
 * Loads the framework files shipped in `templates/security-plan/` that the database does not know
 * yet, as agreement templates are loaded: a stored version is never overwritten (a changed file with
 * an existing version number is reported), and a broken file is reported with its line numbers
 * without keeping the portal from starting.
 */
export function syncBundledFrameworks(db: Db, dir: string): { added: number; conflicts: string[]; invalid: string[] } {
	let files: string[] = [];
	try {
		files = readdirSync(dir)
			.filter((f) => f.endsWith('.json'))
			.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
	} catch {
		return { added: 0, conflicts: [], invalid: [] };
	}
	let added = 0;
	const conflicts: string[] = [];
	const invalid: string[] = [];
	db.transaction((tx) => {
		for (const file of files) {
			const source = readFileSync(join(dir, file), 'utf8');
			const check = checkFramework(source);
			if (!check.ok) {
				invalid.push(`${file}: ${check.problems.map((p) => `line ${p.line}: ${p.detail}`).join('; ')}`);
				continue;
			}
			const existing = storedVersion(tx, check.framework.framework, check.framework.version);
			if (existing) {
				if (existing.sha256 !== sha256Hex(source)) conflicts.push(file);
				continue;
			}
			insertFramework(tx, SYSTEM_ACTOR, check.framework, source, `${file} (bundled)`);
			added++;
		}
	});
	return { added, conflicts, invalid };
}

const storedVersion = (db: DbOrTx, key: string, version: number) =>
	db
		.select()
		.from(securityFramework)
		.where(and(eq(securityFramework.frameworkKey, key), eq(securityFramework.version, version)))
		.get();

function insertFramework(tx: DbOrTx, actor: Actor, framework: Framework, source: string, label: string): string {
	const id = crypto.randomUUID();
	tx.insert(securityFramework)
		.values({
			id,
			frameworkKey: framework.framework,
			version: framework.version,
			validFrom: framework.validFrom,
			source,
			sha256: sha256Hex(source)
		})
		.run();
	audit(tx, actor, { action: 'security_framework.add', targetType: 'security_framework', targetId: id, summary: label });
	return id;
}

export type AddFrameworkResult =
	| { ok: true; id: string; framework: Framework }
	| { ok: false; reason: 'invalid'; problems: FrameworkProblem[] }
	| { ok: false; reason: 'version_exists' };

/**
 * An administrator's new framework version, when THL revises the regulation: checked as a shipped file
 * is (every problem with its line), and never replacing a stored version. New plans are made against
 * the newest; a plan already made keeps its own until its editors move it (see `moveToFramework`).
 */
export function addUploadedFramework(db: Db, actor: Actor, source: string): AddFrameworkResult {
	const check = checkFramework(source);
	if (!check.ok) return { ok: false, reason: 'invalid', problems: check.problems };
	const { framework } = check;
	return db.transaction((tx) => {
		if (storedVersion(tx, framework.framework, framework.version)) return { ok: false, reason: 'version_exists' } as const;
		const id = insertFramework(tx, actor, framework, source, `${framework.framework} v${framework.version} (uploaded)`);
		return { ok: true, id, framework } as const;
	});
}

export interface StoredFramework {
	id: string;
	key: string;
	version: number;
	validFrom: string;
	title: Framework['title'];
	createdAt: Date;
}

/** Every stored framework version, newest first. */
export function listFrameworks(db: DbOrTx): StoredFramework[] {
	return db
		.select()
		.from(securityFramework)
		.orderBy(desc(securityFramework.version))
		.all()
		.map((row) => ({
			id: row.id,
			key: row.frameworkKey,
			version: row.version,
			validFrom: row.validFrom,
			title: parseStored(row).title,
			createdAt: row.createdAt
		}));
}

// A stored version never changes, so its parsed form can be kept by row id.
const parsed = new Map<string, Framework>();

function parseStored(row: { id: string; source: string }): Framework {
	let framework = parsed.get(row.id);
	if (!framework) {
		const check = checkFramework(row.source);
		// Stored only after passing the same check; failing now means the code's rules changed.
		if (!check.ok) throw new Error(`Stored security framework ${row.id} no longer passes the check: ${check.problems[0].detail}`);
		framework = check.framework;
		parsed.set(row.id, framework);
	}
	return framework;
}

/** The newest framework version: a new plan is made against it. */
export function latestFramework(db: DbOrTx): Framework | null {
	const row = db.select().from(securityFramework).orderBy(desc(securityFramework.version)).limit(1).get();
	return row ? parseStored(row) : null;
}

export function getFramework(db: DbOrTx, key: string, version: number): Framework | null {
	const row = db
		.select()
		.from(securityFramework)
		.where(and(eq(securityFramework.frameworkKey, key), eq(securityFramework.version, version)))
		.get();
	return row ? parseStored(row) : null;
}
