import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { runUntrusted } from '$lib/server/untrusted/sandbox';
import { refusalMessage } from '$lib/server/http/untrusted-refusal';
import { frameworkChanges, frameworkLanguage, type Framework, type FrameworkProblem } from '$lib/server/security-plan/framework';
import { addUploadedFramework, getFramework, listFrameworks } from '$lib/server/security-plan/framework-store';

/** The shipped file is about 35 kB; a revision of the same regulation stays well within this. */
const MAX_FRAMEWORK_BYTES = 400_000;

/** The framework file from the upload, or else from the text area; null when it is too large. */
async function readSource(request: Request): Promise<string | null> {
	const form = await request.formData();
	const file = form.get('file');
	if (file instanceof File && file.size > 0) return file.size > MAX_FRAMEWORK_BYTES ? null : file.text();
	const text = form.get('source');
	return typeof text === 'string' && text.length <= MAX_FRAMEWORK_BYTES ? text : null;
}

const describe = (problems: FrameworkProblem[]) => problems.map((p) => m.template_problem_line({ line: p.line, detail: p.detail }));

/** Read and checked in the untrusted-file worker, as every uploaded file is; the problems, or the framework. */
async function checked(request: Request): Promise<{ source: string; problems: string[] } | { source: string; framework: Framework }> {
	const source = await readSource(request);
	if (source === null) return { source: '', problems: [m.security_framework_too_large({ kb: MAX_FRAMEWORK_BYTES / 1000 })] };
	if (!source.trim()) return { source, problems: [m.template_empty()] };
	const read = await runUntrusted('frameworkCheck', source);
	if (!read.ok) return { source, problems: [refusalMessage(read.reason)] };
	if (!read.value.ok) return { source, problems: describe(read.value.problems) };
	return { source, framework: read.value.framework };
}

export const load: PageServerLoad = (event) => {
	authorize(event, 'security_framework.manage');
	const language = frameworkLanguage(getLocale());
	return {
		frameworks: listFrameworks(db()).map((f) => ({
			id: f.id,
			key: f.key,
			version: f.version,
			validFrom: f.validFrom,
			title: f.title[language],
			createdAt: f.createdAt
		}))
	};
};

export const actions: Actions = {
	/** What the file holds, and what it changes against the newest stored version of the same framework. */
	check: async (event) => {
		authorize(event, 'security_framework.manage');
		const result = await checked(event.request);
		if ('problems' in result) return fail(400, result);
		const { framework } = result;
		const newest = listFrameworks(db()).find((f) => f.key === framework.framework);
		const previous = newest && getFramework(db(), newest.key, newest.version);
		return {
			source: result.source,
			checked: {
				title: framework.title[frameworkLanguage(getLocale())],
				version: framework.version,
				sections: framework.sections.length,
				requirements: framework.sections.reduce((n, s) => n + s.requirements.length, 0),
				exists: listFrameworks(db()).some((f) => f.key === framework.framework && f.version === framework.version),
				against: previous ? { version: previous.version, ...frameworkChanges(previous, framework) } : null
			}
		};
	},
	save: async (event) => {
		authorize(event, 'security_framework.manage');
		const result = await checked(event.request);
		if ('problems' in result) return fail(400, result);
		const added = addUploadedFramework(db(), actorOf(event), result.source);
		if (!added.ok)
			return fail(400, {
				source: result.source,
				problems:
					added.reason === 'invalid' ? describe(added.problems) : [m.security_framework_exists({ version: result.framework.version })]
			});
		return { saved: added.framework.version };
	}
};
