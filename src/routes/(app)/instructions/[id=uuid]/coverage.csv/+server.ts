import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { getInstruction } from '$lib/server/instructions/instructions';
import { coverageRows, sortableTime } from '$lib/server/instructions/report';
import { toCsv } from '$lib/server/csv';
import { todayInHelsinki } from '$lib/time';
import { ackStatusLabel } from '$lib/i18n/instruction-labels';

/** Every person of every tenant the instruction reaches, with what they acknowledged and when. */
export const GET: RequestHandler = (event) => {
	authorize(event, 'instruction.coverage');
	const item = getInstruction(db(), event.params.id);
	if (!item) error(404, m.error_not_found());
	const header = [
		m.party_tenant(),
		m.field_full_name(),
		m.field_email(),
		m.field_status(),
		m.instruction_acknowledged_version(),
		m.instruction_acknowledged_at()
	];
	const body = coverageRows(db(), item).map((r) => [
		r.tenantName,
		r.name,
		r.email,
		ackStatusLabel(r.status),
		r.acknowledgedVersion === null ? '' : String(r.acknowledgedVersion),
		sortableTime(r.acknowledgedAt)
	]);
	return new Response(toCsv([header, ...body]), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="instruction-coverage-${todayInHelsinki()}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
