/**
 * The message catalogue: every message exists in Finnish, Swedish and English, uses the same
 * placeholders in each, and every message the code asks for exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const LOCALES = ['fi', 'sv', 'en'] as const;

const catalogues = Object.fromEntries(
	LOCALES.map((locale) => {
		const raw = JSON.parse(readFileSync(join(root, 'messages', `${locale}.json`), 'utf8')) as Record<string, unknown>;
		delete raw.$schema;
		return [locale, raw];
	})
) as Record<(typeof LOCALES)[number], Record<string, unknown>>;

const allKeys = [...new Set(LOCALES.flatMap((locale) => Object.keys(catalogues[locale])))].sort();

function placeholders(message: string): string[] {
	return [...new Set([...message.matchAll(/\{\s*([A-Za-z0-9_]+)\s*\}/g)].map((m) => m[1]))].sort();
}

/** Source files under src/, leaving out the generated Paraglide output. */
function sourceFiles(dir: string): string[] {
	const generated = join(root, 'src', 'lib', 'paraglide');
	const files: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) {
			if (path !== generated && entry.name !== 'node_modules') files.push(...sourceFiles(path));
		} else if (/\.(ts|js|svelte)$/.test(entry.name)) {
			files.push(path);
		}
	}
	return files;
}

function referencesIn(files: string[], pattern: RegExp): Map<string, string[]> {
	const found = new Map<string, string[]>();
	for (const file of files) {
		const text = readFileSync(file, 'utf8');
		for (const match of text.matchAll(pattern)) {
			const where = found.get(match[1]) ?? [];
			where.push(relative(root, file).split(sep).join('/'));
			found.set(match[1], where);
		}
	}
	return found;
}

describe('message catalogue', () => {
	it('has messages', () => {
		expect(allKeys.length).toBeGreaterThan(50);
	});

	it.each(LOCALES)('%s has every key, each a non-empty string', (locale) => {
		const problems = allKeys.filter((key) => {
			const value = catalogues[locale][key];
			return typeof value !== 'string' || value.trim() === '';
		});
		expect(problems).toEqual([]);
	});

	it('uses the same placeholders in every language', () => {
		const mismatched = allKeys
			.map((key) => ({
				key,
				byLocale: LOCALES.map((locale) => `${locale}: ${placeholders(String(catalogues[locale][key] ?? '')).join(',')}`)
			}))
			.filter(({ byLocale }) => new Set(byLocale.map((entry) => entry.slice(4))).size > 1);
		expect(mismatched).toEqual([]);
	});

	it('has every message the code refers to as m.<key>', () => {
		// Only files that import the messages as `m` (elsewhere `m.to` may be an ordinary variable).
		const files = sourceFiles(join(root, 'src')).filter((file) =>
			/import\s+\*\s+as\s+m\s+from\s+['"][^'"]*paraglide\/messages/.test(readFileSync(file, 'utf8'))
		);
		expect(files.length).toBeGreaterThan(10);
		const used = referencesIn(files, /\bm\.([a-z0-9_]+)\b/g);
		expect(used.size).toBeGreaterThan(50); // the scan itself works
		const missing = [...used]
			.filter(([key]) => !(key in catalogues.fi))
			.map(([key, where]) => `${key} (${[...new Set(where)].join(', ')})`);
		expect(missing).toEqual([]);
	});

	it("has every 'error_…' key the schemas report", () => {
		const files = sourceFiles(join(root, 'src', 'lib', 'schemas'));
		const used = referencesIn(files, /['"`](error_[a-z0-9_]+)['"`]/g);
		expect(used.size).toBeGreaterThan(5);
		const missing = [...used]
			.filter(([key]) => !(key in catalogues.fi))
			.map(([key, where]) => `${key} (${[...new Set(where)].join(', ')})`);
		expect(missing).toEqual([]);
	});
});
