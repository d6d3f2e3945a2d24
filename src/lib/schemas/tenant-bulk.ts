import { z } from 'zod';
import { TENANT_STAGES } from '$lib/domain';
import { pageNumber } from './fields';

export const TENANT_BULK_INTENTS = ['remind', 'export', 'campaign'] as const;
export type TenantBulkIntent = (typeof TENANT_BULK_INTENTS)[number];

/**
 * A bulk action on the tenant list: what to do, and which tenants (ticked rows, this page, or all the
 * filter matches, with the filter as the list had it). `count` is what the person confirmed; it is
 * compared with what the server finds again, never used as the selection.
 */
export const tenantBulkSchema = z.object({
	intent: z.enum(TENANT_BULK_INTENTS, { error: 'error_choose_one' }),
	scope: z.enum(['chosen', 'page', 'all'], { error: 'error_choose_one' }),
	// Far above the bulk limit, which the domain enforces with its own message; this only bounds parsing.
	tenant: z
		.array(z.uuid({ error: 'error_invalid_value' }))
		.max(10_000, { error: 'error_invalid_value' })
		.default([]),
	q: z.string().trim().max(100).catch(''),
	stage: z.enum(TENANT_STAGES).optional().catch(undefined),
	archived: z.enum(['1']).optional().catch(undefined),
	page: pageNumber,
	count: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined)
});
export type TenantBulkInput = z.output<typeof tenantBulkSchema>;
