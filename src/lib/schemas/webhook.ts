import { z } from 'zod';
import { WEBHOOK_EVENTS } from '$lib/domain';

export const webhookEndpointSchema = z.object({
	url: z.string().trim().min(1, { error: 'error_required' }).max(500, { error: 'error_too_long' }),
	events: z
		.array(z.enum(WEBHOOK_EVENTS, { error: 'error_choose_one' }))
		.default([])
		.refine((events) => events.length > 0, { error: 'webhooks_error_events' })
});

export const webhookIdSchema = z.object({ id: z.uuid() });
export const webhookDeliveryIdSchema = z.object({ id: z.string().regex(/^msg_[0-9a-f]{32}$/) });
