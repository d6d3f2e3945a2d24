import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { createApiToken, listApiTokens, revokeApiToken, scopesAllowedFor } from '$lib/server/api-tokens/tokens';
import { addDays, startOfHelsinkiDay, todayInHelsinki } from '$lib/time';
import { apiTokenIdSchema, apiTokenSchema } from '$lib/schemas/api-token';

/** Administrators manage their own organisation's tokens: the main connector's, or their tenant's. */
const own = (event: Pick<RequestEvent, 'locals' | 'url'>) => {
	const tenantId = event.locals.user?.tenantId ?? null;
	return { user: authorize(event, 'api_token.manage', { tenantId }), tenantId };
};

export const load: PageServerLoad = (event) => {
	const { tenantId } = own(event);
	return { tokens: listApiTokens(db(), tenantId), scopes: scopesAllowedFor(tenantId), today: todayInHelsinki() };
};

export const actions = {
	create: async (event) => {
		const { user } = own(event);
		const parsed = parseForm(apiTokenSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const { name, scopes, expiresOn } = parsed.data;
		if (expiresOn && expiresOn <= todayInHelsinki()) return invalid({ expiresOn: m.api_tokens_error_expiry() }, parsed.values);
		// The token works through the day chosen and stops at the start of the next (Helsinki time).
		const expiresAt = expiresOn ? startOfHelsinkiDay(addDays(expiresOn, 1)) : null;
		const created = createApiToken(db(), actorOf(event), user, { name, scopes, expiresAt });
		if (!created.ok) return invalid({ scopes: m.api_tokens_error_scopes() }, parsed.values);
		return { created: { name, token: created.token } };
	},
	revoke: async (event) => {
		const { tenantId } = own(event);
		const parsed = parseForm(apiTokenIdSchema, await event.request.formData());
		if (!parsed.ok || !revokeApiToken(db(), actorOf(event), tenantId, parsed.data.id)) error(404, m.error_not_found());
		return { revoked: true };
	}
} satisfies Actions;
