import { z } from 'zod';
import { isValidBusinessId, isValidOid } from '$lib/identifiers';

/**
 * Shared field rules. Every `error` is a message-catalogue key, translated where the form
 * answers (see $lib/server/http/forms.ts), so the same schema serves all three languages.
 */
export const requiredText = (max = 200) => z.string().trim().min(1, { error: 'error_required' }).max(max, { error: 'error_too_long' });

export const optionalText = (max = 200) => z.string().trim().max(max, { error: 'error_too_long' }).default('');

export const email = z
	.string()
	.trim()
	.min(1, { error: 'error_required' })
	.max(254, { error: 'error_too_long' })
	.pipe(z.email({ error: 'error_email_invalid' }))
	.transform((value) => value.toLowerCase());

export const businessId = requiredText(9).refine(isValidBusinessId, { error: 'error_business_id_invalid' });

export const oid = requiredText(200).refine(isValidOid, { error: 'error_oid_invalid' });

export const postalCode = z
	.string()
	.trim()
	.regex(/^\d{5}$/, { error: 'error_postal_code_invalid' });

export const phone = z
	.string()
	.trim()
	.max(40, { error: 'error_too_long' })
	.regex(/^[+()\d\s-]*$/, { error: 'error_phone_invalid' })
	.default('');

export const password = z.string().max(256, { error: 'error_password_too_long' });

/** Checkbox: present ("on") or absent. */
export const checkbox = z
	.string()
	.optional()
	.transform((value) => value === 'on' || value === 'true');

export const pageNumber = z.coerce.number().int().min(1).max(100_000).catch(1);
