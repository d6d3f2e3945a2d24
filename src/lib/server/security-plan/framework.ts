import { z } from 'zod';
import { SECURITY_PLAN_CHAPTERS, type SecurityPlanChapter } from '../../domain';

/**
 * The information-security plan framework: the chapters of THL regulation 3/2024 (3, 5, 6.1–6.12)
 * as sections, each with the requirements it states, in fi, sv and en. Shipped as a versioned JSON
 * file in `templates/security-plan/` (see README, "Information-security plan") and checked here
 * before it is stored or used.
 */

export const FRAMEWORK_LANGUAGES = ['fi', 'sv', 'en'] as const;
export type FrameworkLanguage = (typeof FRAMEWORK_LANGUAGES)[number];

const text = z.string().trim().min(1, { error: 'text is empty' }).max(2000, { error: 'text is longer than 2000 characters' });
const texts = z.strictObject({ fi: text, sv: text, en: text });

const requirementSchema = z.strictObject({
	id: z.string().regex(/^(3|5|6\.(?:[1-9]|1[0-2]))-[1-9]\d?$/, { error: 'requirement id must be "<chapter>-<number>", e.g. "6.3-2"' }),
	fi: text,
	sv: text,
	en: text
});

const sectionSchema = z
	.strictObject({
		chapter: z.enum(SECURITY_PLAN_CHAPTERS, { error: `chapter must be one of ${SECURITY_PLAN_CHAPTERS.join(', ')}` }),
		title: texts,
		requirements: z.array(requirementSchema).min(1, { error: 'a section needs at least one requirement' })
	})
	.superRefine((section, ctx) => {
		section.requirements.forEach((requirement, index) => {
			if (!requirement.id.startsWith(`${section.chapter}-`))
				ctx.addIssue({
					code: 'custom',
					message: `requirement ${requirement.id} is not in chapter ${section.chapter}`,
					path: ['requirements', index, 'id']
				});
		});
	});

export const frameworkSchema = z
	.strictObject({
		framework: z.string().regex(/^[a-z0-9-]{1,60}$/, { error: 'framework id may use a–z, 0–9 and "-" only' }),
		version: z.int({ error: 'version must be a positive whole number' }).min(1).max(999_999),
		validFrom: z.iso.date({ error: 'validFrom must be a date (YYYY-MM-DD)' }),
		replaces: z.int().min(1).nullable(),
		title: texts,
		sections: z.array(sectionSchema)
	})
	.superRefine((framework, ctx) => {
		const seenChapters = new Set<string>();
		const seenIds = new Set<string>();
		framework.sections.forEach((section, index) => {
			if (seenChapters.has(section.chapter))
				ctx.addIssue({ code: 'custom', message: `chapter ${section.chapter} appears twice`, path: ['sections', index, 'chapter'] });
			seenChapters.add(section.chapter);
			section.requirements.forEach((requirement, r) => {
				if (seenIds.has(requirement.id))
					ctx.addIssue({
						code: 'custom',
						message: `requirement ${requirement.id} appears twice`,
						path: ['sections', index, 'requirements', r, 'id']
					});
				seenIds.add(requirement.id);
			});
		});
		for (const chapter of SECURITY_PLAN_CHAPTERS)
			if (!seenChapters.has(chapter)) ctx.addIssue({ code: 'custom', message: `chapter ${chapter} is missing`, path: ['sections'] });
	});

export type Framework = z.output<typeof frameworkSchema>;
export type FrameworkSection = Framework['sections'][number];
export type FrameworkRequirement = FrameworkSection['requirements'][number];
export type { SecurityPlanChapter };

export interface FrameworkProblem {
	detail: string;
	line: number;
}

export type FrameworkCheck = { ok: true; framework: Framework } | { ok: false; problems: FrameworkProblem[] };

/** Checks a framework file; every problem names the line it is on, so whoever edits the file can find it. */
export function checkFramework(source: string): FrameworkCheck {
	let data: unknown;
	try {
		data = JSON.parse(source);
	} catch (error) {
		const position = /position (\d+)/.exec(String(error))?.[1];
		return {
			ok: false,
			problems: [{ detail: `not valid JSON: ${(error as Error).message}`, line: lineAt(source, Number(position ?? 0)) }]
		};
	}
	const result = frameworkSchema.safeParse(data);
	if (result.success) return { ok: true, framework: result.data };
	const offsets = valueOffsets(source);
	const problems = result.error.issues.map((issue) => {
		const where = issue.path.join('.');
		// A missing key has no place of its own: point at the object that lacks it.
		let path = issue.path.map(String);
		while (path.length && !offsets.has(path.join('.'))) path = path.slice(0, -1);
		return { detail: `${where || 'file'}: ${issue.message}`, line: lineAt(source, offsets.get(path.join('.')) ?? 0) };
	});
	return { ok: false, problems };
}

export function lineAt(source: string, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
	return line;
}

/**
 * Where each value of a (valid) JSON text starts, by its path ("sections.3.requirements.1.sv").
 * A small scanner rather than a dependency: the text has already passed JSON.parse.
 */
function valueOffsets(source: string): Map<string, number> {
	const offsets = new Map<string, number>();
	let i = 0;
	const skip = () => {
		while (i < source.length && /\s/.test(source[i])) i++;
	};
	const readString = (): string => {
		const start = i;
		i++;
		while (source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
		i++;
		return JSON.parse(source.slice(start, i)) as string;
	};
	const value = (path: string[]): void => {
		skip();
		offsets.set(path.join('.'), i);
		const c = source[i];
		if (c === '{') {
			i++;
			skip();
			while (source[i] !== '}') {
				const key = readString();
				skip();
				i++; // ':'
				value([...path, key]);
				skip();
				if (source[i] === ',') i++;
				skip();
			}
			i++;
		} else if (c === '[') {
			i++;
			skip();
			let index = 0;
			while (source[i] !== ']') {
				value([...path, String(index++)]);
				skip();
				if (source[i] === ',') i++;
				skip();
			}
			i++;
		} else if (c === '"') readString();
		else while (i < source.length && !/[\s,}\]]/.test(source[i])) i++;
	};
	value([]);
	return offsets;
}

/** The requirement's text in the reader's language. */
export function requirementText(requirement: FrameworkRequirement, language: FrameworkLanguage): string {
	return requirement[language];
}

export function findRequirement(
	framework: Framework,
	requirementId: string
): { section: FrameworkSection; requirement: FrameworkRequirement } | null {
	for (const section of framework.sections) {
		const requirement = section.requirements.find((r) => r.id === requirementId);
		if (requirement) return { section, requirement };
	}
	return null;
}

/** The framework's language for a UI locale (the three are the same today). */
export function frameworkLanguage(locale: string): FrameworkLanguage {
	return (FRAMEWORK_LANGUAGES as readonly string[]).includes(locale) ? (locale as FrameworkLanguage) : 'fi';
}

export interface FrameworkChanges {
	/** Requirement ids new in the later version. */
	added: string[];
	/** Requirement ids the later version no longer has. */
	removed: string[];
	/** Requirement ids in both whose wording changed in any language. */
	reworded: string[];
}

/** What a later framework version changes, requirement by requirement (ids are stable across versions). */
export function frameworkChanges(from: Framework, to: Framework): FrameworkChanges {
	const requirements = (framework: Framework) => new Map(framework.sections.flatMap((s) => s.requirements.map((r) => [r.id, r] as const)));
	const before = requirements(from);
	const after = requirements(to);
	return {
		added: [...after.keys()].filter((id) => !before.has(id)),
		removed: [...before.keys()].filter((id) => !after.has(id)),
		reworded: [...after.entries()]
			.filter(([id, r]) => {
				const old = before.get(id);
				return old !== undefined && FRAMEWORK_LANGUAGES.some((language) => old[language] !== r[language]);
			})
			.map(([id]) => id)
	};
}
