import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { INCIDENT_STATUSES } from '$lib/domain';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { addAction, awaitsDecision, getReport, getVisibleReport, listEvents, recordDecision, reportRef, setStatus } from '$lib/server/incidents/incidents';
import { decisionDeadline } from '$lib/server/incidents/deadline';
import { getTenant } from '$lib/server/tenants/tenants';
import { decisionSchema, noteSchema, statusSchema } from '$lib/schemas/incident';

/** Why a step was refused, in the reader's words. */
const REFUSALS = {
	not_found: m.error_not_found,
	wrong_state: m.incident_wrong_state,
	decision_missing: m.incident_close_needs_decision,
	not_a_breach: m.incident_not_a_breach,
	already_decided: m.incident_already_decided
} as const;

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'incident.report');
	// Someone else's report answers exactly like one that does not exist.
	const report = getVisibleReport(db(), user, event.params.id);
	if (!report) error(404, m.error_not_found());
	const handle = can(user, 'incident.handle', { tenantId: report.tenantId });
	return {
		now: new Date(),
		report: {
			...report,
			ref: reportRef(report.id),
			tenantName: report.tenantId ? (getTenant(db(), report.tenantId)?.name ?? '') : null,
			deadline: report.kind === 'data_breach' ? decisionDeadline(report.noticedAt) : null
		},
		events: listEvents(db(), report.id).map((e) => ({ id: e.id, at: e.at, actor: e.actorLabel, action: e.action, note: e.note })),
		statuses: INCIDENT_STATUSES.filter((s) => s !== report.status),
		may: {
			handle: handle && report.status !== 'closed',
			decide: handle && awaitsDecision(report)
		}
	};
};

/** The caller must be a handler; the report must exist. Handlers see every report, so 404 leaks nothing. */
function handled(event: RequestEvent<{ id: string }>) {
	const report = getReport(db(), event.params.id);
	authorize(event, 'incident.handle', { tenantId: report?.tenantId ?? null });
	if (!report) error(404, m.error_not_found());
	return report;
}

export const actions: Actions = {
	note: async (event) => {
		const report = handled(event);
		const parsed = parseForm(noteSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'note');
		const result = addAction(db(), actorOf(event), report.id, parsed.data.note);
		if (!result.ok) return invalid({ form: REFUSALS[result.reason]() }, parsed.values, 'note');
		return { section: 'note', added: true };
	},
	status: async (event) => {
		const report = handled(event);
		const parsed = parseForm(statusSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'status');
		const result = setStatus(db(), actorOf(event), report.id, parsed.data.status);
		if (!result.ok) return invalid({ form: REFUSALS[result.reason]() }, parsed.values, 'status');
		return { section: 'status', changed: true };
	},
	decision: async (event) => {
		const report = handled(event);
		const parsed = parseForm(decisionSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'decision');
		const result = recordDecision(db(), actorOf(event), report.id, parsed.data);
		if (!result.ok) return invalid({ form: REFUSALS[result.reason]() }, parsed.values, 'decision');
		return { section: 'decision', decided: true };
	}
};
