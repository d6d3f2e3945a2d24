import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { auditEntry } from '../db/schema';
import { listEntriesForTarget, verifyAuditChain } from '../audit/audit-log';
import { ADMIN_ACTOR, TEMPLATES_DIR, addTenant, freshDb, insertAgreementRow, setUpMainConnector } from '../test-support';
import { getAgreement } from './agreements';
import {
	addUploadedTemplate,
	checkTemplate,
	defaultTemplate,
	getTemplate,
	listTemplates,
	setDefaultTemplate,
	syncBundledTemplates
} from './templates-store';

const FI_FILE = 'kanta-model-v1.fi.txt';
const fiSource = readFileSync(join(TEMPLATES_DIR, FI_FILE), 'utf8');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The shipped Finnish template as another version (and optionally another title). */
const fiVersion = (version: number, title = 'Sopimus, versio ' + version) =>
	fiSource
		.replace(/^version: 1$/m, `version: ${version}`)
		.replace(/^title: .*$/m, `title: ${title}`)
		.replace(/^replaces: .*$/m, `replaces: ${version - 1}`);

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'liitos-templates-'));
	tempDirs.push(dir);
	return dir;
}

const defaults = (db: Db) =>
	listTemplates(db)
		.filter((t) => t.isDefault)
		.map((t) => `${t.language} v${t.version}`)
		.sort();

let db: Db;
beforeEach(() => {
	db = freshDb();
});

describe('syncBundledTemplates', () => {
	it('loads the shipped templates once; v2 of each language replaces v1 as the default', () => {
		expect(syncBundledTemplates(db, TEMPLATES_DIR)).toEqual({ added: 6, conflicts: [], invalid: [] });
		const templates = listTemplates(db);
		expect(templates.map((t) => `${t.language} v${t.version}`).sort()).toEqual(['en v1', 'en v2', 'fi v1', 'fi v2', 'sv v1', 'sv v2']);
		for (const t of templates) {
			expect(t).toMatchObject({ templateKey: 'kanta-model', origin: 'bundled', createdBy: null, isDefault: t.version === 2 });
			expect(t.sha256).toBe(sha256(t.source));
			expect(t.source).toBe(readFileSync(join(TEMPLATES_DIR, `kanta-model-v${t.version}.${t.language}.txt`), 'utf8'));
			const actions = listEntriesForTarget(db, t.id).map((e) => [e.action, e.actorLabel]);
			expect(actions).toEqual(
				t.version === 2
					? [
							['template.add', 'system'],
							['template.set_default', 'system']
						]
					: [['template.add', 'system']]
			);
		}
		expect(defaultTemplate(db, 'fi')!.source).toBe(readFileSync(join(TEMPLATES_DIR, 'kanta-model-v2.fi.txt'), 'utf8'));

		expect(syncBundledTemplates(db, TEMPLATES_DIR)).toEqual({ added: 0, conflicts: [], invalid: [] });
		expect(listTemplates(db)).toHaveLength(6);
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'template.add')).all()).toHaveLength(6);
		expect(verifyAuditChain(db).ok).toBe(true);
	});

	it("leaves an agreement drafted on v1 with v1's exact text when v2 becomes the default", () => {
		const dir = tempDir();
		for (const language of ['fi', 'sv', 'en'])
			copyFileSync(join(TEMPLATES_DIR, `kanta-model-v1.${language}.txt`), join(dir, `kanta-model-v1.${language}.txt`));
		syncBundledTemplates(db, dir);
		const admin = setUpMainConnector(db);
		const agreementId = insertAgreementRow(db, addTenant(db, admin), 'in_force');

		expect(syncBundledTemplates(db, TEMPLATES_DIR)).toEqual({ added: 3, conflicts: [], invalid: [] });
		expect(defaults(db)).toEqual(['en v2', 'fi v2', 'sv v2']);
		const stored = getAgreement(db, agreementId)!;
		expect(stored.templateSource).toBe(fiSource);
		expect(getTemplate(db, stored.templateId)).toMatchObject({ version: 1, source: fiSource });
	});

	it('keeps a default an administrator chose when a shipped successor arrives', () => {
		const dir = tempDir();
		copyFileSync(join(TEMPLATES_DIR, FI_FILE), join(dir, FI_FILE));
		syncBundledTemplates(db, dir);
		const chosen = addUploadedTemplate(db, ADMIN_ACTOR, fiVersion(5, 'Oma versio'));
		if (!chosen.ok) throw new Error('upload failed');
		setDefaultTemplate(db, ADMIN_ACTOR, chosen.id);

		copyFileSync(join(TEMPLATES_DIR, 'kanta-model-v2.fi.txt'), join(dir, 'kanta-model-v2.fi.txt'));
		expect(syncBundledTemplates(db, dir)).toEqual({ added: 1, conflicts: [], invalid: [] });
		expect(defaultTemplate(db, 'fi')!.id).toBe(chosen.id);
	});

	it('reports a changed file with an existing version and keeps the stored text', () => {
		const dir = tempDir();
		copyFileSync(join(TEMPLATES_DIR, FI_FILE), join(dir, FI_FILE));
		writeFileSync(join(dir, 'notes.md'), 'not a template');
		expect(syncBundledTemplates(db, dir)).toEqual({ added: 1, conflicts: [], invalid: [] });

		writeFileSync(join(dir, FI_FILE), fiSource.replace('Tämän sopimuksen sopijapuolet ovat:', 'Sopijapuolet ovat nyt:'));
		// v3 replaces v2, which is not there: nothing to take over from, so v1 stays the default.
		writeFileSync(join(dir, 'kanta-model-v3.fi.txt'), fiVersion(3));
		expect(syncBundledTemplates(db, dir)).toEqual({ added: 1, conflicts: [FI_FILE], invalid: [] });

		const fi = listTemplates(db).filter((t) => t.language === 'fi');
		expect(fi.map((t) => [t.version, t.isDefault])).toEqual([
			[3, false],
			[1, true]
		]);
		expect(fi.find((t) => t.version === 1)!.source).toBe(fiSource);
		// Reported again on every run until someone gives the file a new version number.
		expect(syncBundledTemplates(db, dir)).toEqual({ added: 0, conflicts: [FI_FILE], invalid: [] });
	});

	it('treats a missing folder as nothing to load', () => {
		expect(syncBundledTemplates(db, join(tempDir(), 'missing'))).toEqual({ added: 0, conflicts: [], invalid: [] });
		expect(listTemplates(db)).toEqual([]);
	});
});

describe('addUploadedTemplate', () => {
	it('rejects an invalid template with its problems and stores nothing', () => {
		const broken = fiVersion(2).replace('{{tenant.name}}', '{{tenant.nmae}}');
		const result = addUploadedTemplate(db, ADMIN_ACTOR, broken);
		expect(result.ok).toBe(false);
		expect('problems' in result && result.problems.map((p) => p.code)).toEqual(['unknown_placeholder']);
		expect('problems' in result && result.problems[0].detail).toContain('tenant.nmae');
		expect(checkTemplate(broken)).toEqual({ ok: false, problems: 'problems' in result ? result.problems : [] });
		expect(listTemplates(db)).toEqual([]);
	});

	it('refuses a version that already exists for that language, but not the same version in another language', () => {
		syncBundledTemplates(db, TEMPLATES_DIR);
		expect(addUploadedTemplate(db, ADMIN_ACTOR, fiSource.replace('Tämän sopimuksen', 'Tämän uuden sopimuksen'))).toEqual({
			ok: false,
			reason: 'version_exists'
		});
		expect(listTemplates(db)).toHaveLength(6);

		const v3 = addUploadedTemplate(db, ADMIN_ACTOR, fiVersion(3));
		expect(v3.ok).toBe(true);
		expect(addUploadedTemplate(db, ADMIN_ACTOR, fiVersion(3, 'Toinen otsikko'))).toEqual({ ok: false, reason: 'version_exists' });
		if (!v3.ok) return;
		expect(getTemplate(db, v3.id)).toMatchObject({
			version: 3,
			language: 'fi',
			origin: 'uploaded',
			createdBy: ADMIN_ACTOR.id,
			isDefault: false,
			replaces: 2,
			title: 'Sopimus, versio 3'
		});
		expect(listEntriesForTarget(db, v3.id)).toMatchObject([
			{ action: 'template.add', actorId: ADMIN_ACTOR.id, summary: 'kanta-model v3 (fi)' }
		]);
		// Uploading does not change the default.
		expect(defaultTemplate(db, 'fi')!.version).toBe(2);
	});

	it('makes the first template of a language its default', () => {
		const result = addUploadedTemplate(db, ADMIN_ACTOR, fiVersion(3));
		expect(result.ok && getTemplate(db, result.id)!.isDefault).toBe(true);
		expect(defaultTemplate(db, 'sv')).toBeUndefined();
	});
});

describe('setDefaultTemplate', () => {
	it('switches the default within that language only', () => {
		syncBundledTemplates(db, TEMPLATES_DIR);
		const v3 = addUploadedTemplate(db, ADMIN_ACTOR, fiVersion(3));
		if (!v3.ok) throw new Error('upload failed');
		expect(defaults(db)).toEqual(['en v2', 'fi v2', 'sv v2']);

		expect(setDefaultTemplate(db, ADMIN_ACTOR, v3.id)).toBe(true);
		expect(defaults(db)).toEqual(['en v2', 'fi v3', 'sv v2']);
		expect(defaultTemplate(db, 'fi')!.id).toBe(v3.id);
		expect(listEntriesForTarget(db, v3.id).at(-1)).toMatchObject({ action: 'template.set_default', summary: 'kanta-model v3 (fi)' });

		const fiV1 = listTemplates(db).find((t) => t.language === 'fi' && t.version === 1)!;
		expect(setDefaultTemplate(db, ADMIN_ACTOR, fiV1.id)).toBe(true);
		expect(defaults(db)).toEqual(['en v2', 'fi v1', 'sv v2']);

		expect(setDefaultTemplate(db, ADMIN_ACTOR, crypto.randomUUID())).toBe(false);
		expect(defaults(db)).toEqual(['en v2', 'fi v1', 'sv v2']);
		expect(verifyAuditChain(db).ok).toBe(true);
	});
});

describe('syncBundledTemplates with a broken file', () => {
	it('loads the good files and names the broken one instead of failing', () => {
		const db = freshDb();
		const dir = tempDir();
		copyFileSync(join(TEMPLATES_DIR, FI_FILE), join(dir, FI_FILE));
		writeFileSync(join(dir, 'broken.txt'), '---\ntemplate: x\n---\n{{nope}}');
		const result = syncBundledTemplates(db, dir);
		expect(result.added).toBe(1);
		expect(result.invalid).toHaveLength(1);
		expect(result.invalid[0]).toMatch(/^broken\.txt: /);
	});
});
