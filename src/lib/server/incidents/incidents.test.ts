import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index';
import { auditEntry, incidentReport, notification, reminderLog, type User } from '../db/schema';
import type { Actor } from '../actor';
import { toSessionUser, type SessionUser } from '../auth/session';
import { getUser } from '../people/people';
import { listOutbox } from '../mail/mailer';
import { addDesignatedPerson } from '../organisation/organisation';
import { runScheduledWork } from '../scheduler';
import { addTenant, DESIGNATED_PERSONS, freshDb, insertUser, setUpMainConnector } from '../test-support';
import { decisionDeadline } from './deadline';
import {
	addAction,
	canSeeReport,
	createReport,
	getVisibleReport,
	listEvents,
	listReports,
	recordDecision,
	reportCsvRows,
	reportRef,
	reportScope,
	scanBreachEscalations,
	setStatus,
	type ReportInput
} from './incidents';
import { describeIncidentNotification } from './texts';

const HOUR_MS = 3_600_000;
const T0 = new Date('2026-03-27T08:00:00Z'); // Friday 10:00 in Helsinki, two days before summer time starts
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR_MS);

let db: Db;
let admin: Actor;
let mcAdmin: SessionUser;
let otherMcAdmin: User;
let mcSigner: User;
let tenantA: string;
let tenantB: string;
let adminA: User;
let staffA: User;
let staffA2: User;
let staffB: User;
let adminB: User;

const session = (u: User): SessionUser => toSessionUser(db, u);
const actorOf = (u: User): Actor => ({ id: u.id, label: u.email, ipAddress: '192.0.2.7' });

function input(overrides: Partial<ReportInput> = {}): ReportInput {
	return { kind: 'data_breach', noticedAt: T0, description: 'A printed client list was left in the waiting room.', affected: 'Clients of one unit', reporterName: 'Anna', reporterContact: 'anna@a.example.fi, 040 123', ...overrides };
}

const outbox = () => listOutbox(db, { page: 1, pageSize: 500 }).messages;
const notificationsOf = (userId: string) => db.select().from(notification).where(eq(notification.userId, userId)).all();
const claimsOf = (id: string) => db.select().from(reminderLog).where(eq(reminderLog.subjectId, id)).all().map((r) => r.reminderKey).sort();
const auditOf = (id: string) => db.select().from(auditEntry).where(eq(auditEntry.targetId, id)).all().map((e) => e.action);

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	for (const person of DESIGNATED_PERSONS) addDesignatedPerson(db, admin, person);
	mcAdmin = session(getUser(db, admin.id!)!);
	otherMcAdmin = insertUser(db, { name: 'Olli Admin', email: 'olli@mc.example.fi', roles: ['mc_admin'] });
	mcSigner = insertUser(db, { name: 'Sakari Signer', email: 'signer@mc.example.fi', roles: ['mc_signatory'] });
	tenantA = addTenant(db, admin, { name: 'Vuokralainen A Oy' });
	tenantB = addTenant(db, admin, { name: 'Vuokralainen B Oy' });
	adminA = insertUser(db, { name: 'Aaro A', email: 'admin@a.example.fi', tenantId: tenantA, roles: ['tenant_admin'] });
	staffA = insertUser(db, { name: 'Anna A', email: 'anna@a.example.fi', tenantId: tenantA, roles: ['tenant_staff'] });
	staffA2 = insertUser(db, { name: 'Arvo A', email: 'arvo@a.example.fi', tenantId: tenantA, roles: ['tenant_staff'] });
	staffB = insertUser(db, { name: 'Bea B', email: 'bea@b.example.fi', tenantId: tenantB, roles: ['tenant_staff'] });
	adminB = insertUser(db, { name: 'Bertil B', email: 'admin@b.example.fi', tenantId: tenantB, roles: ['tenant_admin'] });
});

describe('createReport', () => {
	it('stores the report under the reporter’s tenant, logs and audits it, and notifies the administrators', async () => {
		const report = await createReport(db, actorOf(staffA), session(staffA), input({ kind: 'system_disturbance' }), at(1));
		expect(report).toMatchObject({ tenantId: tenantA, reporterId: staffA.id, status: 'received', kind: 'system_disturbance', decision: null });
		expect(report.noticedAt.getTime()).toBe(T0.getTime());
		expect(listEvents(db, report.id).map((e) => e.action)).toEqual(['reported', 'notified']);
		expect(auditOf(report.id)).toEqual(['incident.report']);
		for (const id of [admin.id!, otherMcAdmin.id]) {
			expect(notificationsOf(id)).toEqual([expect.objectContaining({ kind: 'incident_reported', link: `/incidents/${report.id}`, params: { ref: reportRef(report.id), kindCode: 'system_disturbance', tenant: 'Vuokralainen A Oy' } })]);
		}
		expect(notificationsOf(mcSigner.id)).toEqual([]);
	});

	it('e-mails the disturbance contact only for a disturbance, and the data protection officer too for a suspected breach', async () => {
		await createReport(db, actorOf(staffA), session(staffA), input({ kind: 'kanta_disturbance' }), at(1));
		expect(outbox().map((m) => m.to)).toEqual(['hairiot@mc.example.fi']);

		const breach = await createReport(db, actorOf(staffA), session(staffA), input(), at(2));
		const mails = outbox().filter((m) => m.subject.includes(reportRef(breach.id)));
		expect(mails.map((m) => m.to).sort()).toEqual(['hairiot@mc.example.fi', 'tietosuoja@mc.example.fi']);
		const dpo = mails.find((m) => m.to === 'tietosuoja@mc.example.fi')!;
		expect(dpo.subject).toContain('Epäilty tietoturvaloukkaus');
		expect(dpo.subject).toContain('Misstänkt personuppgiftsincident');
		// The deadline in the mail is the Helsinki wall clock 72 h later: summer time has begun by then.
		expect(dpo.body).toContain('30.3.2026 klo 11.00');
		expect(dpo.body).toContain('Vuokralainen A Oy');
		expect(listEvents(db, breach.id).find((e) => e.action === 'notified')?.note).toBe('tietosuoja@mc.example.fi, hairiot@mc.example.fi');
	});

	it('files a main connector person’s report with no tenant', async () => {
		const report = await createReport(db, actorOf(mcSigner), session(mcSigner), input({ kind: 'other' }), at(1));
		expect(report.tenantId).toBeNull();
		expect(notificationsOf(admin.id!)[0].params.tenant).toBe('');
	});
});

describe('visibility', () => {
	let ownA: string;
	let otherA: string;
	let ownB: string;
	let mainOwn: string;

	beforeEach(async () => {
		ownA = (await createReport(db, actorOf(staffA), session(staffA), input(), at(1))).id;
		otherA = (await createReport(db, actorOf(staffA2), session(staffA2), input({ kind: 'system_disturbance' }), at(2))).id;
		ownB = (await createReport(db, actorOf(staffB), session(staffB), input(), at(3))).id;
		mainOwn = (await createReport(db, actorOf(mcSigner), session(mcSigner), input({ kind: 'other', affected: 'Äitiysneuvolan asiakkaat' }), at(4))).id;
	});

	const visibleTo = (u: SessionUser) => listReports(db, reportScope(u), { page: 1, pageSize: 50 }).rows.map((r) => r.id).sort();

	it('the main connector’s administrators see every report', () => {
		expect(reportScope(mcAdmin)).toEqual({ kind: 'all' });
		expect(visibleTo(mcAdmin)).toEqual([ownA, otherA, ownB, mainOwn].sort());
	});

	it('a tenant administrator sees their own tenant’s reports only', () => {
		expect(visibleTo(session(adminA))).toEqual([ownA, otherA].sort());
		expect(visibleTo(session(adminB))).toEqual([ownB]);
		expect(getVisibleReport(db, session(adminA), ownB)).toBeUndefined();
		expect(getVisibleReport(db, session(adminA), mainOwn)).toBeUndefined();
	});

	it('a reporter sees their own reports only, not a colleague’s', () => {
		expect(visibleTo(session(staffA))).toEqual([ownA]);
		expect(getVisibleReport(db, session(staffA), otherA)).toBeUndefined();
		expect(canSeeReport(session(staffA), { tenantId: tenantA, reporterId: staffA2.id })).toBe(false);
		expect(visibleTo(session(staffB))).toEqual([ownB]);
		// Main connector people without the view action see only their own, too.
		expect(visibleTo(session(mcSigner))).toEqual([mainOwn]);
		expect(getVisibleReport(db, session(mcSigner), ownA)).toBeUndefined();
	});

	it('lists breaches awaiting a decision first and filters by kind, status and text', () => {
		const rows = listReports(db, { kind: 'all' }, { page: 1, pageSize: 50 }).rows;
		expect(rows.slice(0, 2).map((r) => r.id)).toEqual([ownB, ownA]);
		expect(rows[0].tenantName).toBe('Vuokralainen B Oy');
		expect(listReports(db, { kind: 'all' }, { kind: 'other', page: 1, pageSize: 50 }).rows.map((r) => r.id)).toEqual([mainOwn]);
		expect(listReports(db, { kind: 'all' }, { query: 'B Oy', page: 1, pageSize: 50 }).rows.map((r) => r.id)).toEqual([ownB]);
		expect(listReports(db, { kind: 'all' }, { query: reportRef(ownA), page: 1, pageSize: 50 }).rows.map((r) => r.id)).toEqual([ownA]);
		expect(listReports(db, { kind: 'all' }, { query: '100%', page: 1, pageSize: 50 }).total).toBe(0);
		// Case is ignored in every letter, not only in ASCII ones as SQLite's LIKE would.
		expect(listReports(db, { kind: 'all' }, { query: 'äitiysneuvola', page: 1, pageSize: 50 }).rows.map((r) => r.id)).toEqual([mainOwn]);
	});
});

describe('handling', () => {
	it('moves through the statuses, logs each step, and never leaves closed', async () => {
		const { id } = await createReport(db, actorOf(staffA), session(staffA), input({ kind: 'system_disturbance' }), at(0));
		expect(setStatus(db, admin, id, 'received', at(1))).toEqual({ ok: false, reason: 'wrong_state' });
		expect(setStatus(db, admin, id, 'investigating', at(1))).toEqual({ ok: true });
		expect(addAction(db, admin, id, 'Restarted the integration service', at(2))).toEqual({ ok: true });
		expect(setStatus(db, admin, id, 'resolved', at(3))).toEqual({ ok: true });
		expect(setStatus(db, admin, id, 'closed', at(4))).toEqual({ ok: true });
		expect(setStatus(db, admin, id, 'investigating', at(5))).toEqual({ ok: false, reason: 'wrong_state' });
		expect(addAction(db, admin, id, 'late', at(5))).toEqual({ ok: false, reason: 'wrong_state' });
		const events = listEvents(db, id);
		expect(events.map((e) => e.action)).toEqual(['reported', 'notified', 'status_investigating', 'note', 'status_resolved', 'status_closed']);
		expect(events[3]).toMatchObject({ actorLabel: admin.label, note: 'Restarted the integration service', at: at(2) });
		expect(auditOf(id)).toEqual(['incident.report', 'incident.status', 'incident.note', 'incident.status', 'incident.status']);
		expect(setStatus(db, admin, crypto.randomUUID(), 'closed')).toEqual({ ok: false, reason: 'not_found' });
	});

	it('closes a suspected breach only once the decision is recorded, and records the decision once', async () => {
		const { id } = await createReport(db, actorOf(staffA), session(staffA), input(), at(0));
		expect(setStatus(db, admin, id, 'closed', at(1))).toEqual({ ok: false, reason: 'decision_missing' });
		expect(recordDecision(db, admin, id, { decision: 'no_notification', reason: 'The list was recovered unread within minutes.' }, at(30))).toEqual({ ok: true });
		expect(recordDecision(db, admin, id, { decision: 'notify_authority', notifiedOn: '2026-03-28', reason: '' }, at(31))).toEqual({ ok: false, reason: 'already_decided' });
		const stored = db.select().from(incidentReport).where(eq(incidentReport.id, id)).get()!;
		expect(stored).toMatchObject({ decision: 'no_notification', decisionReason: 'The list was recovered unread within minutes.', decidedBy: admin.label, authorityNotifiedOn: null });
		expect(stored.decidedAt?.getTime()).toBe(at(30).getTime());
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'incident.decision')).get()?.summary).toBe('no_notification, 30 h after noticing');
		expect(setStatus(db, admin, id, 'closed', at(31))).toEqual({ ok: true });
	});

	it('records a late decision to notify as late, and refuses decisions on other kinds', async () => {
		const breach = await createReport(db, actorOf(staffA), session(staffA), input(), at(0));
		expect(recordDecision(db, admin, breach.id, { decision: 'notify_authority', notifiedOn: '2026-03-30', reason: 'Health data exposed' }, at(80))).toEqual({ ok: true });
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'incident.decision')).get()?.summary).toBe('notify_authority (notified 2026-03-30), 80 h after noticing, after the 72 h deadline');
		expect(listEvents(db, breach.id).at(-1)).toMatchObject({ action: 'decision_notify_authority', note: '2026-03-30 · Health data exposed' });
		const disturbance = await createReport(db, actorOf(staffA), session(staffA), input({ kind: 'kanta_disturbance' }), at(0));
		expect(recordDecision(db, admin, disturbance.id, { decision: 'no_notification', reason: 'x' }, at(1))).toEqual({ ok: false, reason: 'not_a_breach' });
	});
});

describe('scanBreachEscalations', () => {
	const dpoMails = () => outbox().filter((m) => m.to === 'tietosuoja@mc.example.fi' && m.subject.includes('päätös puuttuu'));

	it('reminds at 24, 48 and 66 hours, each exactly once, and stops when the decision is recorded', async () => {
		const { id } = await createReport(db, actorOf(staffA), session(staffA), input(), at(0));
		expect(await scanBreachEscalations(db, at(23.9))).toBe(0);
		expect(claimsOf(id)).toEqual([]);

		expect(await scanBreachEscalations(db, at(24))).toBe(1);
		expect(claimsOf(id)).toEqual(['breach:24']);
		expect(dpoMails()).toHaveLength(1);
		expect(dpoMails()[0].subject).toContain('24 h');
		const escalations = () => notificationsOf(admin.id!).filter((n) => n.kind === 'breach_escalation');
		expect(escalations().map((n) => n.params)).toEqual([{ ref: reportRef(id), hours: 24, hoursLeft: 48 }]);
		expect(notificationsOf(otherMcAdmin.id).filter((n) => n.kind === 'breach_escalation')).toHaveLength(1);
		// Nobody on the tenant's side hears about it through this channel.
		expect(notificationsOf(adminA.id)).toEqual([]);

		// Every later run within the same step sends nothing again.
		for (const hours of [24, 25, 30, 47.9]) expect(await scanBreachEscalations(db, at(hours))).toBe(0);
		expect(dpoMails()).toHaveLength(1);

		expect(await scanBreachEscalations(db, at(48.5))).toBe(1);
		expect(await scanBreachEscalations(db, at(49))).toBe(0);
		expect(escalations().map((n) => n.params.hours).sort()).toEqual([24, 48]);

		recordDecision(db, admin, id, { decision: 'no_notification', reason: 'Recovered unread' }, at(50));
		expect(await scanBreachEscalations(db, at(66))).toBe(0);
		expect(await scanBreachEscalations(db, at(100))).toBe(0);
		expect(claimsOf(id)).toEqual(['breach:24', 'breach:48']);
		expect(dpoMails()).toHaveLength(2);
		expect(listEvents(db, id).filter((e) => e.action === 'escalated').map((e) => e.note)).toEqual(['24 h · tietosuoja@mc.example.fi', '48 h · tietosuoja@mc.example.fi']);
		expect(auditOf(id).filter((a) => a === 'incident.escalate')).toHaveLength(2);
	});

	it('claims every step passed but announces only the latest when a run comes late', async () => {
		const { id } = await createReport(db, actorOf(staffA), session(staffA), input({ noticedAt: at(-70) }), at(0));
		expect(await scanBreachEscalations(db, at(0))).toBe(1);
		expect(claimsOf(id)).toEqual(['breach:24', 'breach:48', 'breach:66']);
		expect(dpoMails()).toHaveLength(1);
		expect(dpoMails()[0].subject).toContain('66 h');
		expect(notificationsOf(admin.id!).find((n) => n.kind === 'breach_escalation')?.params).toEqual({ ref: reportRef(id), hours: 66, hoursLeft: 2 });
		expect(await scanBreachEscalations(db, at(10))).toBe(0);
	});

	it('leaves other kinds alone, and runs as part of the scheduled work', async () => {
		await createReport(db, actorOf(staffA), session(staffA), input({ kind: 'system_disturbance' }), at(0));
		const breach = await createReport(db, actorOf(staffB), session(staffB), input(), at(0));
		const report = await runScheduledWork(db, at(30));
		expect(report.breachEscalations).toBe(1);
		expect(claimsOf(breach.id)).toEqual(['breach:24']);
		expect((await runScheduledWork(db, at(31))).breachEscalations).toBe(0);
	});
});

describe('texts and export', () => {
	it('describes its notifications in the reader’s language', () => {
		expect(describeIncidentNotification({ kind: 'breach_escalation', params: { ref: 'abcd1234', hours: 48, hoursLeft: 24 } }, 'en')).toBe('Suspected breach abcd1234: no decision yet, over 48 h since it was noticed; 24 h left');
		expect(describeIncidentNotification({ kind: 'incident_reported', params: { ref: 'abcd1234', kindCode: 'kanta_disturbance', tenant: '' } }, 'fi')).toBe('Uusi ilmoitus abcd1234: Kanta-palvelujen häiriö (Pääliittyjä (oma henkilöstö))');
		expect(describeIncidentNotification({ kind: 'certificate_expiring', params: {} }, 'fi')).toBeNull();
	});

	it('exports the rows with Helsinki times and the decision deadline for breaches', async () => {
		const breach = await createReport(db, actorOf(staffA), session(staffA), input(), at(0));
		recordDecision(db, admin, breach.id, { decision: 'notify_authority', notifiedOn: '2026-03-28', reason: 'Risk to clients' }, at(20));
		const rows = reportCsvRows(listReports(db, { kind: 'all' }, { page: 1, pageSize: 50 }).rows, 'en');
		expect(rows[0].slice(0, 7)).toEqual(['Reference', 'Reported', 'Tenant', 'Type', 'Status', 'Noticed at', 'Decision due']);
		expect(rows[1].slice(0, 11)).toEqual([
			reportRef(breach.id),
			'2026-03-27 10:00',
			'Vuokralainen A Oy',
			'Suspected personal data breach',
			'Received',
			'2026-03-27 10:00',
			'2026-03-30 11:00',
			'The Data Protection Ombudsman is notified',
			'2026-03-28 06:00',
			admin.label,
			'2026-03-28'
		]);
		expect(decisionDeadline(breach.noticedAt).toISOString()).toBe('2026-03-30T08:00:00.000Z');
	});
});
