import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { getTenant } from '$lib/server/tenants/tenants';
import { sortableTime, tenantCoverageRowParts, type AckStatus } from '$lib/server/instructions/report';
import { csvHeaders, csvStream } from '$lib/server/csv';
import { todayInHelsinki } from '$lib/time';
import { ackStatusLabel } from '$lib/i18n/instruction-labels';

const STATUSES: AckStatus[] = ['current', 'outdated', 'missing'];
/** Rows made into CSV and sent at a time. */
const PART_ROWS = 2_000;

/** One row per instruction and person of this tenant, with what they acknowledged and when. */
export const GET: RequestHandler = (event) => {
	const tenantId = event.params.id;
	authorize(event, 'instruction.coverage', { tenantId });
	if (!getTenant(db(), tenantId)) error(404, m.error_not_found());
	const header = [
		m.instruction_title(),
		m.field_full_name(),
		m.field_email(),
		m.field_status(),
		m.instruction_acknowledged_version(),
		m.instruction_acknowledged_at()
	];
	// Labels are made now, while the request's locale holds: the parts are made as the file is sent.
	const statusLabels = new Map(STATUSES.map((status) => [status, ackStatusLabel(status)]));
	type Row = ReturnType<typeof tenantCoverageRowParts> extends Generator<(infer R)[]> ? R : never;
	const cells = (p: Row) => [
		p.title,
		p.name,
		p.email,
		statusLabels.get(p.status)!,
		p.acknowledgedVersion === null ? '' : String(p.acknowledgedVersion),
		sortableTime(p.acknowledgedAt)
	];
	// The largest tenants have thousands of people, each once per instruction: read and sent in parts
	// (each part's acknowledgements read for its own people), so the first bytes leave at once.
	const locale = getLocale();
	const parts = (function* () {
		for (const rows of tenantCoverageRowParts(db(), tenantId, locale, PART_ROWS)) yield rows.map(cells);
	})();
	return new Response(csvStream(header, parts), {
		headers: csvHeaders(`instruction-coverage-${todayInHelsinki()}.csv`)
	});
};
