import { z } from 'zod';
import { TENANT_ROLES } from '$lib/domain';
import { checkbox, optionalText, requiredText } from './fields';

export const trainingModuleSchema = z.object({
	code: z
		.string()
		.trim()
		.min(1, { error: 'error_required' })
		.max(60, { error: 'error_too_long' })
		.regex(/^[a-z0-9_]+$/, { error: 'error_code_format' }),
	nameFi: requiredText(),
	nameSv: requiredText(),
	nameEn: requiredText(),
	descriptionFi: optionalText(2000),
	descriptionSv: optionalText(2000),
	descriptionEn: optionalText(2000),
	// Empty: the training never expires.
	validityMonths: z
		.union([z.literal(''), z.coerce.number().int().min(1).max(240)], { error: 'training_error_validity' })
		.transform((v) => (v === '' ? null : v)),
	requiredForRoles: z.array(z.enum(TENANT_ROLES)).default([]),
	active: checkbox
});

const completedOn = z.iso.date({ error: 'error_date_invalid' });

/** An administrator's entry for one of their tenant's people. */
export const trainingRecordSchema = z.object({
	userId: z.uuid({ error: 'error_choose_one' }),
	moduleId: z.uuid({ error: 'error_choose_one' }),
	completedOn
});

/** A person's own declaration; it waits for the administrator's confirmation. */
export const trainingDeclarationSchema = z.object({
	moduleId: z.uuid({ error: 'error_choose_one' }),
	completedOn
});

export const trainingConfirmSchema = z.object({ recordId: z.uuid() });
