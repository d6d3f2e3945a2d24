import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { getPrerequisiteType, prerequisiteName } from '$lib/server/prerequisites/catalogue';
import { listServices, serviceName } from '$lib/server/services/kanta-services';
import { savePrerequisiteFromForm } from '$lib/server/http/prerequisite-form';

export const load: PageServerLoad = (event) => {
	authorize(event, 'catalogue.manage');
	const type = getPrerequisiteType(db(), event.params.id);
	if (!type) error(404, m.error_not_found());
	const { id: _id, createdAt: _created, sortOrder: _order, ...values } = type;
	return {
		name: prerequisiteName(type, getLocale()),
		values: { ...values, derivedRule: values.derivedRule ?? '', renewalMonths: values.renewalMonths ?? '' },
		services: listServices(db()).map((s) => ({ code: s.code, name: serviceName(s, getLocale()) }))
	};
};

export const actions = {
	default: (event) => {
		authorize(event, 'catalogue.manage');
		if (!getPrerequisiteType(db(), event.params.id)) error(404, m.error_not_found());
		return savePrerequisiteFromForm(event, event.params.id);
	}
} satisfies Actions;
