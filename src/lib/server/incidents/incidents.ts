/**
 * Disturbance and personal-data-breach reports (agreement §4). Anyone signed in reports; each report
 * names whom it concerns: one or more tenants and/or the main connector's own activity. The main
 * connector's administrators handle the report's course; for a suspected breach each controller
 * records its own decisions (decisions.ts), and the main connector its onward notices (onward.ts).
 * The action log (incident_event) and the audit log together show who knew what, and when.
 */
import { and, asc, count, desc, eq, exists, isNull, ne, or, sql, type Column, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import {
	incidentDecision,
	incidentEvent,
	incidentReport,
	incidentTenant,
	tenant,
	type IncidentEvent,
	type IncidentReport
} from '../db/schema';
import { contains, containsSearch, escapeLike } from '../db/text-search';
import type { IncidentKind, IncidentStatus, JointControlService } from '../../domain';
import { audit, type Actor } from '../actor';
import { canAssistIncident, canSeeIncidentReport, incidentReportScope, type ReportScope } from '../auth/policies';
import type { SessionUser } from '../auth/session';
import { sendMail, type MailMessage } from '../mail/mailer';
import { listDesignatedPersons } from '../organisation/organisation';
import { activePeopleWithRoles, notify } from '../notifications/notifications';
import { findCurrentTenants } from '../tenants/tenants';
import { helsinkiWallClock } from '../../time';
import { concernedTenantsOf, concernsTenant, saveConcernedTenants, tenantContacts } from './parties';
import { reportReceivedMail } from './texts';
import { enqueueWebhookEvent } from '../webhooks/outbox';

/** The short form of a report's id that people quote on the phone and in e-mail subjects. */
export const reportRef = (id: string): string => id.slice(0, 8);

export const reportLink = (id: string) => `/incidents/${id}`;

/** Whose reports a person sees; the policy is the authorisation module's (auth/policies.ts). */
export type { ReportScope };
export const reportScope = (viewer: SessionUser): ReportScope => incidentReportScope(viewer);

export function canSeeReport(db: DbOrTx, viewer: SessionUser, report: Pick<IncidentReport, 'id' | 'reporterId'>): boolean {
	return canSeeIncidentReport(viewer, report, (tenantId) => concernsTenant(db, report.id, tenantId));
}

const concerns = (db: DbOrTx, tenantId: string) =>
	exists(
		db
			.select({ one: sql`1` })
			.from(incidentTenant)
			.where(and(eq(incidentTenant.reportId, incidentReport.id), eq(incidentTenant.tenantId, tenantId)))
	);

function scopeCondition(db: DbOrTx, scope: ReportScope): SQL | undefined {
	if (scope.kind === 'all') return undefined;
	if (scope.kind === 'tenant') return or(concerns(db, scope.tenantId), eq(incidentReport.reporterId, scope.userId));
	return eq(incidentReport.reporterId, scope.userId);
}

/** How many of a breach's controllers have not yet recorded their decision (SQL, per report row). */
export const undecidedControllers = sql<number>`((select count(*) from ${incidentTenant} where ${incidentTenant.reportId} = ${incidentReport.id}) + ${incidentReport.concernsMainConnector} - (select count(*) from ${incidentDecision} where ${incidentDecision.reportId} = ${incidentReport.id}))`;

/** Whom a report concerns: chosen tenants and/or the main connector's own activity. */
export interface Concerned {
	tenantIds: string[];
	mainConnector: boolean;
}

export interface ReportInput {
	kind: IncidentKind;
	noticedAt: Date;
	description: string;
	affected: string;
	reporterName: string;
	reporterContact: string;
	/** Read only from the main connector's people: a tenant's report concerns that tenant. */
	concerns: Concerned;
	/** Jointly controlled services the suspected breach touches; ignored for other kinds. */
	jointServices: JointControlService[];
}

/** An action-log entry; `tenantId` keeps it to that tenant's side (see incident_event.tenant_id). */
export function logEvent(
	tx: DbOrTx,
	reportId: string,
	actorLabel: string,
	action: string,
	note: string,
	at: Date,
	tenantId: string | null = null
): void {
	tx.insert(incidentEvent).values({ id: crypto.randomUUID(), reportId, at, actorLabel, action, note, tenantId }).run();
}

/** Whom the report concerns, as the domain accepts it: a tenant's people always report for their own tenant. */
function concernedBy(tx: DbOrTx, reporter: Pick<SessionUser, 'tenantId'>, requested: Concerned): Concerned {
	if (reporter.tenantId !== null) return { tenantIds: [reporter.tenantId], mainConnector: false };
	return { tenantIds: findCurrentTenants(tx, requested.tenantIds).map((t) => t.id), mainConnector: requested.mainConnector };
}

export type CreateResult = { ok: true; report: IncidentReport } | { ok: false; reason: 'no_party' };

/**
 * Files a report for the signed-in `reporter`. The main connector's designated disturbance contacts,
 * and for a suspected breach its data protection officers and each concerned tenant's contact
 * persons, are e-mailed at once; the main connector's administrators and the concerned tenants'
 * administrators get a notification.
 */
export async function createReport(
	db: Db,
	actor: Actor,
	reporter: Pick<SessionUser, 'id' | 'tenantId'>,
	input: ReportInput,
	now = new Date()
): Promise<CreateResult> {
	const mails: MailMessage[] = [];
	const result = db.transaction((tx): CreateResult => {
		const { concerns: requested, jointServices: services, ...fields } = input;
		const party = concernedBy(tx, reporter, requested);
		if (party.tenantIds.length === 0 && !party.mainConnector) return { ok: false, reason: 'no_party' };
		const id = crypto.randomUUID();
		const jointServices = input.kind === 'data_breach' ? [...new Set(services)] : [];
		tx.insert(incidentReport)
			.values({
				...fields,
				jointServices,
				id,
				tenantId: reporter.tenantId,
				reporterId: reporter.id,
				concernsMainConnector: party.mainConnector,
				status: 'received',
				createdAt: now,
				updatedAt: now
			})
			.run();
		saveConcernedTenants(tx, id, party.tenantIds);
		const created = tx.select().from(incidentReport).where(eq(incidentReport.id, id)).get()!;
		const names = concernedTenantsOf(tx, [id]).get(id) ?? [];
		const partyLabel = names.map((t) => t.name).join(', ') || null;
		logEvent(tx, id, actor.label, 'reported', '', now);
		const roles = input.kind === 'data_breach' ? ['disturbance_contact', 'data_protection_officer'] : ['disturbance_contact'];
		// The main connector's designated persons, then each concerned tenant's contacts, logged on that tenant's side.
		const groups: { tenantId: string | null; people: { name: string; email: string }[] }[] = [
			{ tenantId: null, people: listDesignatedPersons(tx).filter((p) => roles.includes(p.role)) },
			...(input.kind === 'data_breach' ? party.tenantIds.map((tenantId) => ({ tenantId, people: tenantContacts(tx, tenantId) })) : [])
		];
		const mailed = new Set<string>();
		for (const group of groups) {
			// Several roles may be one person: one mail per address.
			const addresses = new Map(group.people.map((p) => [p.email.toLowerCase(), p]));
			// A tenant's contacts read only their own tenant's name, never the other tenants concerned.
			const named = group.tenantId === null ? partyLabel : (names.find((t) => t.id === group.tenantId)?.name ?? null);
			for (const [address, person] of addresses) if (!mailed.has(address)) mails.push(reportReceivedMail(person, created, named));
			for (const address of addresses.keys()) mailed.add(address);
			if (addresses.size) logEvent(tx, id, 'system', 'notified', [...addresses.keys()].join(', '), now, group.tenantId);
		}
		const params = { ref: reportRef(id), kindCode: input.kind };
		notify(
			tx,
			activePeopleWithRoles(tx, null, ['mc_admin']),
			'incident_reported',
			{ ...params, tenant: partyLabel ?? '' },
			reportLink(id),
			now
		);
		for (const t of names)
			notify(
				tx,
				activePeopleWithRoles(tx, t.id, ['tenant_admin']).filter((p) => p !== reporter.id),
				'incident_reported',
				{ ...params, tenant: t.name },
				reportLink(id),
				now
			);
		const concerned = [...names.map((t) => t.name), ...(party.mainConnector ? ['main connector'] : [])].join(', ');
		audit(tx, actor, {
			tenantId: party.tenantIds.length === 1 ? party.tenantIds[0] : null,
			action: 'incident.report',
			targetType: 'incident_report',
			targetId: id,
			summary: `${input.kind}, noticed ${helsinkiWallClock(input.noticedAt)} (Helsinki), concerns ${concerned}`
		});
		enqueueWebhookEvent(
			tx,
			'incident.reported',
			{ id, kind: input.kind, noticedAt: input.noticedAt.toISOString(), tenantIds: party.tenantIds, mainConnector: party.mainConnector },
			now
		);
		return { ok: true, report: created };
	});
	for (const mail of mails) await sendMail(db, mail);
	return result;
}

export function getReport(db: DbOrTx, id: string): IncidentReport | undefined {
	return db.select().from(incidentReport).where(eq(incidentReport.id, id)).get();
}

/** The report if `viewer` may see it; undefined otherwise, so the page can answer 404 either way. */
export function getVisibleReport(db: DbOrTx, viewer: SessionUser, id: string): IncidentReport | undefined {
	const report = getReport(db, id);
	return report && canSeeReport(db, viewer, report) ? report : undefined;
}

/** The action log as `viewer` may read it: a tenant's people see the shared entries and their own tenant's. */
export function listEvents(db: DbOrTx, reportId: string, viewer: Pick<SessionUser, 'tenantId'>): IncidentEvent[] {
	const side = viewer.tenantId === null ? undefined : or(isNull(incidentEvent.tenantId), eq(incidentEvent.tenantId, viewer.tenantId));
	return db
		.select()
		.from(incidentEvent)
		.where(and(eq(incidentEvent.reportId, reportId), side))
		.orderBy(asc(incidentEvent.at), asc(sql`rowid`))
		.all();
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

export type ReportRow = IncidentReport & { tenants: { id: string; name: string }[]; undecided: number };

/** Reports `scope` may see, breaches awaiting a decision first, then newest first. */
export function listReports(db: DbOrTx, scope: ReportScope, filter: ReportListFilter): { rows: ReportRow[]; total: number } {
	const conditions: (SQL | undefined)[] = [scopeCondition(db, scope)];
	if (filter.kind) conditions.push(eq(incidentReport.kind, filter.kind));
	if (filter.status) conditions.push(eq(incidentReport.status, filter.status));
	if (filter.open) conditions.push(ne(incidentReport.status, 'closed'));
	const query = filter.query?.trim();
	if (query) {
		const { pattern, unicode } = containsSearch(query);
		const matches = (column: Column) => contains(column, pattern, unicode);
		// A tenant's people search only by their own tenant's name: other concerned tenants stay unseen.
		const tenantMatch = and(
			eq(incidentTenant.reportId, incidentReport.id),
			matches(tenant.name),
			scope.kind === 'all' ? undefined : eq(tenant.id, scope.kind === 'tenant' ? scope.tenantId : '')
		);
		const byTenantName = exists(
			db
				.select({ one: sql`1` })
				.from(incidentTenant)
				.innerJoin(tenant, eq(tenant.id, incidentTenant.tenantId))
				.where(tenantMatch)
		);
		// Ids are lowercase hex: a reference read out over the phone matches from its start.
		const idStart = `${escapeLike(query.toLowerCase())}%`;
		conditions.push(
			or(
				matches(incidentReport.description),
				matches(incidentReport.affected),
				matches(incidentReport.reporterName),
				byTenantName,
				sql`${incidentReport.id} like ${idStart} escape '\\'`
			)
		);
	}
	const where = and(...conditions);
	const total = db.select({ n: count() }).from(incidentReport).where(where).get()?.n ?? 0;
	const waiting = sql`case when ${incidentReport.kind} = 'data_breach' and ${incidentReport.status} <> 'closed' and ${undecidedControllers} > 0 then 0 else 1 end`;
	const found = db
		.select({ report: incidentReport, undecided: undecidedControllers })
		.from(incidentReport)
		.where(where)
		.orderBy(waiting, desc(incidentReport.createdAt), asc(incidentReport.id))
		.limit(filter.pageSize)
		.offset((filter.page - 1) * filter.pageSize)
		.all();
	const tenants = concernedTenantsOf(
		db,
		found.map((r) => r.report.id)
	);
	const shown = (list: { id: string; name: string }[]) =>
		scope.kind === 'all' ? list : list.filter((t) => scope.kind === 'tenant' && t.id === scope.tenantId);
	const rows = found.map((r) => ({ ...r.report, undecided: Number(r.undecided), tenants: shown(tenants.get(r.report.id) ?? []) }));
	return { rows, total };
}

export type StepResult =
	| { ok: true }
	| { ok: false; reason: 'not_found' | 'wrong_state' | 'decision_missing' | 'not_a_breach' | 'already_decided' | 'not_controller' };

/** Whether `person` may add to a report's action log: the main connector's handlers, or the administrators of a tenant it concerns. */
export function mayAssist(db: DbOrTx, person: SessionUser, reportId: string): boolean {
	return canAssistIncident(person, (tenantId) => concernsTenant(db, reportId, tenantId));
}

/** An entry in the action log (what was done, by whom, when), by either party. A closed report takes no more. */
export function addAction(db: Db, actor: Actor, author: SessionUser, reportId: string, note: string, now = new Date()): StepResult {
	return db.transaction((tx) => {
		const report = getReport(tx, reportId);
		if (!report || !mayAssist(tx, author, reportId)) return { ok: false, reason: 'not_found' } as const;
		if (report.status === 'closed') return { ok: false, reason: 'wrong_state' } as const;
		logEvent(tx, reportId, actor.label, 'note', note, now, author.tenantId);
		tx.update(incidentReport).set({ updatedAt: now }).where(eq(incidentReport.id, reportId)).run();
		audit(tx, actor, { tenantId: author.tenantId, action: 'incident.note', targetType: 'incident_report', targetId: reportId });
		return { ok: true } as const;
	});
}

/**
 * Moves a report on (received → investigating → resolved → closed). A handler may step back to
 * reopen an investigation, but closed is final, and a suspected breach closes only once every
 * controller's decision is on record.
 */
export function setStatus(db: Db, actor: Actor, reportId: string, status: IncidentStatus, now = new Date()): StepResult {
	return db.transaction((tx) => {
		const found = tx
			.select({ report: incidentReport, undecided: undecidedControllers })
			.from(incidentReport)
			.where(eq(incidentReport.id, reportId))
			.get();
		if (!found) return { ok: false, reason: 'not_found' } as const;
		const { report } = found;
		if (report.status === 'closed' || report.status === status) return { ok: false, reason: 'wrong_state' } as const;
		if (status === 'closed' && report.kind === 'data_breach' && Number(found.undecided) > 0)
			return { ok: false, reason: 'decision_missing' } as const;
		tx.update(incidentReport).set({ status, updatedAt: now }).where(eq(incidentReport.id, reportId)).run();
		logEvent(tx, reportId, actor.label, `status_${status}`, '', now);
		audit(tx, actor, {
			tenantId: report.tenantId,
			action: 'incident.status',
			targetType: 'incident_report',
			targetId: reportId,
			summary: `${report.status} → ${status}`
		});
		return { ok: true } as const;
	});
}
