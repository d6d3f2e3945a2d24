import { redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf } from './guard';
import { invalid, parseForm } from './forms';
import { savePrerequisiteType } from '$lib/server/prerequisites/catalogue';
import { syncAllChecklists } from '$lib/server/prerequisites/checklist';
import { prerequisiteSchema } from '$lib/schemas/prerequisite';

/** Saves a catalogue entry and hands new or newly applicable items to every tenant at once. */
export async function savePrerequisiteFromForm(event: RequestEvent, id?: string) {
	const parsed = parseForm(prerequisiteSchema, await event.request.formData());
	if (!parsed.ok) return invalid(parsed.errors, parsed.values);
	const result = savePrerequisiteType(db(), actorOf(event), parsed.data, id);
	if (!result.ok) return invalid({ code: m.error_code_taken() }, parsed.values);
	syncAllChecklists(db());
	redirect(303, `/prerequisites?saved=${result.id}`);
}
