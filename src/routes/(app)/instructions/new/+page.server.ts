import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { contentFrom, settingsFrom } from '$lib/server/http/instruction-form';
import { tenantChoices } from '$lib/server/http/tenant-picker';
import { createInstruction } from '$lib/server/instructions/instructions';
import { newInstructionSchema } from '$lib/schemas/instruction';

export const load: PageServerLoad = (event) => {
	authorize(event, 'instruction.manage');
	return { choices: tenantChoices() };
};

export const actions = {
	default: async (event) => {
		authorize(event, 'instruction.manage');
		const form = await event.request.formData();
		const parsed = parseForm(newInstructionSchema, form);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const settings = settingsFrom(parsed.data);
		if (!settings.ok) return invalid(settings.errors, parsed.values);
		const content = await contentFrom(form, parsed.data, false);
		if (!content.ok) return invalid(content.errors, parsed.values);
		const id = createInstruction(db(), actorOf(event), settings.settings, content.content);
		redirect(303, `/instructions/${id}?created`);
	}
} satisfies Actions;
