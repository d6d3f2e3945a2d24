import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { parseForm } from '$lib/server/http/forms';
import { createDraft } from '$lib/server/agreements/agreements';
import { defaultTemplate, listTemplates } from '$lib/server/agreements/templates-store';
import { findCurrentTenants, getTenant, searchTenantNames } from '$lib/server/tenants/tenants';

const TENANT_SEARCH_LIMIT = 50;
import { newAgreementSchema } from '$lib/schemas/agreement';

/** The tenants the select shows: the one chosen (if current) and those the search finds, at most TENANT_SEARCH_LIMIT. */
function tenantOptions(query: string, chosenId: string) {
	const found = searchTenantNames(db(), query, TENANT_SEARCH_LIMIT);
	const chosen = found.tenants.some((t) => t.id === chosenId) ? [] : findCurrentTenants(db(), chosenId ? [chosenId] : []);
	return {
		tenants: [...chosen, ...found.tenants].map((t) => ({ id: t.id, name: t.name })),
		tenantSearch: { query, found: found.tenants.length, more: found.more, limit: TENANT_SEARCH_LIMIT }
	};
}

export const load: PageServerLoad = (event) => {
	authorize(event, 'agreement.manage');
	const params = event.url.searchParams;
	// ?tenant= comes from a tenant's page; ?tenantId= from the search, which carries the whole form along.
	const chosen = getTenant(db(), params.get('tenantId') || params.get('tenant') || '');
	const templates = listTemplates(db());
	const query = (params.get('tenantQuery') ?? '').trim().slice(0, 100);
	return {
		...tenantOptions(query, chosen && !chosen.archivedAt ? chosen.id : ''),
		templates: templates.map((t) => ({ id: t.id, label: `${t.title} — v${t.version} (${t.language})${t.isDefault ? ' ★' : ''}` })),
		values: {
			tenantId: chosen?.id ?? '',
			templateId:
				params.get('templateId') ||
				((chosen && defaultTemplate(db(), chosen.agreementLanguage)?.id) ?? defaultTemplate(db(), 'fi')?.id ?? ''),
			tenantQuery: query
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		authorize(event, 'agreement.manage');
		const form = await event.request.formData();
		const parsed = parseForm(newAgreementSchema, form);
		// A refused form keeps the select as the posted search and choice left it.
		const again = (errors: Record<string, string>) =>
			fail(400, {
				errors,
				values: parsed.values,
				...tenantOptions(
					String(form.get('tenantQuery') ?? '')
						.trim()
						.slice(0, 100),
					String(form.get('tenantId') ?? '')
				)
			});
		if (!parsed.ok) return again(parsed.errors);
		const result = createDraft(db(), actorOf(event), parsed.data);
		if (!result.ok) return again(result.reason === 'no_tenant' ? { tenantId: m.error_choose_one() } : { templateId: m.error_choose_one() });
		redirect(303, `/agreements/${result.id}`);
	}
};
