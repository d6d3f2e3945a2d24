import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { INCIDENT_STATUSES } from '$lib/domain';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import {
	addAction,
	getReport,
	getVisibleReport,
	listEvents,
	mayAssist,
	reportRef,
	setStatus,
	type StepResult
} from '$lib/server/incidents/incidents';
import type { ReasonMessages } from '$lib/form-answer';
import { listDecisions, mayDecideFor, recordDecision } from '$lib/server/incidents/decisions';
import { listOnwardNotices, recordOnwardNotice } from '$lib/server/incidents/onward';
import { controllersShownTo, MAIN_CONNECTOR_CONTROLLER, reportControllers } from '$lib/server/incidents/parties';
import { decisionDeadline } from '$lib/server/incidents/deadline';
import { helsinkiWallClock } from '$lib/time';
import { decisionSchema, noteSchema, onwardNoticeSchema, statusSchema } from '$lib/schemas/incident';

/** Why a step was refused, in the reader's words. */
const REFUSALS: ReasonMessages<Extract<StepResult, { ok: false }>['reason']> = {
	not_found: m.error_not_found,
	wrong_state: m.incident_wrong_state,
	decision_missing: m.incident_close_needs_decision,
	not_a_breach: m.incident_not_a_breach,
	already_decided: m.incident_already_decided,
	not_controller: m.incident_not_controller
};

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'incident.report');
	// Someone else's report answers exactly like one that does not exist.
	const report = getVisibleReport(db(), user, event.params.id);
	if (!report) error(404, m.error_not_found());
	const open = report.status !== 'closed';
	const decisions = listDecisions(db(), report.id);
	const controllers = controllersShownTo(user, reportControllers(db(), report)).map((c) => {
		const decision = decisions.find((d) => d.controllerKey === c.key) ?? null;
		return {
			key: c.key,
			name: c.name,
			decision,
			mayDecide: report.kind === 'data_breach' && open && decision === null && mayDecideFor(user, c)
		};
	});
	const mayOnward = can(user, 'incident.notify_onward', { tenantId: report.tenantId });
	return {
		now: new Date(),
		report: {
			...report,
			ref: reportRef(report.id),
			deadline: report.kind === 'data_breach' ? decisionDeadline(report.noticedAt) : null
		},
		controllers,
		decided: controllers.every((c) => c.decision !== null),
		onward: listOnwardNotices(db(), report.id),
		events: listEvents(db(), report.id, user).map((e) => ({ id: e.id, at: e.at, actor: e.actorLabel, action: e.action, note: e.note })),
		statuses: INCIDENT_STATUSES.filter((s) => s !== report.status),
		onwardDefaults: { notifiedAt: helsinkiWallClock(new Date()), notifiedBy: user.name },
		may: {
			handle: open && can(user, 'incident.handle', { tenantId: report.tenantId }),
			assist: open && mayAssist(db(), user, report.id),
			onward: mayOnward
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

export const actions = {
	note: async (event) => {
		const user = authorize(event, 'incident.report');
		const parsed = parseForm(noteSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'note');
		const result = addAction(db(), actorOf(event), user, event.params.id, parsed.data.note);
		if (!result.ok && result.reason === 'not_found') error(404, m.error_not_found());
		if (!result.ok) return invalid({ form: REFUSALS[result.reason]() }, parsed.values, 'note');
		return answer('note', { added: true });
	},
	status: async (event) => {
		const report = handled(event);
		const parsed = parseForm(statusSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'status');
		const result = setStatus(db(), actorOf(event), report.id, parsed.data.status);
		if (!result.ok) return invalid({ form: REFUSALS[result.reason]() }, parsed.values, 'status');
		return answer('status', { changed: true });
	},
	decision: async (event) => {
		const formData = await event.request.formData();
		const controller = String(formData.get('controller') ?? '');
		// Only the controller's own administrators: the main connector for its own activity, a tenant for its own.
		const user = authorize(event, 'incident.decide', { tenantId: controller === MAIN_CONNECTOR_CONTROLLER ? null : controller });
		const parsed = parseForm(decisionSchema, formData);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, `decision:${controller}`);
		const result = recordDecision(db(), actorOf(event), user, event.params.id, parsed.data.controller, parsed.data.input);
		if (!result.ok && result.reason === 'not_found') error(404, m.error_not_found());
		if (!result.ok) return invalid({ form: REFUSALS[result.reason]() }, parsed.values, `decision:${controller}`);
		return answer(`decision:${controller}`, { decided: true });
	},
	onward: async (event) => {
		const user = authorize(event, 'incident.notify_onward');
		const parsed = parseForm(onwardNoticeSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'onward');
		const result = recordOnwardNotice(db(), actorOf(event), user, event.params.id, parsed.data);
		if (!result.ok && result.reason === 'not_found') error(404, m.error_not_found());
		if (!result.ok) return invalid({ form: REFUSALS[result.reason]() }, parsed.values, 'onward');
		return answer('onward', { recorded: true });
	}
} satisfies Actions;
