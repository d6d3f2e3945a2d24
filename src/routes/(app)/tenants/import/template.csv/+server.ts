import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { authorize } from '$lib/server/http/guard';
import { templateCsv } from '$lib/server/http/tenant-import';

/** An empty spreadsheet with the import's column headers in the reader's language. */
export const GET: RequestHandler = (event) => {
	authorize(event, 'tenant.import');
	return new Response(templateCsv(), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="tenant-import-${getLocale()}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
