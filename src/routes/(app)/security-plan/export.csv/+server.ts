import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { contentDisposition } from '$lib/server/evidence/file-store';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { planCsv } from '$lib/server/security-plan/export-csv';

/** The plan as CSV; confidential, so only its readers, and every export audited. */
export const GET: RequestHandler = (event) => {
	authorize(event, 'security_plan.read', { tenantId: null });
	const csv = planCsv(db(), actorOf(event), frameworkLanguage(getLocale()));
	if (csv === null) error(404, 'Not found');
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': contentDisposition('attachment', 'information-security-plan.csv'),
			'cache-control': 'private, no-store'
		}
	});
};
