import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index';
import { auditEntry, incidentDecision, notification, reminderLog, type User } from '../db/schema';
import type { Actor } from '../actor';
import { toSessionUser, type SessionUser } from '../auth/session';
import { getUser } from '../auth/accounts';
import { listOutbox } from '../mail/mailer';
import { addDesignatedPerson } from '../organisation/organisation';
import { runScheduledWork } from '../scheduler';
import { addTenant, DESIGNATED_PERSONS, freshDb, insertUser, setUpMainConnector } from '../test-support';
import { controllersAwaitingDecision, listDecisions, mayDecideFor, recordDecision, scanBreachEscalations } from './decisions';
import type { DecisionInput } from '../../domain';
import { createReport, getReport, listEvents, reportRef, type ReportInput } from './incidents';
import { listOnwardNotices, recordOnwardNotice } from './onward';
import { controllersShownTo, MAIN_CONNECTOR_CONTROLLER, reportControllers } from './parties';

const HOUR_MS = 3_600_000;
const T0 = new Date('2026-03-27T08:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR_MS);

let db: Db;
let admin: Actor;
let mcAdmin: SessionUser;
let mcStaff: User;
let tenantA: string;
let tenantB: string;
let adminA: User;
let staffA: User;
let adminB: User;

const session = (u: User): SessionUser => toSessionUser(db, u);
const actorOf = (u: User): Actor => ({ id: u.id, label: u.email, ipAddress: '192.0.2.7' });
const outbox = () => listOutbox(db, { page: 1, pageSize: 500 }).messages;
const notificationsOf = (userId: string, kind: string) =>
	db
		.select()
		.from(notification)
		.where(eq(notification.userId, userId))
		.all()
		.filter((n) => n.kind === kind);
const claimsOf = (id: string) =>
	db
		.select()
		.from(reminderLog)
		.where(eq(reminderLog.subjectId, id))
		.all()
		.map((r) => r.reminderKey)
		.sort();

const DECIDED: DecisionInput = {
	decision: 'no_notification',
	notifiedOn: null,
	reason: 'The message was deleted unread.',
	subjectsDecision: 'not_inform_subjects',
	subjectsInformedOn: null,
	subjectsReason: 'No risk to the client.'
};

async function breach(by: User, concerns: ReportInput['concerns'], overrides: Partial<ReportInput> = {}) {
	const base: ReportInput = {
		kind: 'data_breach',
		noticedAt: T0,
		description: 'A visit summary went to the wrong e-mail address.',
		affected: 'One client',
		reporterName: by.name,
		reporterContact: by.email,
		concerns,
		jointServices: [],
		...overrides
	};
	const result = await createReport(db, actorOf(by), session(by), base, at(0));
	if (!result.ok) throw new Error(result.reason);
	return result.report;
}

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	for (const person of DESIGNATED_PERSONS) addDesignatedPerson(db, admin, person);
	mcAdmin = session(getUser(db, admin.id!)!);
	mcStaff = insertUser(db, { name: 'Maija Main', email: 'maija@mc.example.fi', roles: ['mc_cert_admin'] });
	tenantA = addTenant(db, admin, { name: 'Vuokralainen A Oy' });
	tenantB = addTenant(db, admin, {
		name: 'Vuokralainen B Oy',
		contacts: [{ name: 'Bodil B', title: 'Toimitusjohtaja', email: 'bodil@b.example.fi', phone: '' }]
	});
	adminA = insertUser(db, { name: 'Aaro A', email: 'admin@a.example.fi', tenantId: tenantA, roles: ['tenant_admin'] });
	staffA = insertUser(db, { name: 'Anna A', email: 'anna@a.example.fi', tenantId: tenantA, roles: ['tenant_staff'] });
	adminB = insertUser(db, { name: 'Bertil B', email: 'admin@b.example.fi', tenantId: tenantB, roles: ['tenant_admin'] });
});

describe('controllers (agreement §14)', () => {
	it('each concerned tenant controls its own activity’s documents, the main connector its own staff’s', async () => {
		const report = await breach(mcStaff, { tenantIds: [tenantB, tenantA], mainConnector: true });
		expect(reportControllers(db, report)).toEqual([
			{ key: tenantA, tenantId: tenantA, name: 'Vuokralainen A Oy' },
			{ key: tenantB, tenantId: tenantB, name: 'Vuokralainen B Oy' },
			{ key: MAIN_CONNECTOR_CONTROLLER, tenantId: null, name: null }
		]);
		// A tenant is shown itself and the main connector, never the other tenants concerned.
		expect(controllersShownTo(session(adminA), reportControllers(db, report)).map((c) => c.key)).toEqual([
			tenantA,
			MAIN_CONNECTOR_CONTROLLER
		]);
		expect(controllersShownTo(mcAdmin, reportControllers(db, report))).toHaveLength(3);
	});

	it('a tenant’s own report has the tenant as its only controller', async () => {
		const report = await breach(staffA, { tenantIds: [], mainConnector: false });
		expect(controllersAwaitingDecision(db, report).map((c) => c.key)).toEqual([tenantA]);
	});
});

describe('the action log of a report concerning several tenants', () => {
	it('shows a tenant the shared entries and its own side, never another tenant’s decision, reminders, notes or contacts', async () => {
		const report = await breach(mcStaff, { tenantIds: [tenantA, tenantB], mainConnector: false });
		recordDecision(db, actorOf(adminB), session(adminB), report.id, tenantB, DECIDED, at(2));
		await scanBreachEscalations(db, at(24));
		const seenBy = (u: SessionUser) => listEvents(db, report.id, u).map((e) => `${e.action} ${e.actorLabel} ${e.note}`);
		expect(seenBy(session(adminA)).join('\n')).not.toMatch(/Vuokralainen B|b\.example\.fi/);
		expect(seenBy(session(adminA)).filter((e) => e.startsWith('escalated'))).toHaveLength(1);
		expect(seenBy(session(adminB)).filter((e) => e.startsWith('decision_'))).toHaveLength(1);
		expect(seenBy(session(adminB)).join('\n')).toContain('bodil@b.example.fi');
		expect(seenBy(mcAdmin).filter((e) => e.startsWith('notified'))).toHaveLength(2);
		expect(notificationsOf(adminA.id, 'breach_decided')).toEqual([]);
		expect(
			db
				.select()
				.from(notification)
				.where(eq(notification.userId, adminA.id))
				.all()
				.map((n) => JSON.stringify(n.params))
				.join()
		).not.toContain('Vuokralainen B');
		expect(
			outbox()
				.filter((m) => m.to === 'bodil@b.example.fi')
				.map((m) => m.body)
				.join()
		).not.toContain('Vuokralainen A');
	});
});

describe('recordDecision: only the controller decides', () => {
	it('for a breach the main connector found about tenant B, tenant B’s administrator decides and the main connector cannot', async () => {
		const report = await breach(mcStaff, { tenantIds: [tenantB], mainConnector: false });
		const [controller] = reportControllers(db, report);
		expect(mayDecideFor(mcAdmin, controller)).toBe(false);
		expect(mayDecideFor(session(adminA), controller)).toBe(false);
		expect(mayDecideFor(session(adminB), controller)).toBe(true);

		expect(recordDecision(db, admin, mcAdmin, report.id, tenantB, DECIDED, at(5))).toEqual({ ok: false, reason: 'not_controller' });
		// Another tenant's administrator does not even see it.
		expect(recordDecision(db, actorOf(adminA), session(adminA), report.id, tenantB, DECIDED, at(5))).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(recordDecision(db, actorOf(adminB), session(adminB), report.id, MAIN_CONNECTOR_CONTROLLER, DECIDED, at(5))).toEqual({
			ok: false,
			reason: 'not_controller'
		});
		expect(listDecisions(db, report.id)).toEqual([]);

		expect(recordDecision(db, actorOf(adminB), session(adminB), report.id, tenantB, DECIDED, at(30))).toEqual({ ok: true });
		expect(
			recordDecision(
				db,
				actorOf(adminB),
				session(adminB),
				report.id,
				tenantB,
				{ ...DECIDED, decision: 'notify_authority', notifiedOn: '2026-03-28' },
				at(31)
			)
		).toEqual({ ok: false, reason: 'already_decided' });
		const stored = db.select().from(incidentDecision).where(eq(incidentDecision.reportId, report.id)).all();
		expect(stored).toEqual([
			expect.objectContaining({
				controllerKey: tenantB,
				tenantId: tenantB,
				decision: 'no_notification',
				reason: 'The message was deleted unread.',
				subjectsDecision: 'not_inform_subjects',
				subjectsReason: 'No risk to the client.',
				decidedBy: 'admin@b.example.fi',
				decidedById: adminB.id
			})
		]);
		expect(stored[0].decidedAt.getTime()).toBe(at(30).getTime());
		const entry = db.select().from(auditEntry).where(eq(auditEntry.action, 'incident.decision')).get()!;
		expect(entry).toMatchObject({
			tenantId: tenantB,
			summary: 'Vuokralainen B Oy as controller: no_notification, not_inform_subjects, 30 h after noticing'
		});
		expect(
			listEvents(db, report.id, mcAdmin)
				.slice(-2)
				.map((e) => e.action)
		).toEqual(['decision_no_notification', 'subjects_not_inform_subjects']);
		// The other party, the main connector, is told.
		expect(notificationsOf(admin.id!, 'breach_decided').map((n) => n.params)).toEqual([
			{ ref: reportRef(report.id), party: 'Vuokralainen B Oy', decisionCode: 'no_notification' }
		]);
		expect(controllersAwaitingDecision(db, getReport(db, report.id)!)).toEqual([]);
	});

	it('the main connector’s administrators decide for its own staff’s documents; other main connector roles do not', async () => {
		const report = await breach(mcStaff, { tenantIds: [], mainConnector: true });
		expect(recordDecision(db, actorOf(mcStaff), session(mcStaff), report.id, MAIN_CONNECTOR_CONTROLLER, DECIDED, at(1))).toEqual({
			ok: false,
			reason: 'not_controller'
		});
		expect(
			recordDecision(
				db,
				admin,
				mcAdmin,
				report.id,
				MAIN_CONNECTOR_CONTROLLER,
				{
					...DECIDED,
					decision: 'notify_authority',
					notifiedOn: '2026-03-30',
					subjectsDecision: 'inform_subjects',
					subjectsInformedOn: '2026-03-30'
				},
				at(80)
			)
		).toEqual({ ok: true });
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'incident.decision')).get()?.summary).toBe(
			'main connector as controller: notify_authority (notified 2026-03-30), inform_subjects, 80 h after noticing, after the 72 h deadline'
		);
		expect(listDecisions(db, report.id)[0]).toMatchObject({
			tenantId: null,
			authorityNotifiedOn: '2026-03-30',
			subjectsInformedOn: '2026-03-30'
		});
	});

	it('refuses decisions on other kinds', async () => {
		const disturbance = await breach(staffA, { tenantIds: [], mainConnector: false }, { kind: 'kanta_disturbance' });
		expect(recordDecision(db, actorOf(adminA), session(adminA), disturbance.id, tenantA, DECIDED, at(1))).toEqual({
			ok: false,
			reason: 'not_a_breach'
		});
	});
});

describe('scanBreachEscalations: the 72-hour reminders reach the controller', () => {
	const dpoMails = () => outbox().filter((m) => m.to === 'tietosuoja@mc.example.fi' && m.subject.includes('päätös puuttuu'));

	it('reminds tenant B’s administrators and contact persons of a report about tenant B, not the main connector’s administrators', async () => {
		const report = await breach(mcStaff, { tenantIds: [tenantB], mainConnector: false });
		expect(await scanBreachEscalations(db, at(23.9))).toBe(0);
		expect(await scanBreachEscalations(db, at(24))).toBe(1);
		expect(claimsOf(report.id)).toEqual([`breach:${tenantB}:24`]);
		expect(notificationsOf(adminB.id, 'breach_escalation').map((n) => n.params)).toEqual([
			{ ref: reportRef(report.id), hours: 24, hoursLeft: 48, party: 'Vuokralainen B Oy' }
		]);
		expect(notificationsOf(admin.id!, 'breach_escalation')).toEqual([]);
		expect(notificationsOf(adminA.id, 'breach_escalation')).toEqual([]);
		expect(
			outbox()
				.filter((m) => m.subject.includes('24 h'))
				.map((m) => m.to)
				.sort()
		).toEqual(['bodil@b.example.fi', 'tietosuoja@mc.example.fi']);

		// Every later run within the same step sends nothing again.
		for (const hours of [24, 25, 30, 47.9]) expect(await scanBreachEscalations(db, at(hours))).toBe(0);
		expect(await scanBreachEscalations(db, at(48.5))).toBe(1);
		recordDecision(db, actorOf(adminB), session(adminB), report.id, tenantB, DECIDED, at(50));
		expect(await scanBreachEscalations(db, at(66))).toBe(0);
		expect(claimsOf(report.id)).toEqual([`breach:${tenantB}:24`, `breach:${tenantB}:48`]);
		expect(dpoMails()).toHaveLength(2);
		expect(
			db
				.select()
				.from(auditEntry)
				.where(eq(auditEntry.action, 'incident.escalate'))
				.all()
				.map((e) => e.tenantId)
		).toEqual([tenantB, tenantB]);
	});

	it('reminds each controller separately and stops for the one that has decided', async () => {
		const report = await breach(mcStaff, { tenantIds: [tenantA], mainConnector: true });
		recordDecision(db, admin, mcAdmin, report.id, MAIN_CONNECTOR_CONTROLLER, DECIDED, at(2));
		expect(await scanBreachEscalations(db, at(24))).toBe(1);
		expect(notificationsOf(adminA.id, 'breach_escalation')).toHaveLength(1);
		expect(notificationsOf(admin.id!, 'breach_escalation')).toEqual([]);
	});

	it('reminds the main connector’s administrators for its own activity, announcing only the latest step when late', async () => {
		const report = await breach(mcStaff, { tenantIds: [], mainConnector: true }, { noticedAt: at(-70) });
		expect(await scanBreachEscalations(db, at(0))).toBe(1);
		expect(claimsOf(report.id)).toEqual(['breach:main_connector:24', 'breach:main_connector:48', 'breach:main_connector:66']);
		expect(notificationsOf(admin.id!, 'breach_escalation').map((n) => n.params)).toEqual([
			{ ref: reportRef(report.id), hours: 66, hoursLeft: 2, party: '' }
		]);
		expect(dpoMails().map((m) => m.subject)).toEqual([expect.stringContaining('66 h')]);
		expect(await scanBreachEscalations(db, at(10))).toBe(0);
	});

	it('leaves other kinds alone, and runs as part of the scheduled work', async () => {
		await breach(staffA, { tenantIds: [], mainConnector: false }, { kind: 'system_disturbance' });
		const open = await breach(staffA, { tenantIds: [], mainConnector: false });
		expect((await runScheduledWork(db, at(30))).breachEscalations).toBe(1);
		expect(claimsOf(open.id)).toEqual([`breach:${tenantA}:24`]);
		expect((await runScheduledWork(db, at(31))).breachEscalations).toBe(0);
	});
});

describe('onward notices (§4.1)', () => {
	it('the main connector records whom it notified, when, how and by whom; a tenant cannot', async () => {
		const report = await breach(staffA, { tenantIds: [], mainConnector: false }, { kind: 'significant_deviation' });
		const notice = {
			recipient: 'supervisory_authority' as const,
			notifiedAt: at(3),
			method: 'E-mail to the registry',
			notifiedBy: 'Aino Admin',
			note: 'Ref. 123/2026'
		};
		expect(recordOnwardNotice(db, actorOf(adminA), session(adminA), report.id, notice, at(4))).toEqual({ ok: false, reason: 'not_found' });
		expect(recordOnwardNotice(db, admin, mcAdmin, report.id, notice, at(4))).toEqual({ ok: true });
		expect(
			recordOnwardNotice(
				db,
				admin,
				mcAdmin,
				report.id,
				{ ...notice, recipient: 'system_manufacturer', notifiedAt: at(2), method: 'Support portal', note: '' },
				at(5)
			)
		).toEqual({ ok: true });
		expect(
			listOnwardNotices(db, report.id).map((n) => [n.recipient, n.notifiedAt.getTime(), n.method, n.notifiedBy, n.recordedBy])
		).toEqual([
			['system_manufacturer', at(2).getTime(), 'Support portal', 'Aino Admin', admin.label],
			['supervisory_authority', at(3).getTime(), 'E-mail to the registry', 'Aino Admin', admin.label]
		]);
		expect(
			listEvents(db, report.id, mcAdmin)
				.filter((e) => e.action.startsWith('onward_'))
				.map((e) => e.action)
		).toEqual(['onward_supervisory_authority', 'onward_system_manufacturer']);
		expect(
			db
				.select()
				.from(auditEntry)
				.where(eq(auditEntry.action, 'incident.onward_notice'))
				.all()
				.map((e) => e.summary)
		).toEqual([
			'supervisory_authority notified 2026-03-27T13:00 (Helsinki) by Aino Admin, E-mail to the registry',
			'system_manufacturer notified 2026-03-27T12:00 (Helsinki) by Aino Admin, Support portal'
		]);
	});
});
