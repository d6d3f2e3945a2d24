import { and, asc, desc, eq } from 'drizzle-orm';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Db, DbOrTx } from '../db';
import { agreementTemplate, type AgreementTemplate } from '../db/schema';
import { audit, SYSTEM_ACTOR, type Actor } from '../actor';
import { checkTemplate, type ParsedTemplate, type TemplateLanguage, type TemplateProblem } from './template';

export { checkTemplate };

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function insertTemplate(
	tx: DbOrTx,
	parsed: ParsedTemplate,
	source: string,
	origin: 'bundled' | 'uploaded',
	createdBy: string | null
): string {
	const id = crypto.randomUUID();
	const { header } = parsed;
	// The first template of a language becomes its default; later ones wait for an administrator.
	const hasDefault = tx
		.select({ id: agreementTemplate.id })
		.from(agreementTemplate)
		.where(and(eq(agreementTemplate.language, header.language), eq(agreementTemplate.isDefault, true)))
		.get();
	tx.insert(agreementTemplate)
		.values({
			id,
			templateKey: header.template,
			version: header.version,
			language: header.language,
			title: header.title,
			validFrom: header.validFrom,
			replaces: header.replaces,
			source,
			sha256: sha256Hex(source),
			isDefault: !hasDefault,
			origin,
			createdBy
		})
		.run();
	return id;
}

function findVersion(tx: DbOrTx, key: string, version: number, language: string) {
	return tx
		.select()
		.from(agreementTemplate)
		.where(
			and(
				eq(agreementTemplate.templateKey, key),
				eq(agreementTemplate.version, version),
				eq(agreementTemplate.language, language as TemplateLanguage)
			)
		)
		.get();
}

/**
 * A shipped version that names the shipped default it replaces becomes the default in its place:
 * a release that corrects the model agreement must reach new agreements without an administrator
 * having to notice it. A default an administrator chose (an uploaded template) is left alone.
 * Agreements already drafted keep their own copy of the text they were made from.
 */
function takeOverBundledDefault(tx: DbOrTx, id: string, parsed: ParsedTemplate): void {
	const { header } = parsed;
	const current = defaultTemplate(tx, header.language);
	if (!current || current.id === id || header.replaces === null) return;
	if (current.origin !== 'bundled' || current.templateKey !== header.template || current.version !== header.replaces) return;
	tx.update(agreementTemplate).set({ isDefault: false }).where(eq(agreementTemplate.id, current.id)).run();
	tx.update(agreementTemplate).set({ isDefault: true }).where(eq(agreementTemplate.id, id)).run();
	audit(tx, SYSTEM_ACTOR, {
		action: 'template.set_default',
		targetType: 'agreement_template',
		targetId: id,
		summary: `${header.template} v${header.version} (${header.language}) replaces v${current.version}`
	});
}

/**
 * Loads the templates shipped in `templates/` that the database does not know yet. Versions are
 * never overwritten: a changed file with an existing version number is reported, not applied.
 */
export function syncBundledTemplates(db: Db, dir: string): { added: number; conflicts: string[]; invalid: string[] } {
	let files: string[] = [];
	try {
		// Numeric order, so v10 is loaded after the v9 it replaces.
		files = readdirSync(dir)
			.filter((f) => f.endsWith('.txt'))
			.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
	} catch {
		return { added: 0, conflicts: [], invalid: [] };
	}
	let added = 0;
	const conflicts: string[] = [];
	// One broken file must not keep the portal from starting or hide the good ones.
	const invalid: string[] = [];
	db.transaction((tx) => {
		for (const file of files) {
			const source = readFileSync(join(dir, file), 'utf8');
			const check = checkTemplate(source);
			if (!check.ok) {
				invalid.push(`${file}: ${check.problems.map((p) => p.detail).join('; ')}`);
				continue;
			}
			const parsed = check.parsed;
			const existing = findVersion(tx, parsed.header.template, parsed.header.version, parsed.header.language);
			if (existing) {
				if (existing.sha256 !== sha256Hex(source)) conflicts.push(file);
				continue;
			}
			const id = insertTemplate(tx, parsed, source, 'bundled', null);
			audit(tx, SYSTEM_ACTOR, { action: 'template.add', targetType: 'agreement_template', targetId: id, summary: `${file} (bundled)` });
			takeOverBundledDefault(tx, id, parsed);
			added++;
		}
	});
	return { added, conflicts, invalid };
}

export function listTemplates(db: DbOrTx): AgreementTemplate[] {
	return db.select().from(agreementTemplate).orderBy(asc(agreementTemplate.language), desc(agreementTemplate.version)).all();
}

export function getTemplate(db: DbOrTx, id: string): AgreementTemplate | undefined {
	return db.select().from(agreementTemplate).where(eq(agreementTemplate.id, id)).get();
}

export function defaultTemplate(db: DbOrTx, language: TemplateLanguage): AgreementTemplate | undefined {
	return db
		.select()
		.from(agreementTemplate)
		.where(and(eq(agreementTemplate.language, language), eq(agreementTemplate.isDefault, true)))
		.get();
}

export type AddTemplateResult =
	{ ok: true; id: string } | { ok: false; problems: TemplateProblem[] } | { ok: false; reason: 'version_exists' };

/** An administrator's new template version; it becomes the default only when they say so. */
export function addUploadedTemplate(db: Db, actor: Actor, source: string): AddTemplateResult {
	const check = checkTemplate(source);
	if (!check.ok) return check;
	const { header } = check.parsed;
	return db.transaction((tx) => {
		if (findVersion(tx, header.template, header.version, header.language)) return { ok: false, reason: 'version_exists' } as const;
		const id = insertTemplate(tx, check.parsed, source, 'uploaded', actor.id);
		audit(tx, actor, {
			action: 'template.add',
			targetType: 'agreement_template',
			targetId: id,
			summary: `${header.template} v${header.version} (${header.language})`
		});
		return { ok: true, id } as const;
	});
}

export function setDefaultTemplate(db: Db, actor: Actor, id: string): boolean {
	return db.transaction((tx) => {
		const chosen = getTemplate(tx, id);
		if (!chosen) return false;
		tx.update(agreementTemplate).set({ isDefault: false }).where(eq(agreementTemplate.language, chosen.language)).run();
		tx.update(agreementTemplate).set({ isDefault: true }).where(eq(agreementTemplate.id, id)).run();
		audit(tx, actor, {
			action: 'template.set_default',
			targetType: 'agreement_template',
			targetId: id,
			summary: `${chosen.templateKey} v${chosen.version} (${chosen.language})`
		});
		return true;
	});
}
