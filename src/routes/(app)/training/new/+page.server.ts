import type { Actions, PageServerLoad } from './$types';
import { authorize } from '$lib/server/http/guard';
import { saveModuleFromForm } from '$lib/server/http/training-module-form';

export const load: PageServerLoad = (event) => {
	authorize(event, 'training.manage');
};

export const actions = {
	default: (event) => {
		authorize(event, 'training.manage');
		return saveModuleFromForm(event);
	}
} satisfies Actions;
