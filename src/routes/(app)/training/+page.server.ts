import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { listModules, moduleName } from '$lib/server/training/training';

export const load: PageServerLoad = (event) => {
	authorize(event, 'training.manage');
	const locale = getLocale();
	return {
		modules: listModules(db(), true).map((mod) => ({
			id: mod.id,
			code: mod.code,
			name: moduleName(mod, locale),
			validityMonths: mod.validityMonths,
			requiredForRoles: mod.requiredForRoles,
			active: mod.active
		}))
	};
};
