import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { getModule, moduleName } from '$lib/server/training/training';
import { saveModuleFromForm } from '$lib/server/http/training-module-form';

export const load: PageServerLoad = (event) => {
	authorize(event, 'training.manage');
	const mod = getModule(db(), event.params.id);
	if (!mod) error(404, m.error_not_found());
	return {
		name: moduleName(mod, getLocale()),
		module: { ...mod, validityMonths: mod.validityMonths === null ? '' : String(mod.validityMonths) }
	};
};

export const actions = {
	default: (event) => {
		authorize(event, 'training.manage');
		if (!getModule(db(), event.params.id)) error(404, m.error_not_found());
		return saveModuleFromForm(event, event.params.id);
	}
} satisfies Actions;
