import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { getInstruction } from '$lib/server/instructions/instructions';
import { coverageRowParts, sortableTime, type AckStatus } from '$lib/server/instructions/report';
import { csvHeaders, csvStream } from '$lib/server/csv';
import { todayInHelsinki } from '$lib/time';
import { ackStatusLabel } from '$lib/i18n/instruction-labels';

const STATUSES: AckStatus[] = ['current', 'outdated', 'missing'];

/**
 * Every person of every tenant the instruction reaches, with what they acknowledged and when. For an
 * instruction to every tenant that is the whole country: sent in parts, a few hundred tenants at a time.
 */
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
	// Made now, while the request's locale holds: the parts are made as the file is sent.
	const statusLabels = new Map(STATUSES.map((status) => [status, ackStatusLabel(status)]));
	const parts = (function* () {
		for (const rows of coverageRowParts(db(), item))
			yield rows.map((r) => [
				r.tenantName,
				r.name,
				r.email,
				statusLabels.get(r.status)!,
				r.acknowledgedVersion === null ? '' : String(r.acknowledgedVersion),
				sortableTime(r.acknowledgedAt)
			]);
	})();
	return new Response(csvStream(header, parts), { headers: csvHeaders(`instruction-coverage-${todayInHelsinki()}.csv`) });
};
