import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { addUploadedTemplate, listTemplates, setDefaultTemplate } from '$lib/server/agreements/templates-store';
import { runUntrusted } from '$lib/server/untrusted/sandbox';
import { refusalMessage } from '$lib/server/http/untrusted-refusal';
import { previewTemplate, type TemplateProblem } from '$lib/server/agreements/template';

const MAX_TEMPLATE_BYTES = 200_000;

/** The template text from the uploaded file, or else from the text area. */
async function readSource(request: Request): Promise<string | null> {
	const form = await request.formData();
	const file = form.get('file');
	if (file instanceof File && file.size > 0) {
		if (file.size > MAX_TEMPLATE_BYTES) return null;
		return file.text();
	}
	const text = form.get('source');
	return typeof text === 'string' && text.length <= MAX_TEMPLATE_BYTES ? text : null;
}

const describe = (problems: TemplateProblem[]) => problems.map((p) => (p.line ? m.template_problem_line({ line: p.line, detail: p.detail }) : p.detail));

export const load: PageServerLoad = (event) => {
	authorize(event, 'template.manage');
	const templates = listTemplates(db());
	// Every version's text at once made the page grow with each upload (twice: HTML and page data); one is shown on request.
	const shownId = event.url.searchParams.get('show');
	const shown = templates.find((t) => t.id === shownId);
	return {
		templates: templates.map(({ source: _source, ...t }) => t),
		shown: shown ? { id: shown.id, source: shown.source } : null
	};
};

export const actions: Actions = {
	check: async (event) => {
		authorize(event, 'template.manage');
		const source = await readSource(event.request);
		if (!source?.trim()) return fail(400, { source: source ?? '', problems: [m.template_empty()] });
		// Uploaded text is read in the untrusted-file worker like any other uploaded file.
		const read = await runUntrusted('templateCheck', source);
		if (!read.ok) return fail(400, { source, problems: [refusalMessage(read.reason)] });
		const check = read.value;
		if (!check.ok) return fail(400, { source, problems: describe(check.problems) });
		return { source, preview: previewTemplate(check.parsed), header: check.parsed.header };
	},
	save: async (event) => {
		authorize(event, 'template.manage');
		const source = await readSource(event.request);
		if (!source?.trim()) return fail(400, { source: source ?? '', problems: [m.template_empty()] });
		const read = await runUntrusted('templateCheck', source);
		if (!read.ok) return fail(400, { source, problems: [refusalMessage(read.reason)] });
		const result = addUploadedTemplate(db(), actorOf(event), source);
		if (!result.ok) return fail(400, { source, problems: 'problems' in result ? describe(result.problems) : [m.template_version_exists()] });
		return { saved: true };
	},
	setDefault: async (event) => {
		authorize(event, 'template.manage');
		const id = String((await event.request.formData()).get('id') ?? '');
		if (!setDefaultTemplate(db(), actorOf(event), id)) error(404, m.error_not_found());
		return { defaultSet: true };
	}
};
