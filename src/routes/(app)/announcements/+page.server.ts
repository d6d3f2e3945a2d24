import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { createAnnouncement, listAnnouncements } from '$lib/server/incidents/announcements';
import { tenantNames } from '$lib/server/tenants/tenants';
import { resolveTargets, tenantChoices } from '$lib/server/http/tenant-picker';
import { announcementSchema } from '$lib/schemas/incident';

export const load: PageServerLoad = (event) => {
	authorize(event, 'announcement.manage');
	const announcements = listAnnouncements(db());
	const names = tenantNames(
		db(),
		announcements.flatMap((a) => a.tenantIds)
	);
	return {
		choices: tenantChoices(),
		announcements: announcements.map((a) => ({
			id: a.id,
			title: a.title,
			body: a.body,
			allTenants: a.allTenants,
			tenantNames: a.tenantIds.map((id) => names.get(id) ?? '').filter(Boolean),
			createdAt: a.createdAt,
			createdBy: a.createdBy,
			updatedAt: a.updatedAt,
			closedAt: a.closedAt
		}))
	};
};

export const actions = {
	create: async (event) => {
		authorize(event, 'announcement.manage');
		const parsed = parseForm(announcementSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'create');
		const targets = resolveTargets(parsed.data);
		if (!targets.ok) return invalid(targets.errors, parsed.values, 'create');
		await createAnnouncement(db(), actorOf(event), { ...parsed.data, tenantIds: targets.tenantIds });
		return answer('create', { created: true });
	}
} satisfies Actions;
