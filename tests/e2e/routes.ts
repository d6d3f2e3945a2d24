import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every route of the app, read from the routes folder so that a new route cannot be left out of a check. */
const ROUTES_DIR = join(process.cwd(), 'src', 'routes');

export interface DiscoveredRoute {
	pattern: string;
	kind: 'page' | 'endpoint';
	actions: string[];
	/** The +page.svelte or +server.ts itself. */
	file: string;
}

/** Route files → URL patterns, e.g. src/routes/(app)/tenants/[id=uuid]/+page.svelte → /tenants/[id=uuid]. */
export function discoverRoutes(dir = ROUTES_DIR): DiscoveredRoute[] {
	const found: DiscoveredRoute[] = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) {
			found.push(...discoverRoutes(path));
			continue;
		}
		if (name !== '+page.svelte' && name !== '+server.ts') continue;
		const pattern =
			'/' +
			relative(ROUTES_DIR, dir)
				.split(sep)
				.filter((segment) => segment && !/^\(.*\)$/.test(segment))
				.join('/');
		let actions: string[] = [];
		if (name === '+page.svelte') {
			let server: string;
			try {
				server = readFileSync(join(dir, '+page.server.ts'), 'utf8');
			} catch {
				server = '';
			}
			// `export const actions: Actions = { … };` or `export const actions = { … } satisfies Actions;`, last in the file.
			const block = /export const actions[^{]*\{([\s\S]*)\}(?:\s*satisfies\s+Actions)?;?\s*$/.exec(server)?.[1] ?? '';
			// One action per line, or a single action written on the same line as the braces.
			actions = [...block.matchAll(/^\t(\w+):/gm)].map((m) => m[1]);
			if (actions.length === 0 && /^\s*(\w+):/.test(block)) actions = [/^\s*(\w+):/.exec(block)![1]];
			// A page whose actions this reading misses would silently drop out of the fuzz and isolation suites.
			if (server.includes('export const actions') && actions.length === 0)
				throw new Error(`no actions read from ${join(dir, '+page.server.ts')}`);
		}
		found.push({ pattern, kind: name === '+page.svelte' ? 'page' : 'endpoint', actions, file: path });
	}
	return found;
}
