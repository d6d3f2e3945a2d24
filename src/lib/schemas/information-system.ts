import { z } from 'zod';
import { SYSTEM_CLASSES, SYSTEM_PURPOSES } from '$lib/domain';
import { optionalText, requiredText } from './fields';

export const informationSystemSchema = z.object({
	id: z
		.union([z.literal(''), z.uuid()])
		.default('')
		.transform((v) => v || null),
	name: requiredText(),
	systemClass: z.enum(SYSTEM_CLASSES, { error: 'error_choose_one' }),
	purpose: z.enum(SYSTEM_PURPOSES, { error: 'error_choose_one' }),
	certificateValidUntil: z
		.string()
		.trim()
		.min(1, { error: 'error_required' })
		.pipe(z.iso.date({ error: 'error_date_invalid' })),
	certificateReference: optionalText()
});

export const informationSystemIdSchema = z.object({ id: z.uuid() });
