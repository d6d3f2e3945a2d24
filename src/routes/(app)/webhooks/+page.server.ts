import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import {
	createWebhookEndpoint,
	enableWebhookEndpoint,
	listWebhookDeliveries,
	listWebhookEndpoints,
	redeliverWebhook,
	removeWebhookEndpoint,
	rotateWebhookSecret
} from '$lib/server/webhooks/endpoints';
import { DISABLE_AFTER_FAILING_DAYS } from '$lib/server/webhooks/delivery';
import { webhookDeliveryIdSchema, webhookEndpointSchema, webhookIdSchema } from '$lib/schemas/webhook';

const URL_REFUSALS = {
	not_a_url: m.webhooks_error_url,
	not_https: m.webhooks_error_https,
	private_address: m.webhooks_error_private,
	credentials: m.webhooks_error_url
} as const;

/** Administrators manage their own organisation's endpoints: the main connector's, or their tenant's. */
const own = (event: Pick<RequestEvent, 'locals' | 'url'>) => {
	const owner = event.locals.user?.tenantId ?? null;
	return { user: authorize(event, 'webhook.manage', { tenantId: owner }), owner };
};

export const load: PageServerLoad = (event) => {
	const { owner } = own(event);
	return {
		endpoints: listWebhookEndpoints(db(), owner),
		deliveries: listWebhookDeliveries(db(), owner, 50),
		disableAfterDays: DISABLE_AFTER_FAILING_DAYS,
		forTenant: owner !== null
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { user, owner } = own(event);
		const parsed = parseForm(webhookEndpointSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const created = createWebhookEndpoint(db(), actorOf(event), user.id, { ...parsed.data, tenantId: owner });
		if (!created.ok) return invalid({ url: URL_REFUSALS[created.reason]() }, parsed.values);
		return { secret: { url: parsed.data.url, value: created.secret } };
	},
	rotate: async (event) => {
		const { owner } = own(event);
		const parsed = parseForm(webhookIdSchema, await event.request.formData());
		const secret = parsed.ok ? rotateWebhookSecret(db(), actorOf(event), parsed.data.id, owner) : null;
		if (!secret) error(404, m.error_not_found());
		return { secret: { url: '', value: secret } };
	},
	enable: async (event) => {
		const { owner } = own(event);
		const parsed = parseForm(webhookIdSchema, await event.request.formData());
		if (!parsed.ok || !enableWebhookEndpoint(db(), actorOf(event), parsed.data.id, owner)) error(404, m.error_not_found());
		return { enabled: true };
	},
	remove: async (event) => {
		const { owner } = own(event);
		const parsed = parseForm(webhookIdSchema, await event.request.formData());
		if (!parsed.ok || !removeWebhookEndpoint(db(), actorOf(event), parsed.data.id, owner)) error(404, m.error_not_found());
		return { removed: true };
	},
	redeliver: async (event) => {
		const { owner } = own(event);
		const parsed = parseForm(webhookDeliveryIdSchema, await event.request.formData());
		if (!parsed.ok || !redeliverWebhook(db(), actorOf(event), parsed.data.id, owner)) error(404, m.error_not_found());
		return { redelivered: true };
	}
};
