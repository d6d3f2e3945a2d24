import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { createAnnouncement, listAnnouncements } from '$lib/server/incidents/announcements';
import { listTenants } from '$lib/server/tenants/tenants';
import { announcementSchema } from '$lib/schemas/incident';

/** Current tenants to choose from; a few hundred fit a list of checkboxes. */
const tenantChoices = () => listTenants(db(), { page: 1, pageSize: 1000 }).tenants.map((t) => ({ id: t.id, name: t.name }));

export const load: PageServerLoad = (event) => {
	authorize(event, 'announcement.manage');
	const tenants = tenantChoices();
	const names = new Map(tenants.map((t) => [t.id, t.name]));
	return {
		tenants,
		announcements: listAnnouncements(db()).map((a) => ({
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

export const actions: Actions = {
	create: async (event) => {
		authorize(event, 'announcement.manage');
		const parsed = parseForm(announcementSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'create');
		await createAnnouncement(db(), actorOf(event), parsed.data);
		return { section: 'create', created: true };
	}
};
