import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { authorize, actorOf } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { listProviders } from '$lib/server/auth/oidc-providers';
import { ssoOrganisations } from '$lib/server/auth/oidc-organisations';
import { setPolicy } from '$lib/server/auth/oidc-policy';
import { ssoPolicySchema } from '$lib/schemas/sso';
import * as m from '$lib/paraglide/messages.js';

export const load: PageServerLoad = (event) => {
	authorize(event, 'sso.manage');
	return { organisations: ssoOrganisations(db(), listProviders()) };
};

export const actions: Actions = {
	default: async (event) => {
		authorize(event, 'sso.manage');
		const parsed = parseForm(ssoPolicySchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, String(parsed.values.organisation ?? ''));
		const { organisation, ...input } = parsed.data;
		// Only an organisation some provider serves can be set, and only with a provider serving it.
		const served = ssoOrganisations(db(), listProviders()).find((o) => o.key === organisation);
		if (!served) return fail(404, { errors: { form: m.error_not_found() }, values: parsed.values, section: organisation });
		authorize(event, 'sso.manage', { tenantId: served.tenantId });
		if (input.signingProvider && !served.providers.some((p) => p.id === input.signingProvider))
			return invalid({ signingProvider: m.error_invalid_value() }, parsed.values, organisation);
		const result = setPolicy(db(), actorOf(event), organisation, input);
		if (!result.ok)
			return invalid(
				result.problem === 'role_of_other_organisation'
					? { autoCreateRole: m.error_invalid_value() }
					: { signingMinAcr: m.sso_error_acr_needs_provider() },
				parsed.values,
				organisation
			);
		return { saved: organisation };
	}
};
