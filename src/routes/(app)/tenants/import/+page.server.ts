import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { columnLabels, previewView, readCsvUpload } from '$lib/server/http/tenant-import';
import { mailInvitation } from '$lib/server/http/people-actions';
import { importTenants, previewTenantImport } from '$lib/server/import/tenant-import';

export const load: PageServerLoad = (event) => {
	authorize(event, 'tenant.import');
	return { labels: columnLabels() };
};

export const actions = {
	/** Reads and checks the file; stores nothing. */
	preview: async (event) => {
		authorize(event, 'tenant.import');
		const read = await readCsvUpload((await event.request.formData()).get('file') ?? '');
		if (!read.ok) return fail(400, { errors: { file: read.error } });
		return { preview: previewView(previewTenantImport(db(), read.rows)), csv: read.text };
	},
	/** Imports the previewed file all or nothing, then mails the invitations. */
	import: async (event) => {
		authorize(event, 'tenant.import');
		const read = await readCsvUpload((await event.request.formData()).get('csv') ?? '');
		if (!read.ok) return fail(400, { errors: { file: read.error } });
		const outcome = importTenants(db(), actorOf(event), read.rows);
		if (!outcome.ok)
			return fail(409, { errors: { file: m.tenant_import_changed_meanwhile() }, preview: previewView(outcome.preview), csv: read.text });
		for (const invitation of outcome.invitations) await mailInvitation(invitation, invitation.token);
		return { done: m.tenant_import_done({ created: outcome.created, updated: outcome.updated, invited: outcome.invitations.length }) };
	}
} satisfies Actions;
