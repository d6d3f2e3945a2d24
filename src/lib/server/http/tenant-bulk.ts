import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import type { Action } from '$lib/server/auth/authorize';
import { BULK_LIMIT, resolveTenantSelection, type SelectedTenant, type TenantSelection } from '$lib/server/bulk/tenant-selection';
import { planTenantReminders, type TenantReminderPlan } from '$lib/server/bulk/tenant-reminders';
import type { TenantBulkInput, TenantBulkIntent } from '$lib/schemas/tenant-bulk';

/** The tenant list's page size: "all on this page" means these rows. */
export const TENANT_PAGE_SIZE = 25;

/** What each bulk action needs the person to be allowed. */
export const BULK_ACTION: Record<TenantBulkIntent, Action> = {
	remind: 'tenant.remind',
	export: 'tenant.export',
	campaign: 'campaign.manage'
};

function selectionOf(input: TenantBulkInput): TenantSelection {
	const filter = { query: input.q, stage: input.stage, archived: input.archived === '1' };
	if (input.scope === 'all') return { scope: 'all', filter };
	if (input.scope === 'page') return { scope: 'page', filter, page: input.page, pageSize: TENANT_PAGE_SIZE };
	return { scope: 'chosen', ids: input.tenant };
}

/** The selection the form names, resolved again now; a refusal is a message for the form. */
export function selectedTenants(input: TenantBulkInput): { ok: true; tenants: SelectedTenant[] } | { ok: false; message: string } {
	const resolved = resolveTenantSelection(db(), selectionOf(input));
	if (resolved.ok) return resolved;
	return {
		ok: false,
		message: resolved.reason === 'empty' ? m.tenant_bulk_none() : m.tenant_bulk_too_many({ count: resolved.count, limit: BULK_LIMIT })
	};
}

/** The fields that carry a confirmed selection to the next step: the same rows again, or the same filter. */
export interface CarriedSelection {
	scope: 'chosen' | 'all';
	tenant: string[];
	q: string;
	stage: string;
	archived: string;
}

export interface BulkConfirmation {
	intent: TenantBulkIntent;
	/** How many tenants the action would act on now. */
	count: number;
	/** Left out, with the reason (reminders only; a campaign leaves out archived tenants). */
	skipped: { recent: number; noRecipients: number; nothingOpen: number; archived: number };
	carried: CarriedSelection;
}

export function skippedOf(plan: TenantReminderPlan): BulkConfirmation['skipped'] {
	return {
		recent: plan.recentlyReminded.length,
		noRecipients: plan.noRecipients.length,
		nothingOpen: plan.nothingOpen.length,
		archived: plan.archived.length
	};
}

/**
 * The confirmation step: the count the action would have now and what it would leave out. A page of
 * rows is carried on as those rows (what the person saw); "all matching" as the filter, found again.
 */
export function confirmationFor(input: TenantBulkInput, tenants: SelectedTenant[]): BulkConfirmation {
	const carried: CarriedSelection = {
		scope: input.scope === 'all' ? 'all' : 'chosen',
		tenant: input.scope === 'all' ? [] : tenants.map((t) => t.id),
		q: input.q,
		stage: input.stage ?? '',
		archived: input.archived ?? ''
	};
	const none = { recent: 0, noRecipients: 0, nothingOpen: 0, archived: 0 };
	if (input.intent === 'remind') {
		const plan = planTenantReminders(db(), tenants);
		return { intent: 'remind', count: plan.toRemind.length, skipped: skippedOf(plan), carried };
	}
	if (input.intent === 'campaign') {
		const archived = tenants.filter((t) => t.archived).length;
		return { intent: 'campaign', count: tenants.length - archived, skipped: { ...none, archived }, carried };
	}
	return { intent: 'export', count: tenants.length, skipped: none, carried };
}
