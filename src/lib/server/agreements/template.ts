import type { Block } from './pdf';
import { printable } from '../printable';

/**
 * Agreement templates: a small header between `---` lines, then a body with `## headings`,
 * paragraphs, `- ` list items, `{{placeholders}}`, `{{#if flag}}…{{else}}…{{/if}}` and a
 * `{{annex1}}` line where the Annex 1 table goes. See README.md, "Agreement templates".
 */

export const TEMPLATE_LANGUAGES = ['fi', 'sv', 'en'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

export interface TemplateHeader {
	template: string;
	version: number;
	language: TemplateLanguage;
	title: string;
	validFrom: string;
	/** The version this one replaces, or null for the first. */
	replaces: number | null;
}

/** Values a template may print. Each must have a value wherever it is printed. */
export const TEXT_PLACEHOLDERS = [
	'main.name',
	'main.businessId',
	'main.address',
	'main.soteri',
	'main.oid',
	'tenant.name',
	'tenant.businessId',
	'tenant.address',
	'tenant.soteri',
	'tenant.oid',
	'contact.disturbance',
	'contact.archivist',
	'contact.dpo',
	'contact.physician',
	'notice.months',
	'serviceAgreement.reference',
	'place',
	'date'
] as const;
export type TextPlaceholder = (typeof TEXT_PLACEHOLDERS)[number];

/** Yes/no conditions for `{{#if}}`; any text placeholder also counts (true when non-empty). */
const FLAG = /^(uses\.[a-z0-9_]+|renewals\.forwarded|notice\.custom)$/;
const ANNEX = 'annex1';

export type TemplateValues = Partial<Record<TextPlaceholder, string>> & Record<string, string | boolean | undefined>;

type Node =
	{ kind: 'text'; text: string } | { kind: 'var'; name: string; line: number } | { kind: 'if'; name: string; then: Node[]; else: Node[] };

export interface ParsedTemplate {
	header: TemplateHeader;
	body: string;
	nodes: Node[];
}

export interface TemplateProblem {
	code: 'header' | 'unknown_placeholder' | 'unknown_condition' | 'unbalanced_if' | 'stray_else' | 'bad_tag';
	detail: string;
	line?: number;
}

export class TemplateError extends Error {
	constructor(readonly problems: TemplateProblem[]) {
		super(problems.map((p) => (p.line ? `line ${p.line}: ${p.detail}` : p.detail)).join('; '));
	}
}

/** Values that are printed but empty: the agreement cannot be produced until they are filled. */
export class MissingValuesError extends Error {
	constructor(readonly missing: string[]) {
		super(`Missing values: ${missing.join(', ')}`);
	}
}

const isText = (name: string): name is TextPlaceholder => (TEXT_PLACEHOLDERS as readonly string[]).includes(name);

function parseHeader(lines: string[], problems: TemplateProblem[]): TemplateHeader | null {
	const fields = new Map<string, string>();
	for (const [i, line] of lines.entries()) {
		const match = /^([a-z-]+):\s*(.*)$/.exec(line.trim());
		if (!match) {
			if (line.trim()) problems.push({ code: 'header', detail: `not a "name: value" line: ${line.trim()}`, line: i + 2 });
			continue;
		}
		fields.set(match[1], match[2].trim());
	}
	const need = (name: string) => {
		const value = fields.get(name);
		if (!value) problems.push({ code: 'header', detail: `header field "${name}" is missing` });
		return value ?? '';
	};
	const template = need('template');
	const versionText = need('version');
	const language = need('language');
	const title = need('title');
	const validFrom = need('valid-from');
	const replacesText = fields.get('replaces') ?? '-';
	if (template && !/^[a-z0-9-]+$/.test(template)) problems.push({ code: 'header', detail: 'template id may use a–z, 0–9 and "-" only' });
	if (versionText && !/^[1-9]\d{0,5}$/.test(versionText))
		problems.push({ code: 'header', detail: 'version must be a positive whole number' });
	if (language && !(TEMPLATE_LANGUAGES as readonly string[]).includes(language))
		problems.push({ code: 'header', detail: 'language must be fi, sv or en' });
	if (validFrom && !/^\d{4}-\d{2}-\d{2}$/.test(validFrom))
		problems.push({ code: 'header', detail: 'valid-from must be a date (YYYY-MM-DD)' });
	if (replacesText !== '-' && !/^[1-9]\d{0,5}$/.test(replacesText))
		problems.push({ code: 'header', detail: 'replaces must be a version number or "-"' });
	if (problems.length) return null;
	return {
		template,
		version: Number(versionText),
		language: language as TemplateLanguage,
		title,
		validFrom,
		replaces: replacesText === '-' ? null : Number(replacesText)
	};
}

// No lazy part and no white space matched on both sides of one: `\{\{\s*([^{}]*?)\s*\}\}` took
// quadratic time on an unclosed "{{" followed by many spaces. The tag is trimmed afterwards.
const TAG = /\{\{([^{}]*)\}\}/g;

function parseBody(body: string, firstLine: number, problems: TemplateProblem[]): Node[] {
	const root: Node[] = [];
	// Each open #if with the list its text currently goes into.
	const stack: { node: Extract<Node, { kind: 'if' }>; target: Node[]; line: number }[] = [];
	const target = () => stack.at(-1)?.target ?? root;
	let last = 0;
	// Lines are counted from the previous tag on, not from the start each time (linear, not quadratic).
	let line = firstLine;
	let countedTo = 0;
	for (const match of body.matchAll(TAG)) {
		line += newlines(body, countedTo, match.index);
		countedTo = match.index;
		if (match.index > last) target().push({ kind: 'text', text: body.slice(last, match.index) });
		last = match.index + match[0].length;
		const tag = match[1].trim();
		const opening = /^#if\s+([\w.]+)$/.exec(tag);
		if (opening) {
			const name = opening[1];
			if (!isText(name) && !FLAG.test(name)) problems.push({ code: 'unknown_condition', detail: `unknown condition "${name}"`, line });
			const node = { kind: 'if' as const, name, then: [] as Node[], else: [] as Node[] };
			target().push(node);
			stack.push({ node, target: node.then, line });
		} else if (tag === 'else') {
			const open = stack.at(-1);
			if (!open || open.target === open.node.else) problems.push({ code: 'stray_else', detail: '{{else}} outside an {{#if}}', line });
			else open.target = open.node.else;
		} else if (tag === '/if') {
			if (!stack.pop()) problems.push({ code: 'unbalanced_if', detail: '{{/if}} without an {{#if}}', line });
		} else if (tag === ANNEX || isText(tag)) {
			target().push({ kind: 'var', name: tag, line });
		} else if (/^[\w.]+$/.test(tag)) {
			problems.push({ code: 'unknown_placeholder', detail: `unknown placeholder "{{${tag}}}"`, line });
		} else {
			problems.push({ code: 'bad_tag', detail: `cannot read "{{${tag}}}"`, line });
		}
	}
	if (last < body.length) target().push({ kind: 'text', text: body.slice(last) });
	for (const open of stack) problems.push({ code: 'unbalanced_if', detail: `{{#if ${open.node.name}}} is never closed`, line: open.line });
	const leftover = root.some((n) => n.kind === 'text' && /\{\{|\}\}/.test(n.text));
	if (leftover) problems.push({ code: 'bad_tag', detail: 'unmatched "{{" or "}}"' });
	return root;
}

function newlines(text: string, from: number, to: number): number {
	let count = 0;
	// A plain loop: indexOf could run past `to` to a far newline on every call.
	for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) count++;
	return count;
}

export type TemplateCheck = { ok: true; parsed: ParsedTemplate } | { ok: false; problems: TemplateProblem[] };

/** A template's problems as a value rather than an exception (results cross to and from the worker). */
export function checkTemplate(source: string): TemplateCheck {
	try {
		return { ok: true, parsed: parseTemplate(source) };
	} catch (error) {
		if (error instanceof TemplateError) return { ok: false, problems: error.problems };
		throw error;
	}
}

/** Parses and checks a template; every problem is reported at once, with its line. */
export function parseTemplate(source: string): ParsedTemplate {
	const text = source.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
	const lines = text.split('\n');
	const problems: TemplateProblem[] = [];
	const end = lines[0]?.trim() === '---' ? lines.indexOf('---', 1) : -1;
	if (end < 0) throw new TemplateError([{ code: 'header', detail: 'the file must start with a header between two "---" lines' }]);
	const header = parseHeader(lines.slice(1, end), problems);
	const body = lines.slice(end + 1).join('\n');
	const nodes = parseBody(body, end + 2, problems);
	if (!body.includes(`{{${ANNEX}}}`)) problems.push({ code: 'bad_tag', detail: 'the body needs a {{annex1}} line for the Annex 1 table' });
	if (problems.length || !header) throw new TemplateError(problems);
	return { header, body, nodes };
}

/** Whether `{{#if}}` takes its first branch for this value. */
export function truthy(value: string | boolean | undefined): boolean {
	return typeof value === 'string' ? value.trim() !== '' : value === true;
}

const clean = printable;

const ANNEX_MARK = '\u0000annex1\u0000';

function fill(nodes: Node[], values: TemplateValues, missing: Set<string>): string {
	let out = '';
	for (const node of nodes) {
		if (node.kind === 'text') out += node.text;
		else if (node.kind === 'if') out += fill(truthy(values[node.name]) ? node.then : node.else, values, missing);
		else if (node.name === ANNEX) out += ANNEX_MARK;
		else {
			const value = values[node.name];
			if (typeof value !== 'string' || !clean(value)) missing.add(node.name);
			else out += clean(value);
		}
	}
	return out;
}

function toBlocks(text: string): Block[] {
	const blocks: Block[] = [];
	let paragraph: string[] = [];
	let list: string[] | null = null;
	const flush = () => {
		if (paragraph.length) blocks.push({ type: 'paragraph', text: paragraph.join(' ') });
		if (list) blocks.push({ type: 'list', items: list });
		paragraph = [];
		list = null;
	};
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (!line) flush();
		else if (line === ANNEX_MARK) {
			flush();
			blocks.push({ type: 'annex1' });
		} else if (line.startsWith('## ')) {
			flush();
			blocks.push({ type: 'heading', text: line.slice(3).trim() });
		} else if (line.startsWith('- ')) {
			if (paragraph.length) flush();
			(list ??= []).push(line.slice(2).trim());
		} else if (list && !paragraph.length && /^\s/.test(raw)) {
			// An indented line continues the list item above it.
			list[list.length - 1] += ` ${line}`;
		} else {
			if (list) flush();
			paragraph.push(line);
		}
	}
	flush();
	return blocks;
}

/**
 * The agreement's text for these values. Refuses (MissingValuesError) when any printed value is
 * empty, so a signed document never has a blank or a raw placeholder in it.
 */
export function fillTemplate(template: ParsedTemplate, values: TemplateValues): { title: string; blocks: Block[] } {
	const missing = new Set<string>();
	const text = fill(template.nodes, values, missing);
	if (missing.size) throw new MissingValuesError([...missing].sort());
	return { title: template.header.title, blocks: toBlocks(text) };
}

/** The values a template would miss (as `fillTemplate` reports them), without writing out the text. */
export function missingValues(template: ParsedTemplate, values: TemplateValues): string[] {
	const missing = new Set<string>();
	const walk = (nodes: Node[]) => {
		for (const node of nodes) {
			if (node.kind === 'if') walk(truthy(values[node.name]) ? node.then : node.else);
			else if (node.kind === 'var' && node.name !== ANNEX) {
				const value = values[node.name];
				if (typeof value !== 'string' || !clean(value)) missing.add(node.name);
			}
		}
	};
	walk(template.nodes);
	return [...missing].sort();
}

/**
 * How a template reads with every value shown as its name and every condition true, so an
 * administrator can check a new version before anyone signs it.
 */
export function previewTemplate(template: ParsedTemplate): { title: string; blocks: Block[] } {
	const values: TemplateValues = Object.fromEntries(TEXT_PLACEHOLDERS.map((name) => [name, `[${name}]`]));
	values[ALWAYS] = true;
	return fillTemplate({ ...template, nodes: template.nodes.map(takeThenBranch) }, values);
}

const ALWAYS = '__preview__';

function takeThenBranch(node: Node): Node {
	return node.kind === 'if' ? { kind: 'if', name: ALWAYS, then: node.then.map(takeThenBranch), else: [] } : node;
}

/** The yes/no values `whenMissing` combines: booleans, or expressions standing for one per draft. */
export interface ConditionAlgebra<C> {
	/** Whether `{{#if name}}` takes its first branch. */
	holds(name: string): C;
	/** Whether the value `name` is missing where it is printed. */
	blank(name: string): C;
	and(a: C, b: C): C;
	or(a: C, b: C): C;
	not(a: C): C;
	always: C;
}

/**
 * `missingValues` for many drafts at once: the same walk over the template, with each condition and
 * each value's emptiness left as an expression (the campaign list makes them SQL, so the database
 * works out the gaps of every draft without each being read into JavaScript). Returns, for each value
 * the template prints, when it is missing, in the order `missingValues` lists names.
 */
export function whenMissing<C>(template: ParsedTemplate, algebra: ConditionAlgebra<C>): [name: string, when: C][] {
	const when = new Map<string, C>();
	const walk = (nodes: Node[], path: C) => {
		for (const node of nodes) {
			if (node.kind === 'if') {
				const holds = algebra.holds(node.name);
				walk(node.then, algebra.and(path, holds));
				walk(node.else, algebra.and(path, algebra.not(holds)));
			} else if (node.kind === 'var' && node.name !== ANNEX) {
				const missing = algebra.and(path, algebra.blank(node.name));
				const before = when.get(node.name);
				when.set(node.name, before === undefined ? missing : algebra.or(before, missing));
			}
		}
	};
	walk(template.nodes, algebra.always);
	// As `[...missing].sort()` orders them.
	return [...when].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
