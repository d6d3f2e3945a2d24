/**
 * The main connector's onward notices about a report (agreement §4.1; Client Data Act 41 §): the
 * tenants and Kela of Kanta disturbances, the information-system manufacturer of significant
 * deviations from the essential requirements, the supervisory authority (Lupa- ja valvontavirasto)
 * of deviations that cause a significant risk, and the Data Protection Ombudsman of data-protection
 * deviations. Each is recorded with who notified, when and how, so the duty can be shown done.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { incidentOnwardNotice, incidentReport, type IncidentOnwardNotice } from '../db/schema';
import type { OnwardRecipient } from '../../domain';
import { audit, type Actor } from '../actor';
import { can } from '../auth/authorize';
import type { SessionUser } from '../auth/session';
import { helsinkiWallClock } from '../../time';
import { getVisibleReport, logEvent, type StepResult } from './incidents';

export interface OnwardNoticeInput {
	recipient: OnwardRecipient;
	notifiedAt: Date;
	/** How: e-mail, telephone, the authority's online form… */
	method: string;
	/** The person who made the notice. */
	notifiedBy: string;
	note: string;
}

export function listOnwardNotices(db: DbOrTx, reportId: string): IncidentOnwardNotice[] {
	return db
		.select()
		.from(incidentOnwardNotice)
		.where(eq(incidentOnwardNotice.reportId, reportId))
		.orderBy(asc(incidentOnwardNotice.notifiedAt), asc(incidentOnwardNotice.recordedAt))
		.all();
}

/** Records an onward notice made by the main connector; a tenant's people cannot record one. */
export function recordOnwardNotice(
	db: Db,
	actor: Actor,
	recorder: SessionUser,
	reportId: string,
	input: OnwardNoticeInput,
	now = new Date()
): StepResult {
	return db.transaction((tx) => {
		const report = getVisibleReport(tx, recorder, reportId);
		if (!report || !can(recorder, 'incident.notify_onward', { tenantId: report.tenantId }))
			return { ok: false, reason: 'not_found' } as const;
		tx.insert(incidentOnwardNotice)
			.values({ id: crypto.randomUUID(), reportId, ...input, recordedAt: now, recordedBy: actor.label })
			.run();
		tx.update(incidentReport).set({ updatedAt: now }).where(eq(incidentReport.id, reportId)).run();
		logEvent(
			tx,
			reportId,
			actor.label,
			`onward_${input.recipient}`,
			[helsinkiWallClock(input.notifiedAt).replace('T', ' '), input.method, input.notifiedBy].join(' · '),
			now
		);
		audit(tx, actor, {
			tenantId: report.tenantId,
			action: 'incident.onward_notice',
			targetType: 'incident_report',
			targetId: reportId,
			summary: `${input.recipient} notified ${helsinkiWallClock(input.notifiedAt)} (Helsinki) by ${input.notifiedBy}, ${input.method}`
		});
		return { ok: true } as const;
	});
}
