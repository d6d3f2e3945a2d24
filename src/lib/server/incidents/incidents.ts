/**
 * Disturbance and personal-data-breach reports (agreement §4). Anyone signed in reports; the main
 * connector's administrators handle. A suspected breach carries the 72-hour decision clock: it is
 * escalated at 24, 48 and 66 hours until the decision is recorded, and cannot be closed without one.
 * The action log (incident_event) and the audit log together show who knew what, and when.
 */
import { and, asc, count, desc, eq, isNull, ne, or, sql, type Column, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { incidentEvent, incidentReport, tenant, type IncidentEvent, type IncidentReport } from '../db/schema';
import { contains, containsSearch, escapeLike } from '../db/text-search';
import type { IncidentKind, IncidentStatus } from '../../domain';
import { audit, SYSTEM_ACTOR, type Actor } from '../actor';
import { can } from '../auth/authorize';
import type { SessionUser } from '../auth/session';
import { sendMail, type MailMessage } from '../mail/mailer';
import { listDesignatedPersons } from '../organisation/organisation';
import { activePeopleWithRoles, claimReminder, notify } from '../reminders/notifications';
import * as m from '../../paraglide/messages.js';
import { breachDecisionLabel, incidentKindLabel, incidentStatusLabel } from '../../i18n/incident-labels';
import { decisionDeadline, escalationStepsReached, helsinkiWallClock, hoursLeft } from './deadline';
import { escalationMail, reportReceivedMail } from './texts';

type Locale = 'fi' | 'sv' | 'en';

/** The short form of a report's id that people quote on the phone and in e-mail subjects. */
export const reportRef = (id: string): string => id.slice(0, 8);

const reportLink = (id: string) => `/incidents/${id}`;

/** Whose reports a person sees: the main connector's handlers all, a tenant administrator the tenant's, everyone their own. */
export type ReportScope = { kind: 'all' } | { kind: 'tenant'; tenantId: string; userId: string } | { kind: 'own'; userId: string };

export function reportScope(viewer: SessionUser): ReportScope {
	if (viewer.tenantId === null && can(viewer, 'incident.view')) return { kind: 'all' };
	if (viewer.tenantId !== null && can(viewer, 'incident.view', { tenantId: viewer.tenantId })) return { kind: 'tenant', tenantId: viewer.tenantId, userId: viewer.id };
	return { kind: 'own', userId: viewer.id };
}

export function canSeeReport(viewer: SessionUser, report: Pick<IncidentReport, 'tenantId' | 'reporterId'>): boolean {
	const scope = reportScope(viewer);
	if (scope.kind === 'all') return true;
	if (report.reporterId === viewer.id) return true;
	return scope.kind === 'tenant' && report.tenantId === scope.tenantId;
}

function scopeCondition(scope: ReportScope): SQL | undefined {
	if (scope.kind === 'all') return undefined;
	if (scope.kind === 'tenant') return or(eq(incidentReport.tenantId, scope.tenantId), eq(incidentReport.reporterId, scope.userId));
	return eq(incidentReport.reporterId, scope.userId);
}

/** An open breach whose decision is still missing: the clock is running. */
export const awaitsDecision = (report: Pick<IncidentReport, 'kind' | 'decision' | 'status'>): boolean =>
	report.kind === 'data_breach' && report.decision === null && report.status !== 'closed';

export interface ReportInput {
	kind: IncidentKind;
	noticedAt: Date;
	description: string;
	affected: string;
	reporterName: string;
	reporterContact: string;
}

function logEvent(tx: DbOrTx, reportId: string, actorLabel: string, action: string, note: string, at: Date): void {
	tx.insert(incidentEvent).values({ id: crypto.randomUUID(), reportId, at, actorLabel, action, note }).run();
}

function tenantName(db: DbOrTx, tenantId: string | null): string | null {
	return tenantId ? (db.select({ name: tenant.name }).from(tenant).where(eq(tenant.id, tenantId)).get()?.name ?? null) : null;
}

/**
 * Files a report for the signed-in `reporter` (their tenant's, or the main connector's own when
 * they have none). The designated disturbance contacts, and for a suspected breach the data
 * protection officers, are e-mailed at once; the main connector's administrators get a notification.
 */
export async function createReport(db: Db, actor: Actor, reporter: Pick<SessionUser, 'id' | 'tenantId'>, input: ReportInput, now = new Date()): Promise<IncidentReport> {
	const mails: MailMessage[] = [];
	const report = db.transaction((tx) => {
		const id = crypto.randomUUID();
		tx.insert(incidentReport)
			.values({ ...input, id, tenantId: reporter.tenantId, reporterId: reporter.id, status: 'received', createdAt: now, updatedAt: now })
			.run();
		const created = tx.select().from(incidentReport).where(eq(incidentReport.id, id)).get()!;
		const party = tenantName(tx, reporter.tenantId);
		logEvent(tx, id, actor.label, 'reported', '', now);
		const roles = input.kind === 'data_breach' ? ['disturbance_contact', 'data_protection_officer'] : ['disturbance_contact'];
		const contacts = listDesignatedPersons(tx).filter((p) => roles.includes(p.role));
		// Several roles may be one person: one mail per address.
		const addresses = new Map(contacts.map((p) => [p.email.toLowerCase(), p]));
		for (const person of addresses.values()) mails.push(reportReceivedMail(person, created, party));
		if (addresses.size) logEvent(tx, id, 'system', 'notified', [...addresses.keys()].join(', '), now);
		notify(tx, activePeopleWithRoles(tx, null, ['mc_admin']), 'incident_reported', { ref: reportRef(id), kindCode: input.kind, tenant: party ?? '' }, reportLink(id), now);
		audit(tx, actor, { tenantId: reporter.tenantId, action: 'incident.report', targetType: 'incident_report', targetId: id, summary: `${input.kind}, noticed ${helsinkiWallClock(input.noticedAt)} (Helsinki)` });
		return created;
	});
	for (const mail of mails) await sendMail(db, mail);
	return report;
}

export function getReport(db: DbOrTx, id: string): IncidentReport | undefined {
	return db.select().from(incidentReport).where(eq(incidentReport.id, id)).get();
}

/** The report if `viewer` may see it; undefined otherwise, so the page can answer 404 either way. */
export function getVisibleReport(db: DbOrTx, viewer: SessionUser, id: string): IncidentReport | undefined {
	const report = getReport(db, id);
	return report && canSeeReport(viewer, report) ? report : undefined;
}

export function listEvents(db: DbOrTx, reportId: string): IncidentEvent[] {
	return db.select().from(incidentEvent).where(eq(incidentEvent.reportId, reportId)).orderBy(asc(incidentEvent.at), asc(sql`rowid`)).all();
}

export interface ReportListFilter {
	kind?: IncidentKind;
	status?: IncidentStatus;
	/** Only reports not yet closed. */
	open?: boolean;
	query?: string;
	page: number;
	pageSize: number;
}

export type ReportRow = IncidentReport & { tenantName: string | null };

/** Reports `scope` may see, breaches awaiting a decision first, then newest first. */
export function listReports(db: DbOrTx, scope: ReportScope, filter: ReportListFilter): { rows: ReportRow[]; total: number } {
	const conditions: (SQL | undefined)[] = [scopeCondition(scope)];
	if (filter.kind) conditions.push(eq(incidentReport.kind, filter.kind));
	if (filter.status) conditions.push(eq(incidentReport.status, filter.status));
	if (filter.open) conditions.push(ne(incidentReport.status, 'closed'));
	const query = filter.query?.trim();
	if (query) {
		const { pattern, unicode } = containsSearch(query);
		const matches = (column: Column) => contains(column, pattern, unicode);
		// Ids are lowercase hex: a reference read out over the phone matches from its start.
		const idStart = `${escapeLike(query.toLowerCase())}%`;
		conditions.push(or(matches(incidentReport.description), matches(incidentReport.affected), matches(incidentReport.reporterName), matches(tenant.name), sql`${incidentReport.id} like ${idStart} escape '\\'`));
	}
	const where = and(...conditions);
	const total = db.select({ n: count() }).from(incidentReport).leftJoin(tenant, eq(incidentReport.tenantId, tenant.id)).where(where).get()?.n ?? 0;
	const waiting = sql`case when ${incidentReport.kind} = 'data_breach' and ${incidentReport.decision} is null and ${incidentReport.status} <> 'closed' then 0 else 1 end`;
	const rows = db
		.select({ report: incidentReport, tenantName: tenant.name })
		.from(incidentReport)
		.leftJoin(tenant, eq(incidentReport.tenantId, tenant.id))
		.where(where)
		.orderBy(waiting, desc(incidentReport.createdAt), asc(incidentReport.id))
		.limit(filter.pageSize)
		.offset((filter.page - 1) * filter.pageSize)
		.all()
		.map((r) => ({ ...r.report, tenantName: r.tenantName }));
	return { rows, total };
}

type StepResult = { ok: true } | { ok: false; reason: 'not_found' | 'wrong_state' | 'decision_missing' | 'not_a_breach' | 'already_decided' };

/** A handler's note in the action log (what was done, by whom, when). A closed report takes no more. */
export function addAction(db: Db, actor: Actor, reportId: string, note: string, now = new Date()): StepResult {
	return db.transaction((tx) => {
		const report = getReport(tx, reportId);
		if (!report) return { ok: false, reason: 'not_found' } as const;
		if (report.status === 'closed') return { ok: false, reason: 'wrong_state' } as const;
		logEvent(tx, reportId, actor.label, 'note', note, now);
		tx.update(incidentReport).set({ updatedAt: now }).where(eq(incidentReport.id, reportId)).run();
		audit(tx, actor, { tenantId: report.tenantId, action: 'incident.note', targetType: 'incident_report', targetId: reportId });
		return { ok: true } as const;
	});
}

/**
 * Moves a report on (received → investigating → resolved → closed). A handler may step back to
 * reopen an investigation, but closed is final, and a suspected breach closes only once its
 * notification decision is on record.
 */
export function setStatus(db: Db, actor: Actor, reportId: string, status: IncidentStatus, now = new Date()): StepResult {
	return db.transaction((tx) => {
		const report = getReport(tx, reportId);
		if (!report) return { ok: false, reason: 'not_found' } as const;
		if (report.status === 'closed' || report.status === status) return { ok: false, reason: 'wrong_state' } as const;
		if (status === 'closed' && report.kind === 'data_breach' && report.decision === null) return { ok: false, reason: 'decision_missing' } as const;
		tx.update(incidentReport).set({ status, updatedAt: now }).where(eq(incidentReport.id, reportId)).run();
		logEvent(tx, reportId, actor.label, `status_${status}`, '', now);
		audit(tx, actor, { tenantId: report.tenantId, action: 'incident.status', targetType: 'incident_report', targetId: reportId, summary: `${report.status} → ${status}` });
		return { ok: true } as const;
	});
}

export type DecisionInput = { decision: 'notify_authority'; notifiedOn: string; reason: string } | { decision: 'no_notification'; reason: string };

/**
 * The controller's decision on notifying the Data Protection Ombudsman: made once, and recorded
 * with how many hours after noticing it came, so a late decision stays visible.
 */
export function recordDecision(db: Db, actor: Actor, reportId: string, input: DecisionInput, now = new Date()): StepResult {
	return db.transaction((tx) => {
		const report = getReport(tx, reportId);
		if (!report) return { ok: false, reason: 'not_found' } as const;
		if (report.kind !== 'data_breach') return { ok: false, reason: 'not_a_breach' } as const;
		if (report.decision !== null) return { ok: false, reason: 'already_decided' } as const;
		if (report.status === 'closed') return { ok: false, reason: 'wrong_state' } as const;
		const notifiedOn = input.decision === 'notify_authority' ? input.notifiedOn : null;
		tx.update(incidentReport)
			.set({ decision: input.decision, decisionReason: input.reason, authorityNotifiedOn: notifiedOn, decidedAt: now, decidedBy: actor.label, updatedAt: now })
			.where(eq(incidentReport.id, reportId))
			.run();
		logEvent(tx, reportId, actor.label, `decision_${input.decision}`, [notifiedOn, input.reason].filter(Boolean).join(' · '), now);
		const elapsed = Math.floor((now.getTime() - report.noticedAt.getTime()) / 3_600_000);
		const summary = `${input.decision}${notifiedOn ? ` (notified ${notifiedOn})` : ''}, ${elapsed} h after noticing${hoursLeft(report.noticedAt, now) < 0 ? ', after the 72 h deadline' : ''}`;
		audit(tx, actor, { tenantId: report.tenantId, action: 'incident.decision', targetType: 'incident_report', targetId: reportId, summary });
		return { ok: true } as const;
	});
}

/**
 * Reminders while a suspected breach has no decision: at 24, 48 and 66 hours after noticing, each
 * exactly once per report (claimed in reminder_log as `breach:<step>`). The data protection
 * officers, who are contacts rather than users, get an e-mail; the main connector's
 * administrators an in-app notification. When a run finds several steps passed at once (a report
 * filed late, or the server down), all are claimed and only the latest is announced.
 */
export async function scanBreachEscalations(db: Db, now = new Date()): Promise<number> {
	const mails: MailMessage[] = [];
	const escalated = db.transaction((tx) => {
		const waiting = tx
			.select({ report: incidentReport, tenantName: tenant.name })
			.from(incidentReport)
			.leftJoin(tenant, eq(incidentReport.tenantId, tenant.id))
			.where(and(eq(incidentReport.kind, 'data_breach'), isNull(incidentReport.decision), ne(incidentReport.status, 'closed')))
			.all();
		if (waiting.length === 0) return 0;
		const officers = listDesignatedPersons(tx).filter((p) => p.role === 'data_protection_officer');
		const admins = activePeopleWithRoles(tx, null, ['mc_admin']);
		let count = 0;
		for (const { report, tenantName: party } of waiting) {
			const reached = escalationStepsReached(report.noticedAt, now);
			const claimed = reached.filter((step) => claimReminder(tx, report.id, `breach:${step}`, now));
			const step = reached.at(-1);
			if (step === undefined || !claimed.includes(step)) continue;
			const left = Math.max(hoursLeft(report.noticedAt, now), 0);
			notify(tx, admins, 'breach_escalation', { ref: reportRef(report.id), hours: step, hoursLeft: left }, reportLink(report.id), now);
			for (const officer of officers) mails.push(escalationMail(officer, report, party, step, now));
			logEvent(tx, report.id, 'system', 'escalated', [`${step} h`, ...officers.map((o) => o.email)].join(' · '), now);
			audit(tx, SYSTEM_ACTOR, { tenantId: report.tenantId, action: 'incident.escalate', targetType: 'incident_report', targetId: report.id, summary: `${step} h after noticing, no decision yet` });
			count++;
		}
		return count;
	});
	for (const mail of mails) await sendMail(db, mail);
	return escalated;
}

/** The rows of the yearly-review CSV, header first, in `locale`; times as Helsinki wall clock. */
export function reportCsvRows(rows: ReportRow[], locale: Locale): string[][] {
	const o = { locale };
	const when = (value: Date | null) => (value ? helsinkiWallClock(value).replace('T', ' ') : '');
	const header = [
		m.incident_ref({}, o),
		m.incident_reported_at({}, o),
		m.party_tenant({}, o),
		m.incident_kind({}, o),
		m.field_status({}, o),
		m.incident_noticed_at({}, o),
		m.incident_deadline({}, o),
		m.incident_decision({}, o),
		m.incident_decided_at({}, o),
		m.incident_decided_by({}, o),
		m.incident_notified_on({}, o),
		m.incident_decision_reason({}, o),
		m.incident_reporter_name({}, o),
		m.incident_reporter_contact({}, o),
		m.incident_description({}, o),
		m.incident_affected({}, o)
	];
	const body = rows.map((r) => [
		reportRef(r.id),
		when(r.createdAt),
		r.tenantName ?? m.incident_main_connector_own({}, o),
		incidentKindLabel(r.kind, locale),
		incidentStatusLabel(r.status, locale),
		when(r.noticedAt),
		r.kind === 'data_breach' ? when(decisionDeadline(r.noticedAt)) : '',
		r.decision ? breachDecisionLabel(r.decision, locale) : '',
		when(r.decidedAt),
		r.decidedBy ?? '',
		r.authorityNotifiedOn ?? '',
		r.decisionReason ?? '',
		r.reporterName,
		r.reporterContact,
		r.description,
		r.affected
	]);
	return [header, ...body];
}
