import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { contentDisposition } from '$lib/server/evidence/file-store';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { exportPlanPdf } from '$lib/server/security-plan/pdf';
import { ownPlanOf } from '$lib/server/security-plan/plan';

/** The plan for the supervisory authority; confidential, so only its readers, and every export audited. */
export const GET: RequestHandler = async (event) => {
	const owner = ownPlanOf(event.locals.user);
	authorize(event, 'security_plan.read', owner);
	const pdf = await exportPlanPdf(db(), actorOf(event), owner, frameworkLanguage(getLocale()));
	if (!pdf) error(404, 'Not found');
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition('attachment', 'information-security-plan.pdf'),
			'cache-control': 'private, no-store'
		}
	});
};
