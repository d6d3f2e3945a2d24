// Lint rules, including the ones that keep the layering: domain code knows nothing of HTTP, code that
// reaches the browser imports nothing from the server, and no module takes part in an import cycle.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Imports that only the HTTP layer (routes, hooks, `$lib/server/http`) may use. */
const HTTP_ONLY = [
	{
		group: ['@sveltejs/kit', '@sveltejs/kit/*', '$app/*'],
		message: 'Domain modules take plain arguments; SvelteKit belongs to routes and $lib/server/http.'
	},
	{
		group: ['$lib/server/http', '$lib/server/http/*', '../http/*', '../../http/*'],
		message: 'Domain modules do not depend on the HTTP layer.'
	}
];

/** Code that is bundled for the browser may not pull in server modules (secrets, the database). */
const SERVER_ONLY = [
	{ group: ['$lib/server', '$lib/server/*', '**/server/*'], message: 'Shared and browser code imports nothing from $lib/server.' }
];

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'src/lib/paraglide/', 'drizzle/', 'test-results/', 'playwright-report/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	importX.flatConfigs.typescript,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		settings: {
			'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
			// Svelte components take part in cycles too.
			'import-x/extensions': ['.ts', '.js', '.svelte'],
			'import-x/parsers': { '@typescript-eslint/parser': ['.ts'], 'svelte-eslint-parser': ['.svelte'] }
		},
		rules: {
			'import-x/no-cycle': ['error', { ignoreExternal: true }],
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
			// Links are built from typed route strings; SvelteKit's resolve() would add nothing here.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } }
	},
	{
		files: ['src/lib/server/**/*.ts'],
		ignores: ['src/lib/server/http/**'],
		rules: { 'no-restricted-imports': ['error', { patterns: HTTP_ONLY }] }
	},
	{
		files: ['src/lib/**/*.{ts,svelte}'],
		ignores: ['src/lib/server/**'],
		rules: { 'no-restricted-imports': ['error', { patterns: SERVER_ONLY }] }
	}
);
