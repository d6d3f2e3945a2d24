import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { renderMarkdown } from '$lib/server/instructions/markdown';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { bindingSections } from '$lib/server/security-plan/sharing';
import { acknowledgeVersion, tenantView } from '$lib/server/security-plan/acknowledgements';
import { auditVersionRead } from '$lib/server/security-plan/versions';
import { acknowledgeSchema } from '$lib/schemas/security-plan';

/** The sections of the main connector's plan that bind tenants, for the tenant's people (agreement §2). */
export const load: PageServerLoad = (event) => {
	const tenantId = event.locals.user?.tenantId ?? null;
	const user = authorize(event, 'security_plan.binding', { tenantId });
	const view = tenantId ? tenantView(db(), tenantId) : null;
	if (view && tenantId) auditVersionRead(db(), actorOf(event), view.read, 'binding sections', tenantId);
	return {
		language: frameworkLanguage(getLocale()),
		sections: bindingSections(db()).map(({ section, requirements }) => ({
			section,
			requirements: requirements.map((r) => ({ requirement: r.requirement, html: r.description ? renderMarkdown(r.description) : '' }))
		})),
		version: view && { latest: view.latest, acknowledged: view.acknowledged, changes: view.changes },
		canAcknowledge: tenantId !== null && can(user, 'security_plan.acknowledge', { tenantId })
	};
};

export const actions: Actions = {
	acknowledge: async (event) => {
		const tenantId = event.locals.user?.tenantId ?? null;
		const user = authorize(event, 'security_plan.acknowledge', { tenantId });
		const parsed = acknowledgeSchema.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success || !tenantId) error(404, m.error_not_found());
		const result = acknowledgeVersion(db(), actorOf(event), { id: user.id, tenantId }, parsed.data.version);
		if (!result.ok && result.reason === 'not_found') error(404, m.error_not_found());
		if (!result.ok && result.reason === 'not_latest') return { ackError: m.security_plan_ack_not_latest() };
		if (!result.ok && result.reason === 'nothing_binding') return { ackError: m.security_plan_ack_nothing_binding() };
		return { acknowledged: parsed.data.version };
	}
};
