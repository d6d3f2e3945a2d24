import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { parseForm } from '$lib/server/http/forms';
import { createCampaign } from '$lib/server/campaigns/campaigns';
import { defaultTemplate, listTemplates } from '$lib/server/agreements/templates-store';
import { findCurrentTenants, listTenantNames } from '$lib/server/tenants/tenants';
import { BULK_LIMIT, resolveTenantSelection } from '$lib/server/bulk/tenant-selection';
import { tenantListQuerySchema } from '$lib/schemas/tenant';
import { campaignSchema } from '$lib/schemas/campaign';

/**
 * The checkbox list is for picking a few; "all with an agreement in force" covers the many. Beyond
 * this many tenants (a list of thousands was megabytes of HTML) it shows only those chosen on the
 * tenant list, where they are found by search.
 */
const TENANT_LIST_LIMIT = 200;

/** Every current tenant when there are few, else only the chosen ones (`fromListOnly`). */
function tenantChoices(chosen: string[]) {
	const first = listTenantNames(db(), TENANT_LIST_LIMIT + 1);
	if (first.length <= TENANT_LIST_LIMIT) return { tenants: first, fromListOnly: false };
	return { tenants: findCurrentTenants(db(), chosen), fromListOnly: true };
}

function options(chosen: string[]) {
	return {
		...tenantChoices(chosen),
		templates: listTemplates(db()).map((t) => ({
			value: t.id,
			label: `${t.title} — v${t.version} (${t.language})${t.isDefault ? ' ★' : ''}`
		}))
	};
}

/**
 * The tenants chosen on the tenant list: ?tenant=…&tenant=… for ticked rows, or ?all=1 with the list's
 * filter for every tenant it matches (found again here; archived tenants get no campaign).
 */
function chosenOnList(url: URL): { ids: string[]; refusal?: string } {
	if (url.searchParams.get('all') !== '1') return { ids: url.searchParams.getAll('tenant') };
	const filter = tenantListQuerySchema.parse(Object.fromEntries(url.searchParams));
	const resolved = resolveTenantSelection(db(), { scope: 'all', filter: { query: filter.q, stage: filter.stage, archived: false } });
	if (!resolved.ok)
		return {
			ids: [],
			refusal: resolved.reason === 'empty' ? m.tenant_bulk_none() : m.tenant_bulk_too_many({ count: resolved.count, limit: BULK_LIMIT })
		};
	return { ids: resolved.tenants.filter((t) => !t.archived).map((t) => t.id) };
}

export const load: PageServerLoad = (event) => {
	authorize(event, 'campaign.manage');
	// From the tenant list's "start a campaign" for the tenants selected there (after its confirmation step).
	const { ids: chosen, refusal } = chosenOnList(event.url);
	return {
		...options(chosen),
		fromList: chosen.length,
		listRefusal: refusal ?? null,
		values: {
			name: '',
			templateId: defaultTemplate(db(), 'fi')?.id ?? '',
			scope: chosen.length ? 'chosen' : 'in_force',
			tenantIds: chosen,
			message: '',
			remindAfterDays: '14'
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		authorize(event, 'campaign.manage');
		const parsed = parseForm(campaignSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = createCampaign(db(), actorOf(event), parsed.data);
		if (!result.ok)
			return fail(400, {
				errors: result.reason === 'no_template' ? { templateId: m.error_choose_one() } : { form: m.campaign_error_no_tenants() },
				values: parsed.values
			});
		redirect(303, `/agreements/campaigns/${result.id}?created=${result.drafts}`);
	}
};
