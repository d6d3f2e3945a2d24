import { z } from 'zod';
import { AGREEMENT_STATUSES } from '$lib/domain';
import { checkbox, optionalText, password, requiredText } from './fields';

export const newAgreementSchema = z.object({
	tenantId: z.uuid({ error: 'error_choose_one' }),
	templateId: z.uuid({ error: 'error_choose_one' })
});

export const draftChoicesSchema = z.object({
	place: requiredText(100),
	noticeMonths: z.coerce
		.number({ error: 'error_notice_months' })
		.int({ error: 'error_notice_months' })
		.min(1, { error: 'error_notice_months' })
		.max(24, { error: 'error_notice_months' }),
	renewalsForwarded: checkbox,
	serviceAgreementReference: optionalText(200)
});

/** The step-up before an act that binds: password, and the code of those who use two-step sign-in. */
export const confirmationSchema = z.object({
	password: password.min(1, { error: 'error_required' }),
	/** Asked only of people who use two-factor sign-in; checked on the server either way. */
	code: z.string().trim().max(20, { error: 'error_too_long' }).default('')
});

export const signSchema = confirmationSchema.extend({
	typedName: requiredText(200),
	title: requiredText(200)
});

/** Signing where the organisation requires strong identification: the provider confirms who signs, not a password. */
export const signIdentifiedSchema = z.object({
	typedName: requiredText(200),
	title: requiredText(200)
});

export const reasonSchema = z.object({ reason: requiredText(1000) });

export const rescindSchema = confirmationSchema.extend(reasonSchema.shape);

export const serviceEndSchema = z.object({
	serviceAgreementEndDate: z.union([z.literal(''), z.iso.date({ error: 'error_date_invalid' })])
});

export const agreementListQuerySchema = z.object({ status: z.enum(AGREEMENT_STATUSES).optional().catch(undefined) });

export const templateUploadSchema = z.object({
	source: z.string().min(1, { error: 'error_required' }).max(200_000, { error: 'error_too_long' })
});
