import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index';
import { auditEntry, incidentTenant, notification, type User } from '../db/schema';
import type { Actor } from '../actor';
import { toSessionUser, type SessionUser } from '../auth/session';
import { getUser } from '../auth/accounts';
import { listOutbox } from '../mail/mailer';
import { addDesignatedPerson } from '../organisation/organisation';
import { addTenant, DESIGNATED_PERSONS, freshDb, insertUser, setUpMainConnector } from '../test-support';
import { decisionDeadline } from './deadline';
import { recordDecision } from './decisions';
import type { DecisionInput } from '../../domain';
import {
	addAction,
	canSeeReport,
	createReport,
	getVisibleReport,
	listEvents,
	listReports,
	reportRef,
	reportScope,
	setStatus,
	type ReportInput
} from './incidents';
import { reportCsvRows } from './report-csv';
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
	return {
		kind: 'data_breach',
		noticedAt: T0,
		description: 'A printed client list was left in the waiting room.',
		affected: 'Clients of one unit',
		reporterName: 'Anna',
		reporterContact: 'anna@a.example.fi, 040 123',
		concerns: { tenantIds: [], mainConnector: false },
		jointServices: [],
		...overrides
	};
}

/** Files a report that must be accepted, and returns it. */
async function file(by: User, overrides: Partial<ReportInput> = {}, now = at(1)) {
	const result = await createReport(db, actorOf(by), session(by), input(overrides), now);
	if (!result.ok) throw new Error(result.reason);
	return result.report;
}

const NO_NOTIFICATION: DecisionInput = {
	decision: 'no_notification',
	notifiedOn: null,
	reason: 'Recovered unread',
	subjectsDecision: 'not_inform_subjects',
	subjectsInformedOn: null,
	subjectsReason: 'No risk to them'
};

const outbox = () => listOutbox(db, { page: 1, pageSize: 500 }).messages;
const notificationsOf = (userId: string) => db.select().from(notification).where(eq(notification.userId, userId)).all();
const auditOf = (id: string) =>
	db
		.select()
		.from(auditEntry)
		.where(eq(auditEntry.targetId, id))
		.all()
		.map((e) => e.action);

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
	it('stores a tenant’s report as concerning that tenant, logs and audits it, and notifies both parties’ administrators', async () => {
		const report = await file(staffA, { kind: 'system_disturbance' });
		expect(report).toMatchObject({
			tenantId: tenantA,
			reporterId: staffA.id,
			status: 'received',
			kind: 'system_disturbance',
			concernsMainConnector: false
		});
		expect(report.noticedAt.getTime()).toBe(T0.getTime());
		expect(
			db
				.select()
				.from(incidentTenant)
				.where(eq(incidentTenant.reportId, report.id))
				.all()
				.map((r) => r.tenantId)
		).toEqual([tenantA]);
		expect(listEvents(db, report.id, mcAdmin).map((e) => e.action)).toEqual(['reported', 'notified']);
		expect(auditOf(report.id)).toEqual(['incident.report']);
		const expected = {
			kind: 'incident_reported',
			link: `/incidents/${report.id}`,
			params: { ref: reportRef(report.id), kindCode: 'system_disturbance', tenant: 'Vuokralainen A Oy' }
		};
		for (const id of [admin.id!, otherMcAdmin.id, adminA.id]) expect(notificationsOf(id)).toEqual([expect.objectContaining(expected)]);
		expect(notificationsOf(mcSigner.id)).toEqual([]);
		expect(notificationsOf(adminB.id)).toEqual([]);
	});

	it('a tenant’s people report only for their own tenant, whatever the form asked', async () => {
		const report = await file(staffA, { concerns: { tenantIds: [tenantB], mainConnector: true } });
		expect(report.concernsMainConnector).toBe(false);
		expect(
			db
				.select()
				.from(incidentTenant)
				.where(eq(incidentTenant.reportId, report.id))
				.all()
				.map((r) => r.tenantId)
		).toEqual([tenantA]);
	});

	it('e-mails the disturbance contact only for a disturbance, and the data protection officer too for a suspected breach', async () => {
		await file(staffA, { kind: 'kanta_disturbance' });
		expect(outbox().map((m) => m.to)).toEqual(['hairiot@mc.example.fi']);

		const breach = await file(staffA, {}, at(2));
		const mails = outbox().filter((m) => m.subject.includes(reportRef(breach.id)));
		expect(mails.map((m) => m.to).sort()).toEqual(['hairiot@mc.example.fi', 'tietosuoja@mc.example.fi']);
		const dpo = mails.find((m) => m.to === 'tietosuoja@mc.example.fi')!;
		expect(dpo.subject).toContain('Epäilty henkilötietojen tietoturvaloukkaus');
		expect(dpo.subject).toContain('Misstänkt personuppgiftsincident');
		// The deadline in the mail is the Helsinki wall clock 72 h later: summer time has begun by then.
		expect(dpo.body).toContain('30.3.2026 klo 11.00');
		expect(dpo.body).toContain('Vuokralainen A Oy');
		expect(listEvents(db, breach.id, mcAdmin).find((e) => e.action === 'notified')?.note).toBe(
			'tietosuoja@mc.example.fi, hairiot@mc.example.fi'
		);
	});

	it('a breach the main connector’s staff find about a tenant concerns that tenant: its administrators and contact persons are told', async () => {
		const tenantC = addTenant(db, admin, {
			name: 'Vuokralainen C Oy',
			contacts: [{ name: 'Cecilia C', title: 'Toimitusjohtaja', email: 'cecilia@c.example.fi', phone: '' }]
		});
		const adminC = insertUser(db, { name: 'Carl C', email: 'admin@c.example.fi', tenantId: tenantC, roles: ['tenant_admin'] });
		const report = await file(mcSigner, { concerns: { tenantIds: [tenantC], mainConnector: false } });
		expect(report).toMatchObject({ tenantId: null, concernsMainConnector: false });
		expect(notificationsOf(adminC.id)).toEqual([
			expect.objectContaining({ kind: 'incident_reported', params: expect.objectContaining({ tenant: 'Vuokralainen C Oy' }) })
		]);
		expect(
			outbox()
				.filter((m) => m.subject.includes(reportRef(report.id)))
				.map((m) => m.to)
				.sort()
		).toEqual(['cecilia@c.example.fi', 'hairiot@mc.example.fi', 'tietosuoja@mc.example.fi']);
		expect(db.select().from(auditEntry).where(eq(auditEntry.targetId, report.id)).get()?.tenantId).toBe(tenantC);
	});

	it('refuses a main connector report that names nobody, and files one for the main connector’s own activity', async () => {
		expect(await createReport(db, actorOf(mcSigner), session(mcSigner), input(), at(1))).toEqual({ ok: false, reason: 'no_party' });
		// An archived or unknown tenant id counts as nobody.
		expect(
			await createReport(
				db,
				actorOf(mcSigner),
				session(mcSigner),
				input({ concerns: { tenantIds: [crypto.randomUUID()], mainConnector: false } }),
				at(1)
			)
		).toEqual({ ok: false, reason: 'no_party' });
		const own = await file(mcSigner, { kind: 'other', concerns: { tenantIds: [], mainConnector: true } });
		expect(own).toMatchObject({ tenantId: null, concernsMainConnector: true });
		expect(notificationsOf(admin.id!)[0].params.tenant).toBe('');
	});

	it('keeps the jointly controlled services of a suspected breach, and none for other kinds', async () => {
		const breach = await file(staffA, { jointServices: ['prescription', 'disclosure_logs', 'prescription'] });
		expect(breach.jointServices).toEqual(['prescription', 'disclosure_logs']);
		const disturbance = await file(staffA, { kind: 'system_disturbance', jointServices: ['prescription'] });
		expect(disturbance.jointServices).toEqual([]);
	});
});

describe('visibility', () => {
	let ownA: string;
	let otherA: string;
	let ownB: string;
	let mainOwn: string;
	let mainAboutB: string;

	beforeEach(async () => {
		ownA = (await file(staffA, {}, at(1))).id;
		otherA = (await file(staffA2, { kind: 'system_disturbance' }, at(2))).id;
		ownB = (await file(staffB, {}, at(3))).id;
		mainOwn = (
			await file(mcSigner, { kind: 'other', affected: 'Äitiysneuvolan asiakkaat', concerns: { tenantIds: [], mainConnector: true } }, at(4))
		).id;
		mainAboutB = (await file(otherMcAdmin, { concerns: { tenantIds: [tenantB], mainConnector: false } }, at(5))).id;
	});

	const visibleTo = (u: SessionUser) =>
		listReports(db, reportScope(u), { page: 1, pageSize: 50 })
			.rows.map((r) => r.id)
			.sort();

	it('the main connector’s administrators see every report', () => {
		expect(reportScope(mcAdmin)).toEqual({ kind: 'all' });
		expect(visibleTo(mcAdmin)).toEqual([ownA, otherA, ownB, mainOwn, mainAboutB].sort());
	});

	it('a tenant administrator sees the reports concerning the tenant, also those the main connector filed, and no other', () => {
		expect(visibleTo(session(adminA))).toEqual([ownA, otherA].sort());
		expect(visibleTo(session(adminB))).toEqual([ownB, mainAboutB].sort());
		expect(getVisibleReport(db, session(adminB), mainAboutB)?.id).toBe(mainAboutB);
		expect(getVisibleReport(db, session(adminA), mainAboutB)).toBeUndefined();
		expect(getVisibleReport(db, session(adminA), ownB)).toBeUndefined();
		expect(getVisibleReport(db, session(adminA), mainOwn)).toBeUndefined();
	});

	it('a tenant sees only its own name among the parties of a report concerning several', async () => {
		const both = (await file(mcSigner, { concerns: { tenantIds: [tenantA, tenantB], mainConnector: true } }, at(6))).id;
		const rowFor = (u: SessionUser) => listReports(db, reportScope(u), { page: 1, pageSize: 50 }).rows.find((r) => r.id === both)!;
		expect(rowFor(session(adminA)).tenants.map((t) => t.name)).toEqual(['Vuokralainen A Oy']);
		expect(rowFor(mcAdmin).tenants.map((t) => t.name)).toEqual(['Vuokralainen A Oy', 'Vuokralainen B Oy']);
		// Searching by another concerned tenant's name finds nothing for a tenant.
		expect(listReports(db, reportScope(session(adminA)), { query: 'B Oy', page: 1, pageSize: 50 }).rows.map((r) => r.id)).toEqual([]);
	});

	it('a reporter sees their own reports only, not a colleague’s', () => {
		expect(visibleTo(session(staffA))).toEqual([ownA]);
		expect(getVisibleReport(db, session(staffA), otherA)).toBeUndefined();
		expect(canSeeReport(db, session(staffA), { id: otherA, reporterId: staffA2.id })).toBe(false);
		expect(visibleTo(session(staffB))).toEqual([ownB]);
		// Main connector people without the view action see only their own, too.
		expect(visibleTo(session(mcSigner))).toEqual([mainOwn]);
		expect(getVisibleReport(db, session(mcSigner), ownA)).toBeUndefined();
	});

	it('lists breaches awaiting a decision first and filters by kind, status and text', () => {
		const rows = listReports(db, { kind: 'all' }, { page: 1, pageSize: 50 }).rows;
		expect(rows.slice(0, 3).map((r) => r.id)).toEqual([mainAboutB, ownB, ownA]);
		expect(rows[1].tenants.map((t) => t.name)).toEqual(['Vuokralainen B Oy']);
		expect(listReports(db, { kind: 'all' }, { kind: 'other', page: 1, pageSize: 50 }).rows.map((r) => r.id)).toEqual([mainOwn]);
		expect(listReports(db, { kind: 'all' }, { query: 'B Oy', page: 1, pageSize: 50 }).rows.map((r) => r.id)).toEqual([mainAboutB, ownB]);
		expect(listReports(db, { kind: 'all' }, { query: reportRef(ownA), page: 1, pageSize: 50 }).rows.map((r) => r.id)).toEqual([ownA]);
		expect(listReports(db, { kind: 'all' }, { query: '100%', page: 1, pageSize: 50 }).total).toBe(0);
		// Case is ignored in every letter, not only in ASCII ones as SQLite's LIKE would.
		expect(listReports(db, { kind: 'all' }, { query: 'äitiysneuvola', page: 1, pageSize: 50 }).rows.map((r) => r.id)).toEqual([mainOwn]);
	});
});

describe('handling', () => {
	it('moves through the statuses, logs each step, and never leaves closed', async () => {
		const { id } = await file(staffA, { kind: 'system_disturbance' }, at(0));
		expect(setStatus(db, admin, id, 'received', at(1))).toEqual({ ok: false, reason: 'wrong_state' });
		expect(setStatus(db, admin, id, 'investigating', at(1))).toEqual({ ok: true });
		expect(addAction(db, admin, mcAdmin, id, 'Restarted the integration service', at(2))).toEqual({ ok: true });
		expect(setStatus(db, admin, id, 'resolved', at(3))).toEqual({ ok: true });
		expect(setStatus(db, admin, id, 'closed', at(4))).toEqual({ ok: true });
		expect(setStatus(db, admin, id, 'investigating', at(5))).toEqual({ ok: false, reason: 'wrong_state' });
		expect(addAction(db, admin, mcAdmin, id, 'late', at(5))).toEqual({ ok: false, reason: 'wrong_state' });
		const events = listEvents(db, id, mcAdmin);
		expect(events.map((e) => e.action)).toEqual([
			'reported',
			'notified',
			'status_investigating',
			'note',
			'status_resolved',
			'status_closed'
		]);
		expect(events[3]).toMatchObject({ actorLabel: admin.label, note: 'Restarted the integration service', at: at(2) });
		expect(auditOf(id)).toEqual(['incident.report', 'incident.status', 'incident.note', 'incident.status', 'incident.status']);
		expect(setStatus(db, admin, crypto.randomUUID(), 'closed')).toEqual({ ok: false, reason: 'not_found' });
	});

	it('both parties add to the action log: the concerned tenant’s administrator may, another tenant’s and a staff member may not', async () => {
		const { id } = await file(mcSigner, { concerns: { tenantIds: [tenantB], mainConnector: false } }, at(0));
		expect(addAction(db, actorOf(adminB), session(adminB), id, 'Asked the recipient to delete the message', at(1))).toEqual({ ok: true });
		expect(addAction(db, actorOf(adminA), session(adminA), id, 'x', at(2))).toEqual({ ok: false, reason: 'not_found' });
		expect(addAction(db, actorOf(staffB), session(staffB), id, 'x', at(2))).toEqual({ ok: false, reason: 'not_found' });
		expect(listEvents(db, id, mcAdmin).at(-1)).toMatchObject({ action: 'note', actorLabel: 'admin@b.example.fi' });
		expect(
			db
				.select()
				.from(auditEntry)
				.where(eq(auditEntry.action, 'incident.note'))
				.all()
				.map((e) => e.tenantId)
		).toEqual([tenantB]);
	});

	it('closes a suspected breach only once every controller’s decision is recorded', async () => {
		const { id } = await file(otherMcAdmin, { concerns: { tenantIds: [tenantA], mainConnector: true } }, at(0));
		expect(setStatus(db, admin, id, 'closed', at(1))).toEqual({ ok: false, reason: 'decision_missing' });
		expect(recordDecision(db, admin, mcAdmin, id, 'main_connector', NO_NOTIFICATION, at(10))).toEqual({ ok: true });
		expect(setStatus(db, admin, id, 'closed', at(11))).toEqual({ ok: false, reason: 'decision_missing' });
		expect(recordDecision(db, actorOf(adminA), session(adminA), id, tenantA, NO_NOTIFICATION, at(20))).toEqual({ ok: true });
		expect(setStatus(db, admin, id, 'closed', at(21))).toEqual({ ok: true });
	});
});

describe('texts and export', () => {
	it('describes its notifications in the reader’s language', () => {
		expect(
			describeIncidentNotification(
				{ kind: 'breach_escalation', params: { ref: 'abcd1234', hours: 48, hoursLeft: 24, party: 'Vuokralainen A Oy' } },
				'en'
			)
		).toBe('Suspected breach abcd1234: no decision yet from Vuokralainen A Oy, over 48 h since it was noticed; 24 h left');
		expect(
			describeIncidentNotification(
				{ kind: 'breach_decided', params: { ref: 'abcd1234', party: 'Vuokralainen A Oy', decisionCode: 'no_notification' } },
				'sv'
			)
		).toBe('Misstänkt personuppgiftsincident abcd1234: Vuokralainen A Oy registrerade sitt beslut: Ingen anmälan till dataombudsmannen');
		expect(
			describeIncidentNotification(
				{ kind: 'incident_reported', params: { ref: 'abcd1234', kindCode: 'kanta_disturbance', tenant: '' } },
				'fi'
			)
		).toBe('Uusi ilmoitus abcd1234: Kanta-palvelujen häiriö (Pääliittyjä (oma henkilöstö))');
		expect(describeIncidentNotification({ kind: 'certificate_expiring', params: {} }, 'fi')).toBeNull();
	});

	it('exports the rows with Helsinki times, the parties, and each controller’s decision', async () => {
		const breach = await file(staffA, {}, at(0));
		recordDecision(
			db,
			actorOf(adminA),
			session(adminA),
			breach.id,
			tenantA,
			{
				decision: 'notify_authority',
				notifiedOn: '2026-03-28',
				reason: 'Risk to clients',
				subjectsDecision: 'inform_subjects',
				subjectsInformedOn: '2026-03-28',
				subjectsReason: ''
			},
			at(20)
		);
		const rows = reportCsvRows(db, listReports(db, { kind: 'all' }, { page: 1, pageSize: 50 }).rows, 'en', null);
		expect(rows[0].slice(0, 7)).toEqual(['Reference', 'Reported', 'Concerns', 'Type', 'Status', 'Noticed at', 'Decision due']);
		expect(rows[1].slice(0, 13)).toEqual([
			reportRef(breach.id),
			'2026-03-27 10:00',
			'Vuokralainen A Oy',
			'Suspected personal data breach',
			'Received',
			'2026-03-27 10:00',
			'2026-03-30 11:00',
			'Vuokralainen A Oy: The Data Protection Ombudsman is notified',
			'Vuokralainen A Oy: 2026-03-28 06:00',
			'Vuokralainen A Oy: admin@a.example.fi',
			'Vuokralainen A Oy: 2026-03-28',
			'Vuokralainen A Oy: Risk to clients',
			'Vuokralainen A Oy: The data subjects are informed (2026-03-28)'
		]);
		expect(decisionDeadline(breach.noticedAt).toISOString()).toBe('2026-03-30T08:00:00.000Z');
	});
});
