import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFramework, FRAMEWORK_LANGUAGES, type Framework } from './framework';
import { syncBundledFrameworks, latestFramework } from './framework-store';
import { freshDb } from '../test-support';

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
