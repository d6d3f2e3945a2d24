import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { riskRegisterResponse } from '$lib/server/http/plan-exports';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { risksCsv } from '$lib/server/security-plan/export-csv';
import { readableTenantPlan } from '$lib/server/security-plan/tenant-plans';

/** A tenant's risk register as CSV, for the same readers as its plan (../../+page.server.ts); every export audited. */
export const GET: RequestHandler = (event) => {
	const tenantId = event.params.id;
	const user = authorize(event, 'security_plan.read', { tenantId });
	if (!readableTenantPlan(db(), user, tenantId)) error(404, m.error_not_found());
	return riskRegisterResponse(risksCsv(db(), actorOf(event), { tenantId }, frameworkLanguage(getLocale())));
};
