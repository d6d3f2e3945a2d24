import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { getTenant } from '$lib/server/tenants/tenants';
import { saveTenantFromForm, serviceOptions, tenantFormValues } from '$lib/server/http/tenant-form';

export const load: PageServerLoad = (event) => {
	authorize(event, 'tenant.edit', { tenantId: event.params.id });
	const tenant = getTenant(db(), event.params.id);
	if (!tenant) error(404, m.error_not_found());
	return { tenant: { id: tenant.id, name: tenant.name }, values: tenantFormValues(tenant), services: serviceOptions() };
};

export const actions = {
	default: (event) => {
		authorize(event, 'tenant.edit', { tenantId: event.params.id });
		if (!getTenant(db(), event.params.id)) error(404, m.error_not_found());
		return saveTenantFromForm(event, event.params.id);
	}
} satisfies Actions;
