/**
 * The controller's decisions on a suspected personal-data breach (agreement §4.2 and §14, GDPR
 * art. 33–34): within 72 hours of noticing, whether the Data Protection Ombudsman is notified, and
 * whether the data subjects are informed. Each controller the report concerns decides for its own
 * documents, once: a tenant for its own activity, the main connector for its own staff's. The other
 * party sees the decision and is told of it, but cannot make it.
 */
import { and, eq, gt, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { incidentDecision, incidentReport, type IncidentDecision, type IncidentReport } from '../db/schema';
import type { DecisionInput } from '../../domain';
import { audit, SYSTEM_ACTOR, type Actor } from '../actor';
import { can } from '../auth/authorize';
import type { SessionUser } from '../auth/session';
import { sendMail, type MailMessage } from '../mail/mailer';
import { listDesignatedPersons } from '../organisation/organisation';
import { activePeopleWithRoles, claimReminder, notify } from '../notifications/notifications';
import { escalationStepsReached, hoursLeft } from './deadline';
import { getVisibleReport, logEvent, reportLink, reportRef, undecidedControllers, type StepResult } from './incidents';
import { reportControllers, tenantContacts, type Controller } from './parties';
import { escalationMail } from './texts';

export function listDecisions(db: DbOrTx, reportId: string): IncidentDecision[] {
	return db.select().from(incidentDecision).where(eq(incidentDecision.reportId, reportId)).all();
}

/** The controllers of an open breach whose decision is still missing: their clocks are running. */
export function controllersAwaitingDecision(
	db: DbOrTx,
	report: Pick<IncidentReport, 'id' | 'kind' | 'status' | 'concernsMainConnector'>
): Controller[] {
	if (report.kind !== 'data_breach' || report.status === 'closed') return [];
	const decided = new Set(listDecisions(db, report.id).map((d) => d.controllerKey));
	return reportControllers(db, report).filter((c) => !decided.has(c.key));
}

/** Whether `person` may record the decision of `controller`: only the controller's own administrators may. */
export const mayDecideFor = (person: SessionUser, controller: Pick<Controller, 'tenantId'>): boolean =>
	can(person, 'incident.decide', { tenantId: controller.tenantId });

/**
 * Who is told that `decider` has decided: the main connector's administrators of a tenant's
 * decision; the concerned tenants' administrators of the main connector's. Tenants never hear of
 * each other's decisions.
 */
function otherParties(tx: DbOrTx, controllers: Controller[], decider: Controller): string[] {
	if (decider.tenantId !== null) return activePeopleWithRoles(tx, null, ['mc_admin']);
	return controllers.filter((c) => c.tenantId !== null).flatMap((c) => activePeopleWithRoles(tx, c.tenantId, ['tenant_admin']));
}

/**
 * Records `controllerKey`'s decisions on a suspected breach, with how many hours after noticing
 * they came, so a late decision stays visible. Refused unless `decider` may decide for that
 * controller; the report is looked up within what `decider` may see.
 */
export function recordDecision(
	db: Db,
	actor: Actor,
	decider: SessionUser,
	reportId: string,
	controllerKey: string,
	input: DecisionInput,
	now = new Date()
): StepResult {
	return db.transaction((tx) => {
		const report = getVisibleReport(tx, decider, reportId);
		if (!report) return { ok: false, reason: 'not_found' } as const;
		if (report.kind !== 'data_breach') return { ok: false, reason: 'not_a_breach' } as const;
		const controllers = reportControllers(tx, report);
		const controller = controllers.find((c) => c.key === controllerKey);
		if (!controller || !mayDecideFor(decider, controller)) return { ok: false, reason: 'not_controller' } as const;
		if (report.status === 'closed') return { ok: false, reason: 'wrong_state' } as const;
		const inserted = tx
			.insert(incidentDecision)
			.values({
				reportId,
				controllerKey,
				tenantId: controller.tenantId,
				decision: input.decision,
				authorityNotifiedOn: input.decision === 'notify_authority' ? input.notifiedOn : null,
				reason: input.reason,
				subjectsDecision: input.subjectsDecision,
				subjectsInformedOn: input.subjectsDecision === 'inform_subjects' ? input.subjectsInformedOn : null,
				subjectsReason: input.subjectsReason,
				decidedAt: now,
				decidedBy: actor.label,
				decidedById: actor.id
			})
			.onConflictDoNothing()
			.run();
		if (inserted.changes === 0) return { ok: false, reason: 'already_decided' } as const;
		tx.update(incidentReport).set({ updatedAt: now }).where(eq(incidentReport.id, reportId)).run();
		// The reasons stay in the decision itself, shown to the parties it concerns; the log says what was decided.
		logEvent(tx, reportId, actor.label, `decision_${input.decision}`, controller.name ?? '', now, controller.tenantId);
		logEvent(tx, reportId, actor.label, `subjects_${input.subjectsDecision}`, controller.name ?? '', now, controller.tenantId);
		const elapsed = Math.floor((now.getTime() - report.noticedAt.getTime()) / 3_600_000);
		const notified = input.decision === 'notify_authority' ? ` (notified ${input.notifiedOn})` : '';
		const late = hoursLeft(report.noticedAt, now) < 0 ? ', after the 72 h deadline' : '';
		const summary = `${controller.name ?? 'main connector'} as controller: ${input.decision}${notified}, ${input.subjectsDecision}, ${elapsed} h after noticing${late}`;
		audit(tx, actor, {
			tenantId: controller.tenantId,
			action: 'incident.decision',
			targetType: 'incident_report',
			targetId: reportId,
			summary
		});
		notify(
			tx,
			otherParties(tx, controllers, controller),
			'breach_decided',
			{ ref: reportRef(reportId), party: controller.name ?? '', decisionCode: input.decision },
			reportLink(reportId),
			now
		);
		return { ok: true } as const;
	});
}

/** Who is reminded while `controller` has not decided: its administrators in the portal, its contacts by e-mail. */
function reminderRecipients(tx: DbOrTx, controller: Controller) {
	// The main connector arranges the data protection officer's services for its tenants too (agreement §17).
	const officers = listDesignatedPersons(tx).filter((p) => p.role === 'data_protection_officer');
	if (controller.tenantId === null) return { people: activePeopleWithRoles(tx, null, ['mc_admin']), contacts: officers };
	return {
		people: activePeopleWithRoles(tx, controller.tenantId, ['tenant_admin']),
		contacts: [...tenantContacts(tx, controller.tenantId), ...officers]
	};
}

/**
 * Reminders while a controller's decision is missing: at 24, 48 and 66 hours after noticing, each
 * exactly once per report and controller (claimed in reminder_log as `breach:<controller>:<step>`).
 * They reach the controller: a tenant's administrators and contact persons for its documents, the
 * main connector's administrators for its own; the data protection officers by e-mail in both
 * cases. When a run finds several steps passed at once (a report filed late, or the server down),
 * all are claimed and only the latest is announced.
 */
export async function scanBreachEscalations(db: Db, now = new Date()): Promise<number> {
	const mails: MailMessage[] = [];
	const escalated = db.transaction((tx) => {
		const open = tx
			.select()
			.from(incidentReport)
			.where(and(eq(incidentReport.kind, 'data_breach'), ne(incidentReport.status, 'closed'), gt(undecidedControllers, 0)))
			.all();
		let count = 0;
		for (const report of open) {
			const reached = escalationStepsReached(report.noticedAt, now);
			const step = reached.at(-1);
			if (step === undefined) continue;
			for (const controller of controllersAwaitingDecision(tx, report)) {
				const claimed = reached.filter((s) => claimReminder(tx, report.id, `breach:${controller.key}:${s}`, now));
				if (!claimed.includes(step)) continue;
				const { people, contacts } = reminderRecipients(tx, controller);
				const addresses = new Map(contacts.map((c) => [c.email.toLowerCase(), c]));
				const left = Math.max(hoursLeft(report.noticedAt, now), 0);
				notify(
					tx,
					people,
					'breach_escalation',
					{ ref: reportRef(report.id), hours: step, hoursLeft: left, party: controller.name ?? '' },
					reportLink(report.id),
					now
				);
				for (const contact of addresses.values()) mails.push(escalationMail(contact, report, controller.name, step, now));
				logEvent(
					tx,
					report.id,
					'system',
					'escalated',
					[`${step} h`, controller.name ?? '', ...addresses.keys()].filter(Boolean).join(' · '),
					now,
					controller.tenantId
				);
				audit(tx, SYSTEM_ACTOR, {
					tenantId: controller.tenantId,
					action: 'incident.escalate',
					targetType: 'incident_report',
					targetId: report.id,
					summary: `${step} h after noticing, no decision yet from ${controller.name ?? 'main connector'}`
				});
				count++;
			}
		}
		return count;
	});
	for (const mail of mails) await sendMail(db, mail);
	return escalated;
}
