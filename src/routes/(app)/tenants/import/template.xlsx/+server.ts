import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { authorize } from '$lib/server/http/guard';
import { templateXlsx } from '$lib/server/http/tenant-import';

/** An empty workbook with the import's column headers in the reader's language. */
export const GET: RequestHandler = async (event) => {
	authorize(event, 'tenant.import');
	return new Response(await templateXlsx(), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="tenant-import-${getLocale()}.xlsx"`,
			'cache-control': 'private, no-store'
		}
	});
};
