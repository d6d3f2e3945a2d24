import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { BULK_ACTION, confirmationFor, selectedTenants, skippedOf, TENANT_PAGE_SIZE } from '$lib/server/http/tenant-bulk';
import { can } from '$lib/server/auth/authorize';
import { listTenants } from '$lib/server/tenants/tenants';
import { BULK_LIMIT } from '$lib/server/bulk/tenant-selection';
import { remindTenants } from '$lib/server/bulk/tenant-reminders';
import { carryOutReminderMail } from '$lib/server/bulk/follow-up';
import { tenantListQuerySchema } from '$lib/schemas/tenant';
import { tenantBulkSchema } from '$lib/schemas/tenant-bulk';
import { pageNumber } from '$lib/schemas/fields';

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'tenant.list');
	const params = Object.fromEntries(event.url.searchParams);
	const filter = tenantListQuerySchema.parse(params);
	const page = pageNumber.parse(params.page);
	const { tenants, total } = listTenants(db(), {
		query: filter.q,
		stage: filter.stage,
		archived: filter.archived === '1',
		page,
		pageSize: TENANT_PAGE_SIZE
	});
	const archived = filter.archived === '1';
	return {
		filter,
		page,
		pageSize: TENANT_PAGE_SIZE,
		total,
		tenants: tenants.map((t) => ({ id: t.id, name: t.name, businessId: t.businessId, city: t.city, stage: t.stage })),
		canCreate: can(user, 'tenant.create'),
		canImport: can(user, 'tenant.import'),
		bulkLimit: BULK_LIMIT,
		bulk: {
			// Archived tenants get no new agreements and no reminders.
			campaign: can(user, 'campaign.manage') && !archived,
			remind: can(user, 'tenant.remind') && !archived,
			export: can(user, 'tenant.export')
		}
	};
};

export const actions = {
	confirm: async (event) => {
		authorize(event, 'tenant.list');
		const parsed = parseForm(tenantBulkSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'bulk');
		authorize(event, BULK_ACTION[parsed.data.intent]);
		const selection = selectedTenants(parsed.data);
		if (!selection.ok) return invalid({ form: selection.message }, parsed.values, 'bulk');
		return answer('confirm', { confirmation: confirmationFor(parsed.data, selection.tenants), changed: false });
	},
	remind: async (event) => {
		authorize(event, 'tenant.remind');
		const parsed = parseForm(tenantBulkSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'bulk');
		const selection = selectedTenants(parsed.data);
		if (!selection.ok) return invalid({ form: selection.message }, parsed.values, 'bulk');
		const input = { ...parsed.data, intent: 'remind' as const };
		const result = remindTenants(db(), actorOf(event), selection.tenants, new Date(), parsed.data.count ?? -1);
		if (result.changed) return answer('confirm', { confirmation: confirmationFor(input, selection.tenants), changed: true });
		// The mails go out after the commit and after this answer; the scheduler retries any that fail.
		carryOutReminderMail(db()).catch((error) => console.error('reminder mail failed:', error));
		return answer('reminded', { reminded: result.plan.toRemind.length, skipped: skippedOf(result.plan) });
	}
} satisfies Actions;
