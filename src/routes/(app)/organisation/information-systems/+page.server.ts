import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { listInformationSystems, removeInformationSystem, saveInformationSystem } from '$lib/server/information-systems/registry';
import { todayInHelsinki } from '$lib/time';
import { informationSystemIdSchema, informationSystemSchema } from '$lib/schemas/information-system';

export const load: PageServerLoad = (event) => {
	authorize(event, 'information_system.manage');
	return { systems: listInformationSystems(db()), today: todayInHelsinki() };
};

export const actions: Actions = {
	save: async (event) => {
		authorize(event, 'information_system.manage');
		const parsed = parseForm(informationSystemSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const { id, ...input } = parsed.data;
		const saved = saveInformationSystem(db(), actorOf(event), input, id);
		if (!saved.ok) error(404, m.error_not_found());
		return { saved: input.name };
	},
	remove: async (event) => {
		authorize(event, 'information_system.manage');
		const parsed = parseForm(informationSystemIdSchema, await event.request.formData());
		if (!parsed.ok || !removeInformationSystem(db(), actorOf(event), parsed.data.id)) error(404, m.error_not_found());
		return { removed: true };
	}
};
