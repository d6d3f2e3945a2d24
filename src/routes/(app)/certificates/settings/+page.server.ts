import type { Actions, PageServerLoad } from './$types';
import { CERTIFICATE_KINDS } from '$lib/domain';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { getSettings, saveSetting } from '$lib/server/settings';
import { certificateSettingsSchema } from '$lib/schemas/certificate';

export const load: PageServerLoad = (event) => {
	authorize(event, 'certificate.manage');
	const settings = getSettings(db());
	return {
		values: {
			reminderThresholds: settings.reminderThresholds.join(', '),
			...Object.fromEntries(CERTIFICATE_KINDS.map((kind) => [`lead_${kind}`, String(settings.orderLeadDays[kind])]))
		} as Record<string, string>
	};
};

export const actions = {
	default: async (event) => {
		authorize(event, 'certificate.manage');
		const parsed = parseForm(certificateSettingsSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		saveSetting(db(), actorOf(event), 'reminderThresholds', parsed.data.reminderThresholds);
		saveSetting(db(), actorOf(event), 'orderLeadDays', parsed.data.orderLeadDays);
		// Echo the cleaned list (sorted, without repeats) so the form shows what was stored.
		return { saved: true, values: { reminderThresholds: parsed.data.reminderThresholds.join(', ') } };
	}
} satisfies Actions;
