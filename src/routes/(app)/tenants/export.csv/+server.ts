import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { parseForm } from '$lib/server/http/forms';
import { selectedTenants } from '$lib/server/http/tenant-bulk';
import { exportTenants } from '$lib/server/bulk/tenant-export';
import { toCsv } from '$lib/server/csv';
import { stageLabel } from '$lib/i18n/labels';
import { formatDate } from '$lib/i18n/format';
import { todayInHelsinki } from '$lib/time';
import { tenantBulkSchema } from '$lib/schemas/tenant-bulk';

/**
 * The tenant list's export, posted from its confirmation step: the selection is found again here
 * (the rows or the filter, never a count from the browser), each tenant exported is audited, and
 * the cells go through the formula-neutralising CSV writer.
 */
export const POST: RequestHandler = async (event) => {
	authorize(event, 'tenant.export');
	const parsed = parseForm(tenantBulkSchema, await event.request.formData());
	if (!parsed.ok) error(400, m.error_invalid_value());
	const selection = selectedTenants(parsed.data);
	if (!selection.ok) error(400, selection.message);
	const header = [
		m.field_organisation_name(),
		m.field_business_id(),
		m.field_oid(),
		m.field_street_address(),
		m.field_postal_code(),
		m.field_city(),
		m.field_soteri(),
		m.field_stage(),
		m.tenant_export_archived()
	];
	const rows = exportTenants(db(), actorOf(event), selection.tenants).map((t) => [
		t.name,
		t.businessId,
		t.oid,
		t.streetAddress,
		t.postalCode,
		t.city,
		t.soteriRegistration,
		stageLabel(t.stage),
		t.archivedAt ? formatDate(t.archivedAt) : ''
	]);
	return new Response(toCsv([header, ...rows]), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="tenants-${todayInHelsinki()}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
