/**
 * ESLint's import-x/no-cycle sees cycles between modules; this sees them between the concept folders
 * of src/lib/server (tenants → prerequisites → tenants through different files is not a module cycle,
 * but it still ties the two concepts into one). Top-level files such as actor.ts count as their own
 * node. Tests and the test support are left out: they may reach across concepts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SERVER = dirname(fileURLToPath(import.meta.url));
const LIB = resolve(SERVER, '..');

/**
 * Edges still to untangle: config.ts parses the secret key and session limits with helpers that live in
 * auth/, while auth reads config. Listed here so that any new cycle fails the test.
 */
const KNOWN_EDGES = new Set(['config→auth']);

/**
 * The untrusted-file worker's task table is the entry of another thread: it wires the domain's parsers
 * (agreement claims, certificates, evidence types, templates) into the worker the way the routes wire
 * domain functions into requests. The domain calls the sandbox; only this table reaches back.
 */
const COMPOSITION_ROOTS = new Set(['untrusted/tasks.ts']);

const isTest = (file: string) => file.endsWith('.test.ts') || file.endsWith('test-support.ts');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		const root = COMPOSITION_ROOTS.has(relative(SERVER, path));
		return entry.name.endsWith('.ts') && !isTest(path) && !root ? [path] : [];
	});
}

/** The node a server file belongs to: its concept folder, or the file itself at the top level. */
function nodeOf(file: string): string | null {
	const rel = relative(SERVER, file);
	if (rel.startsWith('..')) return null;
	const [first, ...rest] = rel.split(/[\\/]/);
	return rest.length ? first : first.replace(/\.(ts|js)$/, '');
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importedPaths(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	return [...text.matchAll(IMPORT)]
		.map((m) => m[1] ?? m[2])
		.flatMap((spec) => {
			if (spec.startsWith('$lib/')) return [join(LIB, spec.slice('$lib/'.length))];
			if (spec.startsWith('.')) return [resolve(dirname(file), spec)];
			return [];
		});
}

/** Concept → concepts it imports, from the import statements of its source files. */
function folderGraph(): Map<string, Set<string>> {
	const graph = new Map<string, Set<string>>();
	for (const file of sourceFiles(SERVER)) {
		const from = nodeOf(file)!;
		const edges = graph.get(from) ?? new Set<string>();
		graph.set(from, edges);
		for (const target of importedPaths(file)) {
			const to = nodeOf(target);
			if (to && to !== from && !KNOWN_EDGES.has(`${from}→${to}`)) edges.add(to);
		}
	}
	return graph;
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
	let next = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const found: string[][] = [];
	const visit = (node: string) => {
		index.set(node, next);
		low.set(node, next++);
		stack.push(node);
		for (const to of graph.get(node) ?? []) {
			if (!index.has(to)) {
				visit(to);
				low.set(node, Math.min(low.get(node)!, low.get(to)!));
			} else if (stack.includes(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
		}
		if (low.get(node) === index.get(node)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				component.push(member);
			} while (member !== node);
			if (component.length > 1) found.push(component.sort());
		}
	};
	for (const node of graph.keys()) if (!index.has(node)) visit(node);
	return found;
}

describe('server layering', () => {
	it('finds a cycle when two concepts import each other', () => {
		const graph = new Map([
			['tenants', new Set(['prerequisites'])],
			['prerequisites', new Set(['db', 'tenants'])],
			['db', new Set<string>()]
		]);
		expect(cycles(graph)).toEqual([['prerequisites', 'tenants']]);
	});

	it('reads the imports of the server folders', () => {
		expect(folderGraph().get('tenants')).toContain('db');
	});

	it('has no import cycle between the concept folders of src/lib/server', () => {
		expect(cycles(folderGraph())).toEqual([]);
	});
});
