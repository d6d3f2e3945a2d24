import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { contentDisposition } from '$lib/server/evidence/file-store';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { risksCsv } from '$lib/server/security-plan/export-csv';
import { ownPlanOf } from '$lib/server/security-plan/plan';

/** The risk register as CSV; confidential, so only the plan's readers, and every export audited. */
export const GET: RequestHandler = (event) => {
	const owner = ownPlanOf(event.locals.user);
	authorize(event, 'security_plan.read', owner);
	return new Response(risksCsv(db(), actorOf(event), owner, frameworkLanguage(getLocale())), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': contentDisposition('attachment', 'risk-register.csv'),
			'cache-control': 'private, no-store'
		}
	});
};
