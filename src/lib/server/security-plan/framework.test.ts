import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFramework, FRAMEWORK_LANGUAGES, frameworkChanges, type Framework } from './framework';
import { addUploadedFramework, latestFramework, listFrameworks, syncBundledFrameworks } from './framework-store';
import { freshDb, setUpMainConnector } from '../test-support';
import { auditEntry } from '../db/schema';
import { eq } from 'drizzle-orm';

const DIR = join(process.cwd(), 'templates', 'security-plan');
const SHIPPED = readFileSync(join(DIR, 'thl-3-2024.v1.json'), 'utf8');

function shipped(): Framework {
	const check = checkFramework(SHIPPED);
	if (!check.ok) throw new Error(check.problems.map((p) => `line ${p.line}: ${p.detail}`).join('\n'));
	return check.framework;
}

describe('the shipped framework (THL 3/2024)', () => {
	it('passes the check', () => {
		expect(checkFramework(SHIPPED).ok).toBe(true);
	});

	it('has every chapter 6.1–6.12, with titles and requirements in fi, sv and en', () => {
		const framework = shipped();
		for (let n = 1; n <= 12; n++) {
			const section = framework.sections.find((s) => s.chapter === `6.${n}`);
			expect(section, `chapter 6.${n}`).toBeDefined();
			for (const language of FRAMEWORK_LANGUAGES) {
				expect(section!.title[language].trim(), `6.${n} title ${language}`).not.toBe('');
				expect(section!.requirements.length).toBeGreaterThan(0);
				for (const requirement of section!.requirements) expect(requirement[language].trim(), `${requirement.id} ${language}`).not.toBe('');
			}
		}
		expect(framework.sections.map((s) => s.chapter).slice(0, 2)).toEqual(['3', '5']);
	});

	it('words every requirement differently in each language (nothing left untranslated)', () => {
		for (const section of shipped().sections) for (const r of section.requirements) expect(new Set([r.fi, r.sv, r.en]).size, r.id).toBe(3);
	});
});

describe('checkFramework', () => {
	const edit = (change: (data: Record<string, unknown> & { sections: Record<string, unknown>[] }) => void) => {
		const data = JSON.parse(SHIPPED);
		change(data);
		return JSON.stringify(data, null, '\t');
	};

	it('refuses an unknown chapter and names its line', () => {
		const source = edit((d) => (d.sections[4].chapter = '6.13'));
		const check = checkFramework(source);
		expect(check.ok).toBe(false);
		if (check.ok) return;
		const problem = check.problems.find((p) => p.detail.includes('sections.4.chapter'))!;
		expect(problem.detail).toMatch(/chapter must be one of/);
		expect(source.split('\n')[problem.line - 1]).toContain('"chapter": "6.13"');
	});

	it('refuses a requirement missing a language and names the line of that requirement', () => {
		const source = edit((d) => delete (d.sections[2].requirements as Record<string, unknown>[])[1].sv);
		const check = checkFramework(source);
		expect(check.ok).toBe(false);
		if (check.ok) return;
		expect(check.problems).toHaveLength(1);
		expect(check.problems[0].detail).toContain('sections.2.requirements.1.sv');
		// The object that lacks the text starts on the line named.
		expect(source.split('\n')[check.problems[0].line - 1].trim()).toBe('{');
		expect(source.split('\n')[check.problems[0].line]).toContain('"id": "6.1-2"');
	});

	it('refuses a missing chapter, a repeated requirement id and broken JSON', () => {
		const missing = checkFramework(edit((d) => d.sections.splice(13, 1)));
		expect(!missing.ok && missing.problems.map((p) => p.detail)).toContainEqual(expect.stringContaining('chapter 6.12 is missing'));
		const repeated = checkFramework(
			edit(
				(d) =>
					((d.sections[2].requirements as Record<string, unknown>[])[1].id = (
						d.sections[2].requirements as Record<string, unknown>[]
					)[0].id)
			)
		);
		expect(!repeated.ok && repeated.problems.map((p) => p.detail)).toContainEqual(expect.stringContaining('appears twice'));
		const broken = checkFramework('{\n  "framework": \n}');
		expect(broken.ok).toBe(false);
	});
});

describe('syncBundledFrameworks', () => {
	it('stores each shipped version once and reports a changed file with a known version', () => {
		const db = freshDb();
		expect(syncBundledFrameworks(db, DIR)).toMatchObject({
			added: readdirSync(DIR).filter((f) => f.endsWith('.json')).length,
			invalid: []
		});
		expect(syncBundledFrameworks(db, DIR).added).toBe(0);
		expect(latestFramework(db)?.framework).toBe('thl-3-2024');
	});
});

describe('addUploadedFramework', () => {
	const revised = (
		version: number,
		change: (data: Record<string, unknown> & { sections: Record<string, unknown>[] }) => void = () => {}
	) => {
		const data = JSON.parse(SHIPPED);
		data.version = version;
		data.replaces = version > 1 ? version - 1 : null;
		change(data);
		return JSON.stringify(data, null, '\t');
	};

	it('stores a new version, which new plans then use, and audits it', () => {
		const db = freshDb();
		const admin = setUpMainConnector(db);
		syncBundledFrameworks(db, DIR);
		const result = addUploadedFramework(db, admin, revised(2));
		expect(result).toMatchObject({ ok: true, framework: { framework: 'thl-3-2024', version: 2 } });
		expect(latestFramework(db)?.version).toBe(2);
		expect(listFrameworks(db).map((f) => f.version)).toEqual([2, 1]);
		const audits = db.select().from(auditEntry).where(eq(auditEntry.action, 'security_framework.add')).all();
		expect(audits.map((a) => [a.actorId, a.summary])).toContainEqual([admin.id, 'thl-3-2024 v2 (uploaded)']);
	});

	it('refuses a broken file with its lines, and a version already stored, storing nothing', () => {
		const db = freshDb();
		const admin = setUpMainConnector(db);
		syncBundledFrameworks(db, DIR);
		const broken = revised(2, (d) => (d.sections[4].chapter = '6.13'));
		const refused = addUploadedFramework(db, admin, broken);
		expect(refused).toMatchObject({ ok: false, reason: 'invalid' });
		if (refused.ok || refused.reason !== 'invalid') return;
		expect(broken.split('\n')[refused.problems[0].line - 1]).toContain('"chapter": "6.13"');
		expect(addUploadedFramework(db, admin, SHIPPED)).toEqual({ ok: false, reason: 'version_exists' });
		expect(
			addUploadedFramework(
				db,
				admin,
				revised(1, (d) => ((d.title as Record<string, string>).en = 'Changed'))
			)
		).toEqual({
			ok: false,
			reason: 'version_exists'
		});
		expect(listFrameworks(db).map((f) => f.version)).toEqual([1]);
	});
});

describe('frameworkChanges', () => {
	it('names the requirements a later version adds, removes and rewords', () => {
		const before = shipped();
		const after: Framework = structuredClone(before);
		after.sections[0].requirements.push({ id: '3-99', fi: 'Uusi', sv: 'Ny', en: 'New' });
		const removed = after.sections[2].requirements.splice(0, 1)[0].id;
		after.sections[3].requirements[0] = { ...after.sections[3].requirements[0], sv: 'Omformulerad' };
		expect(frameworkChanges(before, after)).toEqual({
			added: ['3-99'],
			removed: [removed],
			reworded: [after.sections[3].requirements[0].id]
		});
		expect(frameworkChanges(before, before)).toEqual({ added: [], removed: [], reworded: [] });
	});
});
