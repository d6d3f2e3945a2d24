import { z } from 'zod';
import { optionalText, requiredText } from './fields';

export const campaignSchema = z
	.object({
		name: requiredText(200),
		templateId: z.uuid({ error: 'error_choose_one' }),
		scope: z.enum(['in_force', 'chosen'], { error: 'error_choose_one' }),
		tenantIds: z
			.array(z.uuid({ error: 'error_choose_one' }))
			.max(20_000)
			.default([]),
		message: optionalText(2000),
		remindAfterDays: z.coerce
			.number({ error: 'campaign_error_remind_days' })
			.int({ error: 'campaign_error_remind_days' })
			.min(1, { error: 'campaign_error_remind_days' })
			.max(90, { error: 'campaign_error_remind_days' })
	})
	.refine((input) => input.scope !== 'chosen' || input.tenantIds.length > 0, {
		error: 'campaign_error_choose_tenants',
		path: ['tenantIds']
	});

/** A value common to many drafts: filled in only where a draft lacks it. */
export const campaignFillSchema = z
	.object({ place: optionalText(100), serviceAgreementReference: optionalText(200) })
	.refine((input) => input.place !== '' || input.serviceAgreementReference !== '', { error: 'campaign_fill_empty', path: ['place'] });
