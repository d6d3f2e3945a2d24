import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { resolveTargets, tenantChoices } from '$lib/server/http/tenant-picker';
import { createReport } from '$lib/server/incidents/incidents';
import { helsinkiWallClock } from '$lib/time';
import { getTenant } from '$lib/server/tenants/tenants';
import { reportSchema } from '$lib/schemas/incident';

/**
 * The form starts with the reporter's own details and "now" on the Finnish clock. The main
 * connector's people choose whom the report concerns; a tenant's people report for their own tenant.
 */
export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'incident.report');
	const now = helsinkiWallClock(new Date());
	return {
		choices: user.tenantId === null ? tenantChoices() : null,
		ownTenant: user.tenantId === null ? null : (getTenant(db(), user.tenantId)?.name ?? ''),
		values: { kind: '', noticedAt: now, description: '', affected: '', reporterName: user.name, reporterContact: user.email } as Record<
			string,
			string | string[]
		>
	};
};

export const actions = {
	default: async (event) => {
		const user = authorize(event, 'incident.report');
		const parsed = parseForm(reportSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const { tenantIds: ticked, tenantBusinessIds, mainConnector, ...input } = parsed.data;
		let tenantIds: string[] = [];
		if (user.tenantId === null) {
			const targets = resolveTargets({ allTenants: false, tenantIds: ticked, tenantBusinessIds });
			if (!targets.ok) return invalid(targets.errors, parsed.values);
			tenantIds = targets.tenantIds;
		}
		const result = await createReport(db(), actorOf(event), user, { ...input, concerns: { tenantIds, mainConnector } });
		if (!result.ok) return invalid({ concerns: m.incident_concerns_required() }, parsed.values);
		redirect(303, `/incidents/${result.report.id}?reported=1`);
	}
} satisfies Actions;
