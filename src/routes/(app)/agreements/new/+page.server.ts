import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { createDraft } from '$lib/server/agreements/agreements';
import { defaultTemplate, listTemplates } from '$lib/server/agreements/templates-store';
import { getTenant, listTenants } from '$lib/server/tenants/tenants';
import { newAgreementSchema } from '$lib/schemas/agreement';

export const load: PageServerLoad = (event) => {
	authorize(event, 'agreement.manage');
	const chosen = getTenant(db(), event.url.searchParams.get('tenant') ?? '');
	const templates = listTemplates(db());
	return {
		// A few hundred tenants fit a select; beyond that the tenant page's "new agreement" link is the way in.
		tenants: listTenants(db(), { page: 1, pageSize: 500 }).tenants.map((t) => ({ id: t.id, name: t.name })),
		templates: templates.map((t) => ({ id: t.id, label: `${t.title} — v${t.version} (${t.language})${t.isDefault ? ' ★' : ''}` })),
		values: {
			tenantId: chosen?.id ?? '',
			templateId: (chosen && defaultTemplate(db(), chosen.agreementLanguage)?.id) ?? defaultTemplate(db(), 'fi')?.id ?? ''
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		authorize(event, 'agreement.manage');
		const parsed = parseForm(newAgreementSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const result = createDraft(db(), actorOf(event), parsed.data);
		if (!result.ok)
			return invalid(
				result.reason === 'no_tenant' ? { tenantId: m.error_choose_one() } : { templateId: m.error_choose_one() },
				parsed.values
			);
		redirect(303, `/agreements/${result.id}`);
	}
};
