import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { getTenant } from '$lib/server/tenants/tenants';
import { sortableTime, tenantCoverage } from '$lib/server/instructions/report';
import { toCsv } from '$lib/server/csv';
import { todayInHelsinki } from '$lib/time';
import { ackStatusLabel } from '$lib/i18n/instruction-labels';

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
	const body = tenantCoverage(db(), tenantId, getLocale()).flatMap((row) =>
		row.people.map((p) => [
			row.title,
			p.name,
			p.email,
			ackStatusLabel(p.status),
			p.acknowledgedVersion === null ? '' : String(p.acknowledgedVersion),
			sortableTime(p.acknowledgedAt)
		])
	);
	return new Response(toCsv([header, ...body]), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="instruction-coverage-${todayInHelsinki()}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
