import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { contentDisposition } from '$lib/server/evidence/file-store';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { planCsv } from '$lib/server/security-plan/export-csv';
import { ownPlanOf } from '$lib/server/security-plan/plan';

/** The plan as CSV; confidential, so only its readers, and every export audited. */
export const GET: RequestHandler = (event) => {
	const owner = ownPlanOf(event.locals.user);
	authorize(event, 'security_plan.read', owner);
	const csv = planCsv(db(), actorOf(event), owner, frameworkLanguage(getLocale()));
	if (csv === null) error(404, 'Not found');
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': contentDisposition('attachment', 'information-security-plan.csv'),
			'cache-control': 'private, no-store'
		}
	});
};
