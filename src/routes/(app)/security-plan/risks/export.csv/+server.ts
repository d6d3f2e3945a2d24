import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { riskRegisterResponse } from '$lib/server/http/plan-exports';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { risksCsv } from '$lib/server/security-plan/export-csv';
import { ownPlanOf } from '$lib/server/security-plan/plan';

/** The risk register as CSV; confidential, so only the plan's readers, and every export audited. */
export const GET: RequestHandler = (event) => {
	const owner = ownPlanOf(event.locals.user);
	authorize(event, 'security_plan.read', owner);
	return riskRegisterResponse(risksCsv(db(), actorOf(event), owner, frameworkLanguage(getLocale())));
};
