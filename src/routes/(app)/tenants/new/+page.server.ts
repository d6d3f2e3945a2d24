import type { Actions, PageServerLoad } from './$types';
import { authorize } from '$lib/server/http/guard';
import { saveTenantFromForm, serviceOptions } from '$lib/server/http/tenant-form';

export const load: PageServerLoad = (event) => {
	authorize(event, 'tenant.create');
	return { services: serviceOptions() };
};

export const actions = {
	default: (event) => {
		authorize(event, 'tenant.create');
		return saveTenantFromForm(event);
	}
} satisfies Actions;
