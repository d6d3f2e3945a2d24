import { z } from 'zod';
import { API_SCOPES } from '$lib/domain';
import { requiredText } from './fields';

/** The form that creates an integration API token; errors are catalogue keys. */
export const apiTokenSchema = z.object({
	name: requiredText(100),
	scopes: z
		.array(z.enum(API_SCOPES, { error: 'error_choose_one' }))
		.default([])
		.refine((scopes) => scopes.length > 0, { error: 'api_tokens_error_scopes' }),
	expiresOn: z
		.string()
		.trim()
		.default('')
		.pipe(z.union([z.literal(''), z.iso.date({ error: 'error_date_invalid' })]))
});

export const apiTokenIdSchema = z.object({ id: z.uuid() });
