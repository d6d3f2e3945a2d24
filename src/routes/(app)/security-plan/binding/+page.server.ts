import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { renderMarkdown } from '$lib/server/instructions/markdown';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import { bindingSections } from '$lib/server/security-plan/sharing';

/** The sections of the main connector's plan that bind tenants, for the tenant's people (agreement §2). */
export const load: PageServerLoad = (event) => {
	authorize(event, 'security_plan.binding', { tenantId: event.locals.user?.tenantId ?? null });
	return {
		language: frameworkLanguage(getLocale()),
		sections: bindingSections(db()).map(({ section, requirements }) => ({
			section,
			requirements: requirements.map((r) => ({ requirement: r.requirement, html: r.description ? renderMarkdown(r.description) : '' }))
		}))
	};
};
