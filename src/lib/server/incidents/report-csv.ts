/** The yearly-review CSV of incident reports: one row per report, the controllers' decisions side by side. */
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { incidentDecision, type IncidentDecision } from '../db/schema';
import * as m from '../../paraglide/messages.js';
import { breachDecisionLabel, dataSubjectDecisionLabel, incidentKindLabel, incidentStatusLabel } from '../../i18n/incident-labels';
import { helsinkiWallClock } from '../../time';
import { decisionDeadline } from './deadline';
import { reportRef, type ReportRow } from './incidents';

type Locale = 'fi' | 'sv' | 'en';

/** The rows, header first, in `locale`; times as Helsinki wall clock. A tenant's export shows its own decision only. */
export function reportCsvRows(db: DbOrTx, rows: ReportRow[], locale: Locale, viewerTenantId: string | null): string[][] {
	const o = { locale };
	const when = (value: Date | null) => (value ? helsinkiWallClock(value).replace('T', ' ') : '');
	const decisions = new Map<string, IncidentDecision[]>();
	const ids = rows.map((r) => r.id);
	for (const d of ids.length ? db.select().from(incidentDecision).where(inArray(incidentDecision.reportId, ids)).all() : []) {
		if (viewerTenantId !== null && d.tenantId !== viewerTenantId && d.tenantId !== null) continue;
		decisions.set(d.reportId, [...(decisions.get(d.reportId) ?? []), d]);
	}
	const controllerName = (r: ReportRow, d: IncidentDecision) =>
		r.tenants.find((t) => t.id === d.tenantId)?.name ?? m.incident_main_connector_own({}, o);
	const each = (r: ReportRow, text: (d: IncidentDecision) => string) =>
		(decisions.get(r.id) ?? []).map((d) => `${controllerName(r, d)}: ${text(d)}`).join('\n');
	const header = [
		m.incident_ref({}, o),
		m.incident_reported_at({}, o),
		m.incident_concerns({}, o),
		m.incident_kind({}, o),
		m.field_status({}, o),
		m.incident_noticed_at({}, o),
		m.incident_deadline({}, o),
		m.incident_decision({}, o),
		m.incident_decided_at({}, o),
		m.incident_decided_by({}, o),
		m.incident_notified_on({}, o),
		m.incident_decision_reason({}, o),
		m.incident_subjects_decision({}, o),
		m.incident_reporter_name({}, o),
		m.incident_reporter_contact({}, o),
		m.incident_description({}, o),
		m.incident_affected({}, o)
	];
	const body = rows.map((r) => [
		reportRef(r.id),
		when(r.createdAt),
		[...r.tenants.map((t) => t.name), ...(r.concernsMainConnector ? [m.incident_main_connector_own({}, o)] : [])].join('; '),
		incidentKindLabel(r.kind, locale),
		incidentStatusLabel(r.status, locale),
		when(r.noticedAt),
		r.kind === 'data_breach' ? when(decisionDeadline(r.noticedAt)) : '',
		each(r, (d) => breachDecisionLabel(d.decision, locale)),
		each(r, (d) => when(d.decidedAt)),
		each(r, (d) => d.decidedBy),
		each(r, (d) => d.authorityNotifiedOn ?? ''),
		each(r, (d) => d.reason),
		each(
			r,
			(d) =>
				(d.subjectsDecision ? dataSubjectDecisionLabel(d.subjectsDecision, locale) : '') +
				(d.subjectsInformedOn ? ` (${d.subjectsInformedOn})` : '')
		),
		r.reporterName,
		r.reporterContact,
		r.description,
		r.affected
	]);
	return [header, ...body];
}
