import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { planPdfResponse } from '$lib/server/http/plan-exports';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { exportPlanPdf } from '$lib/server/security-plan/pdf';
import { readableTenantPlan } from '$lib/server/security-plan/tenant-plans';

/**
 * A tenant's own plan as PDF, its newest approved version (a draft while none is approved), for those
 * who may read it on ../+page.server.ts: the tenant's readers, and the main connector's while the
 * tenant shares it. Anyone else is not found; every export is audited.
 */
export const GET: RequestHandler = async (event) => {
	const tenantId = event.params.id;
	const user = authorize(event, 'security_plan.read', { tenantId });
	if (!readableTenantPlan(db(), user, tenantId)) error(404, m.error_not_found());
	const exported = await exportPlanPdf(db(), actorOf(event), { tenantId }, frameworkLanguage(getLocale()), new Date(), 'approved');
	if (!exported) error(404, m.error_not_found());
	return planPdfResponse(exported);
};
