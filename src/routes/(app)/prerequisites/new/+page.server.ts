import type { Actions, PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { listServices, serviceName } from '$lib/server/services/kanta-services';
import { savePrerequisiteFromForm } from '$lib/server/http/prerequisite-form';

export const load: PageServerLoad = (event) => {
	authorize(event, 'catalogue.manage');
	return { services: listServices(db()).map((s) => ({ code: s.code, name: serviceName(s, getLocale()) })) };
};

export const actions = {
	default: (event) => {
		authorize(event, 'catalogue.manage');
		return savePrerequisiteFromForm(event);
	}
} satisfies Actions;
