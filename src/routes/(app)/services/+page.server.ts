import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { addService, listServices } from '$lib/server/services/kanta-services';
import { serviceSchema } from '$lib/schemas/service';
import { invalid, parseForm } from '$lib/server/http/forms';

export const load: PageServerLoad = (event) => {
	authorize(event, 'services.edit');
	return { services: listServices(db()) };
};

export const actions = {
	default: async (event) => {
		authorize(event, 'services.edit');
		const parsed = parseForm(serviceSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const result = addService(db(), actorOf(event), parsed.data);
		if (!result.ok) return invalid({ code: m.error_code_taken() }, parsed.values);
		return { added: parsed.data.code };
	}
} satisfies Actions;
