import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/index';
import { checklistItem, notification, prerequisiteType, reminderLog, tenant, type Notification, type User } from '../db/schema';
import type { Actor } from '../actor';
import { config } from '../config';
import { listOutbox } from '../mail/mailer';
import { setUserLocale } from '../people/people';
import { saveSetting } from '../settings';
import { runScheduledWork } from '../scheduler';
import { getChecklist, planItem } from '../prerequisites/checklist';
import { todayInHelsinki } from '../../time';
import {
	addManualCertificate,
	addTenant,
	freshDb,
	insertUser,
	MAIN_CONNECTOR_HOLDER,
	personHolder,
	setUpMainConnector,
	itemRef
} from '../test-support';
import { createReport } from '../incidents/incidents';
import { scanBreachEscalations } from '../incidents/decisions';
import { countUnread, listNotifications, markAllRead, notify } from '../notifications/notifications';
import { describeNotification, scanCertificateReminders, scanChecklistReminders, sendDailyDigests } from './reminders';

const T0 = new Date('2025-03-10T08:00:00Z'); // 10:00 on Monday 10 March in Helsinki
const DAY_MS = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);

let db: Db;
let admin: Actor;
let mcAdminId: string;
let tenantA: string;
let tenantB: string;
let certAdmin: User;
let formerCertAdmin: User;
let adminA: User;
let adminB: User;
let staffA: User;
let signerA: User;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	mcAdminId = admin.id!;
	tenantA = addTenant(db, admin, { name: 'Vuokralainen A Oy' }, T0);
	tenantB = addTenant(db, admin, { name: 'Vuokralainen B Oy' }, T0);
	certAdmin = insertUser(db, { name: 'Veera Varmenne', email: 'certs@mc.example.fi', roles: ['mc_cert_admin'] });
	formerCertAdmin = insertUser(db, { name: 'Entinen', roles: ['mc_cert_admin'], status: 'deactivated' });
	adminA = insertUser(db, { name: 'Aaro A', email: 'admin@a.example.fi', tenantId: tenantA, roles: ['tenant_admin'] });
	adminB = insertUser(db, { name: 'Bea B', email: 'admin@b.example.fi', tenantId: tenantB, roles: ['tenant_admin'] });
	staffA = insertUser(db, { name: 'Anna Ammattilainen', email: 'anna@a.example.fi', tenantId: tenantA, roles: ['tenant_staff'] });
	signerA = insertUser(db, { name: 'Sami Signer', tenantId: tenantA, roles: ['tenant_signatory'] });
});

const notificationsOf = (userId: string): Notification[] =>
	db
		.select()
		.from(notification)
		.where(eq(notification.userId, userId))
		.all()
		.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
const notificationsFor = (link: string): Notification[] => db.select().from(notification).where(eq(notification.link, link)).all();
const recipientsOf = (link: string) =>
	notificationsFor(link)
		.map((n) => n.userId)
		.sort();
const claimsOf = (subjectId: string) =>
	db
		.select()
		.from(reminderLog)
		.where(eq(reminderLog.subjectId, subjectId))
		.all()
		.map((r) => r.reminderKey)
		.sort();
const outbox = () => listOutbox(db, { page: 1, pageSize: 500 }).messages;

function cardFor(person: User, validTo: Date, kind: 'professional_card' | 'staff_card' = 'professional_card', now = T0): string {
	return addManualCertificate(db, admin, kind, personHolder(person), validTo, now);
}

function itemId(tenantId: string, code: string): string {
	return getChecklist(db, tenantId, T0).entries.find((e) => e.type.code === code)!.item.id;
}

describe('scanCertificateReminders', () => {
	it('claims every threshold passed but announces only the most urgent, each exactly once', () => {
		const id = cardFor(staffA, at(20));
		const link = `/certificates/${id}`;
		expect(scanCertificateReminders(db, T0)).toBe(3);
		expect(claimsOf(id)).toEqual(['expiry:30', 'expiry:90']);
		// One notification per recipient, for the 30-day threshold, with the days actually left.
		expect(recipientsOf(link)).toEqual([adminA.id, certAdmin.id, staffA.id].sort());
		for (const n of notificationsFor(link)) {
			expect(n.kind).toBe('certificate_expiring');
			expect(n.params).toEqual({ holder: 'Anna Ammattilainen', kindCode: 'professional_card', days: 20, date: todayInHelsinki(at(20)) });
		}

		expect(scanCertificateReminders(db, T0)).toBe(0);
		expect(scanCertificateReminders(db, new Date(T0.getTime() + 3_600_000))).toBe(0);
		expect(scanCertificateReminders(db, at(5))).toBe(0);

		expect(scanCertificateReminders(db, at(7))).toBe(3);
		expect(claimsOf(id)).toEqual(['expiry:14', 'expiry:30', 'expiry:90']);
		expect(notificationsOf(staffA.id).map((n) => n.params.days)).toEqual([20, 13]);
		expect(scanCertificateReminders(db, at(7))).toBe(0);
		expect(scanCertificateReminders(db, at(8))).toBe(0);
		expect(notificationsFor(link)).toHaveLength(6);
	});

	it('sends to certificate administrators, the holder’s tenant administrators and the card holder only', () => {
		const id = cardFor(staffA, at(10));
		scanCertificateReminders(db, T0);
		expect(recipientsOf(`/certificates/${id}`)).toEqual([adminA.id, certAdmin.id, staffA.id].sort());
		for (const other of [adminB, signerA, formerCertAdmin]) expect(notificationsOf(other.id)).toEqual([]);
		expect(notificationsOf(mcAdminId)).toEqual([]);

		// The main connector's own certificate concerns no tenant.
		const server = addManualCertificate(db, admin, 'server', MAIN_CONNECTOR_HOLDER, at(25), T0);
		expect(scanCertificateReminders(db, T0)).toBe(1);
		expect(recipientsOf(`/certificates/${server}`)).toEqual([certAdmin.id]);

		// A tenant's own certificate reaches its administrators, not another tenant's.
		const assessment = addManualCertificate(
			db,
			admin,
			'security_assessment',
			{ type: 'tenant', tenantId: tenantB, userId: null, name: 'Vuokralainen B Oy' },
			at(25),
			T0
		);
		expect(scanCertificateReminders(db, T0)).toBe(2);
		expect(recipientsOf(`/certificates/${assessment}`)).toEqual([adminB.id, certAdmin.id].sort());
	});

	it('leaves certificates beyond the longest threshold alone', () => {
		cardFor(staffA, at(91));
		expect(scanCertificateReminders(db, T0)).toBe(0);
		expect(scanCertificateReminders(db, at(1))).toBe(3);
	});

	it('starts afresh after a renewal and stops reminding about the superseded certificate', () => {
		const old = cardFor(staffA, at(20));
		expect(scanCertificateReminders(db, T0)).toBe(3);
		const renewed = cardFor(staffA, at(65), 'professional_card', at(5));
		// Day 14: the old one would reach 7 days, the new one (51 days left) its 90-day threshold.
		expect(scanCertificateReminders(db, at(14))).toBe(3);
		expect(notificationsFor(`/certificates/${old}`)).toHaveLength(3);
		expect(recipientsOf(`/certificates/${renewed}`)).toEqual([adminA.id, certAdmin.id, staffA.id].sort());
		expect(notificationsFor(`/certificates/${renewed}`)[0].params.days).toBe(51);
		expect(claimsOf(renewed)).toEqual(['expiry:90']);
		// The old one's expiry day passes in silence.
		expect(scanCertificateReminders(db, at(20.5))).toBe(0);
		expect(notificationsFor(`/certificates/${old}`)).toHaveLength(3);
		expect(claimsOf(old)).toEqual(['expiry:30', 'expiry:90']);
		// The new one's 30-day threshold.
		expect(scanCertificateReminders(db, at(36))).toBe(3);
		expect(notificationsFor(`/certificates/${renewed}`).filter((n) => n.params.days === 29)).toHaveLength(3);
	});

	it('announces the expiry day as certificate_expired', () => {
		const validTo = at(1.5);
		const id = cardFor(staffA, validTo);
		expect(scanCertificateReminders(db, T0)).toBe(3);
		expect(notificationsOf(staffA.id).map((n) => [n.kind, n.params.days])).toEqual([['certificate_expiring', 2]]);
		const afterExpiry = new Date(validTo.getTime() + 60_000);
		expect(scanCertificateReminders(db, afterExpiry)).toBe(3);
		expect(claimsOf(id)).toEqual(['expiry:0', 'expiry:1', 'expiry:14', 'expiry:30', 'expiry:7', 'expiry:90']);
		const expired = notificationsOf(staffA.id)[1];
		expect(expired.kind).toBe('certificate_expired');
		expect(expired.params).toMatchObject({ days: 0, date: todayInHelsinki(validTo) });
		expect(scanCertificateReminders(db, afterExpiry)).toBe(0);
		expect(scanCertificateReminders(db, at(30))).toBe(0);
	});

	it('also announces a certificate recorded after it had already expired, once', () => {
		cardFor(staffA, at(-3));
		expect(scanCertificateReminders(db, T0)).toBe(3);
		expect(notificationsOf(staffA.id).map((n) => n.kind)).toEqual(['certificate_expired']);
		expect(scanCertificateReminders(db, at(1))).toBe(0);
	});

	it('follows the configured thresholds', () => {
		saveSetting(db, admin, 'reminderThresholds', [10]);
		cardFor(staffA, at(20));
		expect(scanCertificateReminders(db, T0)).toBe(0);
		expect(scanCertificateReminders(db, at(10))).toBe(3);
		// A threshold added later is claimed quietly: the 10-day one already announced this certificate.
		saveSetting(db, admin, 'reminderThresholds', [10, 90]);
		expect(scanCertificateReminders(db, at(11))).toBe(0);
		saveSetting(db, admin, 'reminderThresholds', []);
		cardFor(adminA, at(1), 'staff_card');
		expect(scanCertificateReminders(db, T0)).toBe(0);
	});
});

describe('scanChecklistReminders', () => {
	it('reminds once when due within 7 days and once more when overdue', () => {
		const plan = itemId(tenantA, 'national_specifications_health');
		const later = itemId(tenantA, 'self_monitoring_plan');
		planItem(db, admin, itemRef(db, plan), { ownerId: signerA.id, dueDate: '2025-03-17' }, T0); // exactly a week ahead
		planItem(db, admin, itemRef(db, later), { ownerId: null, dueDate: '2025-03-18' }, T0);
		const planLink = `/tenants/${tenantA}/checklist#item-${plan}`;
		const laterLink = `/tenants/${tenantA}/checklist#item-${later}`;

		expect(scanChecklistReminders(db, T0)).toBe(2);
		expect(recipientsOf(planLink)).toEqual([adminA.id, signerA.id].sort());
		expect(notificationsFor(planLink)[0]).toMatchObject({
			kind: 'checklist_due',
			params: { tenant: 'Vuokralainen A Oy', code: 'national_specifications_health', date: '2025-03-17' }
		});
		expect(notificationsFor(laterLink)).toEqual([]);
		expect(scanChecklistReminders(db, T0)).toBe(0);

		expect(scanChecklistReminders(db, at(1))).toBe(1);
		expect(recipientsOf(laterLink)).toEqual([adminA.id]);
		// On the due date itself it is not yet overdue.
		expect(scanChecklistReminders(db, new Date('2025-03-17T20:00:00Z'))).toBe(0);

		const overdueDay = new Date('2025-03-18T06:00:00Z');
		expect(scanChecklistReminders(db, overdueDay)).toBe(2);
		expect(
			notificationsFor(planLink)
				.filter((n) => n.kind === 'checklist_overdue')
				.map((n) => n.userId)
				.sort()
		).toEqual([adminA.id, signerA.id].sort());
		expect(scanChecklistReminders(db, overdueDay)).toBe(0);
		expect(scanChecklistReminders(db, at(30))).toBe(1); // the later item's turn to be overdue
		expect(scanChecklistReminders(db, at(60))).toBe(0);
		expect(notificationsFor(planLink)).toHaveLength(4);
		// Other tenants' people hear nothing.
		expect(notificationsOf(adminB.id)).toEqual([]);
	});

	it('sends main-connector items to its administrators, and reminds again for a new due date', () => {
		const kela = itemId(tenantA, 'kela_customer_relationship');
		planItem(db, admin, itemRef(db, kela), { ownerId: null, dueDate: '2025-03-12' }, T0);
		expect(scanChecklistReminders(db, T0)).toBe(1);
		expect(recipientsOf(`/tenants/${tenantA}/checklist#item-${kela}`)).toEqual([mcAdminId]);
		planItem(db, admin, itemRef(db, kela), { ownerId: null, dueDate: '2025-03-14' }, T0);
		expect(scanChecklistReminders(db, T0)).toBe(1);
		expect(scanChecklistReminders(db, T0)).toBe(0);
	});

	it('skips items that are not the tenant’s to act on, and those too far ahead', () => {
		const done = itemId(tenantA, 'national_specifications_health');
		const submitted = itemId(tenantA, 'staff_training');
		const far = itemId(tenantA, 'operating_models');
		for (const id of [done, submitted, far])
			planItem(db, admin, itemRef(db, id), { ownerId: null, dueDate: id === far ? '2025-03-18' : '2025-03-11' }, T0);
		db.update(checklistItem).set({ status: 'verified' }).where(eq(checklistItem.id, done)).run();
		db.update(checklistItem).set({ status: 'submitted' }).where(eq(checklistItem.id, submitted)).run();
		expect(scanChecklistReminders(db, T0)).toBe(0);
		expect(scanChecklistReminders(db, new Date('2025-03-20T10:00:00Z'))).toBe(1);
	});

	it('does not remind about archived tenants or catalogue entries taken out of use', () => {
		const archivedItem = itemId(tenantB, 'national_specifications_health');
		planItem(db, admin, itemRef(db, archivedItem), { ownerId: null, dueDate: '2025-03-11' }, T0);
		db.update(tenant).set({ archivedAt: T0 }).where(eq(tenant.id, tenantB)).run();
		const retired = itemId(tenantA, 'operating_models');
		planItem(db, admin, itemRef(db, retired), { ownerId: null, dueDate: '2025-03-11' }, T0);
		db.update(prerequisiteType).set({ active: false }).where(eq(prerequisiteType.code, 'operating_models')).run();
		expect(scanChecklistReminders(db, T0)).toBe(0);
		expect(scanChecklistReminders(db, at(5))).toBe(0);
	});
});

describe('sendDailyDigests', () => {
	it('sends one mail per person per day with everything pending, in the person’s language', async () => {
		setUserLocale(db, admin, adminA.id, 'sv');
		const card = cardFor(staffA, at(20));
		scanCertificateReminders(db, T0);
		planItem(db, admin, itemRef(db, itemId(tenantA, 'national_specifications_health')), { ownerId: null, dueDate: '2025-03-12' }, T0);
		scanChecklistReminders(db, T0);
		// Someone no longer active gets no mail.
		notify(
			db,
			[formerCertAdmin.id],
			'certificate_expiring',
			{ holder: 'X', kindCode: 'server', days: 3, date: '2025-03-13' },
			'/certificates/x',
			T0
		);

		expect(await sendDailyDigests(db, T0)).toBe(3);
		const mails = outbox();
		expect(mails.map((m) => m.to).sort()).toEqual(['admin@a.example.fi', 'anna@a.example.fi', 'certs@mc.example.fi']);
		const swedish = mails.find((m) => m.to === 'admin@a.example.fi')!;
		expect(swedish.subject).toBe('Liitos: 2 nya aviseringar');
		expect(swedish.body).toContain('Hej Aaro A');
		expect(swedish.body).toContain('Yrkeskort för Anna Ammattilainen går ut om 20 dagar');
		expect(swedish.body).toContain('Vuokralainen A Oy');
		expect(swedish.body).toContain(`${config.origin}/certificates/${card}`);
		const finnish = mails.find((m) => m.to === 'certs@mc.example.fi')!;
		expect(finnish.subject).toBe('Liitos: 1 uutta ilmoitusta');
		expect(finnish.body).toContain('Anna Ammattilainen: Ammattikortti vanhenee 20 päivän kuluttua');
		expect(finnish.body).not.toContain('Vuokralainen A Oy');

		expect(
			db
				.select()
				.from(notification)
				.where(isNull(notification.digestedAt))
				.all()
				.map((n) => n.userId)
		).toEqual([formerCertAdmin.id]);

		// Later the same day: new notifications wait for tomorrow.
		const afternoon = new Date(T0.getTime() + 6 * 3_600_000);
		notify(
			db,
			[adminA.id, certAdmin.id],
			'checklist_overdue',
			{ tenant: 'Vuokralainen A Oy', code: 'staff_training', date: '2025-03-09' },
			'/tenants/x',
			afternoon
		);
		expect(await sendDailyDigests(db, afternoon)).toBe(0);
		expect(await sendDailyDigests(db, T0)).toBe(0);
		expect(outbox()).toHaveLength(3);

		const tomorrow = at(1);
		expect(await sendDailyDigests(db, tomorrow)).toBe(2);
		const fresh = outbox().slice(0, 2);
		expect(fresh.map((m) => m.to).sort()).toEqual(['admin@a.example.fi', 'certs@mc.example.fi']);
		expect(fresh.find((m) => m.to === 'admin@a.example.fi')!.subject).toBe('Liitos: 1 nya aviseringar');
		expect(fresh.find((m) => m.to === 'certs@mc.example.fi')!.body).toContain('staff_training');
		expect(fresh.find((m) => m.to === 'certs@mc.example.fi')!.body).not.toContain('Ammattikortti');
		expect(await sendDailyDigests(db, tomorrow)).toBe(0);
		expect(await sendDailyDigests(db, at(2))).toBe(0);
		expect(outbox()).toHaveLength(5);
	});

	it('counts days in Helsinki time', async () => {
		notify(db, [certAdmin.id], 'checklist_due', { tenant: 'T', code: 'c', date: '2025-03-12' }, '/x', T0);
		const lateEvening = new Date('2025-03-10T21:30:00Z'); // 23:30 in Helsinki
		expect(await sendDailyDigests(db, lateEvening)).toBe(1);
		notify(db, [certAdmin.id], 'checklist_due', { tenant: 'T', code: 'd', date: '2025-03-12' }, '/y', lateEvening);
		expect(await sendDailyDigests(db, new Date('2025-03-10T21:50:00Z'))).toBe(0);
		expect(await sendDailyDigests(db, new Date('2025-03-10T22:10:00Z'))).toBe(1); // 00:10 on the 11th
	});

	it('keeps notifications in the app independently of the digest', async () => {
		cardFor(staffA, at(20));
		scanCertificateReminders(db, T0);
		expect(countUnread(db, staffA.id)).toBe(1);
		await sendDailyDigests(db, T0);
		expect(countUnread(db, staffA.id)).toBe(1);
		markAllRead(db, staffA.id, T0);
		expect(countUnread(db, staffA.id)).toBe(0);
		expect(listNotifications(db, staffA.id)).toHaveLength(1);
	});
});

describe('breach reminders in the digest', () => {
	it('the 72-hour reminder of a breach the main connector reported about a tenant reaches that tenant’s administrator, in their language', async () => {
		setUserLocale(db, admin, adminB.id, 'sv');
		const mcPerson = insertUser(db, { name: 'Maija Main', email: 'maija@mc.example.fi', roles: ['mc_cert_admin'] });
		const filed = await createReport(
			db,
			{ id: mcPerson.id, label: mcPerson.email, ipAddress: '' },
			{ id: mcPerson.id, tenantId: null },
			{
				kind: 'data_breach',
				noticedAt: T0,
				description: 'Wrong recipient',
				affected: '',
				reporterName: 'Maija',
				reporterContact: 'maija@mc.example.fi',
				concerns: { tenantIds: [tenantB], mainConnector: false },
				jointServices: []
			},
			T0
		);
		if (!filed.ok) throw new Error(filed.reason);
		const ref = filed.report.id.slice(0, 8);
		await scanBreachEscalations(db, new Date(T0.getTime() + 25 * 3_600_000));
		expect(await sendDailyDigests(db, at(1))).toBeGreaterThan(0);
		const digest = outbox().find((m) => m.to === 'admin@b.example.fi' && m.subject.startsWith('Liitos: '))!;
		expect(digest.body).toContain(
			`Misstänkt personuppgiftsincident ${ref}: Vuokralainen B Oy har ännu inte registrerat sitt beslut, över 24 h sedan upptäckten; 47 h kvar`
		);
		expect(outbox().some((m) => m.to === 'admin@a.example.fi')).toBe(false);
		expect(notificationsOf(mcAdminId).filter((n) => n.kind === 'breach_escalation')).toEqual([]);
	});
});

describe('describeNotification', () => {
	it('renders each kind in each language', () => {
		const expiring = { kind: 'certificate_expiring', params: { holder: 'Palvelin', kindCode: 'server', days: 5, date: '2025-03-15' } };
		expect(describeNotification(expiring, 'fi')).toBe('Palvelin: Palvelinvarmenne vanhenee 5 päivän kuluttua (2025-03-15)');
		expect(describeNotification(expiring, 'sv')).toBe('Servercertifikat för Palvelin går ut om 5 dagar (2025-03-15)');
		expect(describeNotification(expiring, 'en')).toContain('Palvelin');
		expect(
			describeNotification(
				{ kind: 'certificate_expired', params: { holder: 'Palvelin', kindCode: 'system_signature', date: '2025-03-15' } },
				'fi'
			)
		).toBe('Palvelin: Järjestelmäallekirjoitusvarmenne vanheni 2025-03-15');
		expect(
			describeNotification({ kind: 'checklist_due', params: { tenant: 'T Oy', code: 'security_plan', date: '2025-03-15' } }, 'fi')
		).toBe('T Oy: "security_plan" erääntyy 2025-03-15');
		expect(describeNotification({ kind: 'something_else', params: {} }, 'fi')).toBe('something_else');
	});
});

describe('runScheduledWork', () => {
	it('repeats nothing when run twice with the same time', async () => {
		cardFor(staffA, at(20));
		planItem(db, admin, itemRef(db, itemId(tenantA, 'national_specifications_health')), { ownerId: null, dueDate: '2025-03-12' }, T0);
		// A verified yearly item whose period ran out yesterday.
		db.update(checklistItem)
			.set({ status: 'verified', validUntil: '2025-03-09' })
			.where(eq(checklistItem.id, itemId(tenantB, 'staff_training')))
			.run();

		const first = await runScheduledWork(db, T0);
		expect(first).toMatchObject({ itemsExpired: 1, certificateReminders: 3, checklistReminders: 1, digests: 3, tenantsReady: 0 });
		expect(
			db
				.select()
				.from(checklistItem)
				.where(and(eq(checklistItem.tenantId, tenantB), eq(checklistItem.status, 'expired')))
				.all()
		).toHaveLength(1);
		const mails = outbox().length;
		expect(mails).toBe(3);

		const second = await runScheduledWork(db, T0);
		expect(second).toEqual({
			agreementsEnded: 0,
			agreementFollowUp: { done: 0, failed: 0 },
			reminderMail: { done: 0, failed: 0 },
			itemsExpired: 0,
			tenantsReady: 0,
			certificateReminders: 0,
			checklistReminders: 0,
			acknowledgementReminders: 0,
			trainingReminders: 0,
			securityPlanReviews: 0,
			breachEscalations: 0,
			campaignReminders: 0,
			digests: 0,
			webhooksSent: 0,
			oidcTransactionsSwept: 0
		});
		expect(outbox()).toHaveLength(mails);
	});
});
