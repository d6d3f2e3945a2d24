import { fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { columnLabels, previewView, readImportUpload } from '$lib/server/http/tenant-import';
import { mailInvitation } from '$lib/server/http/people-actions';
import { importTenants, previewTenantImport, type ImportMode } from '$lib/server/import/tenant-import';

export const load: PageServerLoad = (event) => {
	authorize(event, 'tenant.import');
	return { labels: columnLabels() };
};

/** Imports the previewed file (all or nothing, or only its valid rows), then mails the invitations. */
async function runImport(event: RequestEvent, mode: ImportMode) {
	authorize(event, 'tenant.import');
	const read = await readImportUpload((await event.request.formData()).get('csv') ?? '');
	if (!read.ok) return fail(400, { errors: { file: read.error } });
	const outcome = importTenants(db(), actorOf(event), read.rows, new Date(), mode);
	if (!outcome.ok)
		return fail(409, { errors: { file: m.tenant_import_changed_meanwhile() }, preview: previewView(outcome.preview), csv: read.text });
	for (const invitation of outcome.invitations) await mailInvitation(invitation, invitation.token);
	const counts = { created: outcome.created, updated: outcome.updated, invited: outcome.invitations.length };
	if (outcome.leftOut === 0) return { done: m.tenant_import_done(counts) };
	// The rows left out stay downloadable (with their reasons) from the same text.
	return { done: m.tenant_import_done_valid({ ...counts, leftOut: outcome.leftOut }), leftOut: outcome.leftOut, csv: read.text };
}

export const actions = {
	/** Reads and checks the file; stores nothing. */
	preview: async (event) => {
		authorize(event, 'tenant.import');
		const read = await readImportUpload((await event.request.formData()).get('file') ?? '');
		if (!read.ok) return fail(400, { errors: { file: read.error } });
		return { preview: previewView(previewTenantImport(db(), read.rows)), csv: read.text };
	},
	/** All or nothing: refused if any row has an error. */
	import: (event) => runImport(event, 'all'),
	/** The administrator's explicit choice: the valid rows only. */
	importValid: (event) => runImport(event, 'valid')
} satisfies Actions;
