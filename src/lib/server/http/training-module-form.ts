import { redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf } from './guard';
import { invalid, parseForm } from './forms';
import { saveModule } from '$lib/server/training/training';
import { trainingModuleSchema } from '$lib/schemas/training';

/** Saves a training module (new, or `id`) and returns to the list. */
export async function saveModuleFromForm(event: RequestEvent, id?: string) {
	const parsed = parseForm(trainingModuleSchema, await event.request.formData());
	if (!parsed.ok) return invalid(parsed.errors, parsed.values);
	const result = saveModule(db(), actorOf(event), parsed.data, id);
	if (!result.ok) return invalid({ code: m.error_code_taken() }, parsed.values);
	redirect(303, `/training?saved=${result.id}`);
}
