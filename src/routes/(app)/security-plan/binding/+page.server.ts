import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { renderMarkdown } from '$lib/server/instructions/markdown';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import {
	acknowledgeVersion,
	bindingChangesPending,
	bindingPage,
	personalAcknowledgement
} from '$lib/server/security-plan/acknowledgements';
import { auditVersionRead } from '$lib/server/security-plan/versions';
import { acknowledgeSchema } from '$lib/schemas/security-plan';

/**
 * The sections of the main connector's plan that bind tenants (agreement §2), as the newest approved
 * version has them: what a tenant acknowledges, never the live plan's unapproved edits.
 */
export const load: PageServerLoad = (event) => {
	const tenantId = event.locals.user?.tenantId ?? null;
	const user = authorize(event, 'security_plan.binding', { tenantId });
	const page = bindingPage(db(), tenantId);
	auditVersionRead(db(), actorOf(event), page.read, 'binding sections', tenantId);
	// The main connector's editors are told when what they changed is not yet what tenants see.
	const editor = tenantId === null && can(user, 'security_plan.edit', { tenantId: null });
	return {
		language: frameworkLanguage(getLocale()),
		approved: page.approved,
		sections: page.sections.map(({ section, requirements }) => ({
			section,
			requirements: requirements.map((r) => ({ requirement: r.requirement, html: r.description ? renderMarkdown(r.description) : '' }))
		})),
		version: page.view && { latest: page.view.latest, acknowledged: page.view.acknowledged, changes: page.view.changes },
		canAcknowledge: tenantId !== null && can(user, 'security_plan.acknowledge', { tenantId }),
		// Each of the tenant's people acknowledges the binding sections personally, as an instruction.
		personal: tenantId !== null && page.approved ? personalAcknowledgement(db(), user.id) : null,
		pendingBindingChanges: editor && bindingChangesPending(db())
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
