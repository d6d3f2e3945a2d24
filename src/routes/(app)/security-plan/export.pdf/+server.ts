import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { planPdfResponse } from '$lib/server/http/plan-exports';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { exportPlanPdf } from '$lib/server/security-plan/pdf';
import { ownPlanOf } from '$lib/server/security-plan/plan';

/**
 * The plan for the supervisory authority: the newest approved version (a draft while none is
 * approved), or with `?edition=draft` the plan as it stands, marked as a draft. Confidential, so only
 * its readers, and every export audited.
 */
export const GET: RequestHandler = async (event) => {
	const owner = ownPlanOf(event.locals.user);
	authorize(event, 'security_plan.read', owner);
	const edition = event.url.searchParams.get('edition') === 'draft' ? 'draft' : 'approved';
	const exported = await exportPlanPdf(db(), actorOf(event), owner, frameworkLanguage(getLocale()), new Date(), edition);
	if (!exported) error(404, 'Not found');
	return planPdfResponse(exported);
};
