import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { findCurrentTenants, findTenantsByBusinessIds, listTenantNames } from '$lib/server/tenants/tenants';
import type { FieldErrors } from './forms';

/** Up to this many current tenants, a form lists them all; beyond it, business IDs are typed in. */
const TENANT_PICKER_LIMIT = 200;

const MAX_BUSINESS_IDS = 10_000;

interface TenantChoices {
	tenants: { id: string; name: string }[];
	/** False when there are too many tenants to list: only those chosen so far are shown. */
	complete: boolean;
}

/** The tenants a "which tenants" field shows: every current one while they fit, else the chosen ones. */
export function tenantChoices(chosenIds: string[] = []): TenantChoices {
	const first = listTenantNames(db(), TENANT_PICKER_LIMIT + 1);
	if (first.length <= TENANT_PICKER_LIMIT) return { tenants: first, complete: true };
	return { tenants: findCurrentTenants(db(), chosenIds), complete: false };
}

/**
 * The tenants a form chose, unless it chose all: those ticked and those named by business ID
 * (pasted, separated by spaces, commas or lines). Ticked ids that are no current tenant are
 * dropped; a business ID that names none is an error shown beside its field.
 */
export function resolveTargets(data: {
	allTenants: boolean;
	tenantIds: string[];
	tenantBusinessIds: string;
}): { ok: true; tenantIds: string[] } | { ok: false; errors: FieldErrors } {
	if (data.allTenants) return { ok: true, tenantIds: [] };
	const businessIds = data.tenantBusinessIds.split(/[\s,;]+/).filter(Boolean);
	// As many as there are tenants at national scale, and well within SQLite's parameter limit.
	if (businessIds.length > MAX_BUSINESS_IDS) return { ok: false, errors: { tenantBusinessIds: m.error_too_many_rows() } };
	const named = findTenantsByBusinessIds(db(), businessIds);
	if (named.unknown.length)
		return { ok: false, errors: { tenantBusinessIds: m.error_unknown_business_ids({ ids: named.unknown.join(', ') }) } };
	const ticked = findCurrentTenants(db(), data.tenantIds).map((t) => t.id);
	return { ok: true, tenantIds: [...new Set([...ticked, ...named.ids])] };
}
