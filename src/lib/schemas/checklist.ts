import { z } from 'zod';
import { optionalText, requiredText } from './fields';

/** Absent (the form has no such field) and empty both mean "no date". */
const optionalDate = z
	.union([z.literal(''), z.iso.date({ error: 'error_date_invalid' })])
	.optional()
	.transform((v) => v || null);

export const evidenceSchema = z.object({
	itemId: z.uuid(),
	reference: optionalText(500),
	date: optionalDate,
	link: z
		.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'error_link_invalid' }).max(2000, { error: 'error_too_long' })])
		.default('')
});

export const itemSchema = z.object({ itemId: z.uuid() });

export const returnSchema = z.object({ itemId: z.uuid(), reason: requiredText(1000) });

export const planSchema = z.object({
	itemId: z.uuid(),
	ownerId: z.union([z.literal(''), z.uuid()]).transform((v) => v || null),
	dueDate: optionalDate
});

export const commentSchema = z.object({ itemId: z.uuid(), body: requiredText(2000) });
