import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { closeAnnouncement, getAnnouncement, updateAnnouncement } from '$lib/server/incidents/announcements';
import { resolveTargets, tenantChoices } from '$lib/server/http/tenant-picker';
import { announcementSchema } from '$lib/schemas/incident';

export const load: PageServerLoad = (event) => {
	authorize(event, 'announcement.manage');
	const current = getAnnouncement(db(), event.params.id);
	if (!current) error(404, m.error_not_found());
	return {
		announcement: current,
		choices: tenantChoices(current.tenantIds),
		values: {
			title: current.title,
			body: current.body,
			audience: current.allTenants ? 'all' : 'chosen',
			tenantIds: current.tenantIds
		} as Record<string, unknown>
	};
};

export const actions = {
	update: async (event) => {
		authorize(event, 'announcement.manage');
		const parsed = parseForm(announcementSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'update');
		const targets = resolveTargets(parsed.data);
		if (!targets.ok) return invalid(targets.errors, parsed.values, 'update');
		if (!updateAnnouncement(db(), actorOf(event), event.params.id, { ...parsed.data, tenantIds: targets.tenantIds }))
			return invalid({ form: m.announcement_is_closed() }, parsed.values, 'update');
		return answer('update', { saved: true });
	},
	close: async (event) => {
		authorize(event, 'announcement.manage');
		if (!closeAnnouncement(db(), actorOf(event), event.params.id)) return invalid({ form: m.announcement_is_closed() }, {}, 'close');
		return answer('close', { closed: true });
	}
} satisfies Actions;
