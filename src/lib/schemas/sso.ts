import { z } from 'zod';
import { ROLES } from '$lib/domain';

const blankToNull = (v: string) => v || null;

/** One organisation's single sign-on choices ('main' or a tenant id); error messages are catalogue keys. */
export const ssoPolicySchema = z.object({
	organisation: z.string().min(1).max(64),
	autoCreateRole: z.union([z.literal(''), z.enum(ROLES, { error: 'error_invalid_value' })]).transform((v) => v || null),
	ssoOnly: z
		.string()
		.optional()
		.transform((v) => v === 'on'),
	signingProvider: z.string().max(40, { error: 'error_invalid_value' }).default('').transform(blankToNull),
	signingMinAcr: z
		.string()
		.trim()
		.max(200, { error: 'error_too_long' })
		.regex(/^[\x21-\x7e]*$/, { error: 'sso_error_acr' })
		.default('')
		.transform(blankToNull)
});
