import { z } from 'zod';
import { checkbox, requiredText } from './fields';

export const serviceSchema = z.object({
	code: z
		.string()
		.trim()
		.min(1, { error: 'error_required' })
		.max(60, { error: 'error_too_long' })
		.regex(/^[a-z0-9_]+$/, { error: 'error_code_format' }),
	nameFi: requiredText(),
	nameSv: requiredText(),
	nameEn: requiredText(),
	needsReview: checkbox
});
