import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { readImportUpload, rejectedRowsCsv } from '$lib/server/http/tenant-import';
import { previewTenantImport } from '$lib/server/import/tenant-import';

/** The previewed file's rows with errors, as they were, with a reason column. */
export const POST: RequestHandler = async (event) => {
	authorize(event, 'tenant.import');
	const read = await readImportUpload((await event.request.formData()).get('csv') ?? '');
	if (!read.ok) error(400, read.error);
	return new Response(rejectedRowsCsv(previewTenantImport(db(), read.rows)), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="tenant-import-rejected.csv"',
			'cache-control': 'private, no-store'
		}
	});
};
