import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { createReport } from '$lib/server/incidents/incidents';
import { helsinkiWallClock } from '$lib/server/incidents/deadline';
import { reportSchema } from '$lib/schemas/incident';

/** The form starts with the reporter's own details and "now" on the Finnish clock. */
export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'incident.report');
	const now = helsinkiWallClock(new Date());
	return {
		values: { kind: '', noticedAt: now, description: '', affected: '', reporterName: user.name, reporterContact: user.email } as Record<string, string>
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = authorize(event, 'incident.report');
		const parsed = parseForm(reportSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const report = await createReport(db(), actorOf(event), user, parsed.data);
		redirect(303, `/incidents/${report.id}?reported=1`);
	}
};
