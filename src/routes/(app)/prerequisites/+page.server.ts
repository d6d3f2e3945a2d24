import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { listPrerequisiteTypes, prerequisiteName } from '$lib/server/prerequisites/catalogue';

export const load: PageServerLoad = (event) => {
	authorize(event, 'catalogue.manage');
	const locale = getLocale();
	return {
		types: listPrerequisiteTypes(db(), true).map((t) => ({
			id: t.id,
			code: t.code,
			name: prerequisiteName(t, locale),
			category: t.category,
			responsibleParty: t.responsibleParty,
			evidenceKind: t.evidenceKind,
			renewalMonths: t.renewalMonths,
			required: t.required,
			active: t.active,
			limited: t.sectors.length + t.providerTypes.length + t.serviceCodes.length > 0
		}))
	};
};
