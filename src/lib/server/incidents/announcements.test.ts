import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index';
import { auditEntry, type User } from '../db/schema';
import type { Actor } from '../actor';
import { listOutbox } from '../mail/mailer';
import { setUserLocale } from '../people/people';
import { setTenantArchived } from '../tenants/tenants';
import { addTenant, freshDb, insertUser, setUpMainConnector } from '../test-support';
import {
	closeAnnouncement,
	createAnnouncement,
	getAnnouncement,
	listActiveAnnouncementsFor,
	listAnnouncements,
	updateAnnouncement
} from './announcements';

const T0 = new Date('2026-05-04T06:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let db: Db;
let admin: Actor;
let tenantA: string;
let tenantB: string;
let tenantC: string;
let adminB: User;

const outbox = () => listOutbox(db, { page: 1, pageSize: 500 }).messages;
const titlesFor = (tenantId: string | null) => listActiveAnnouncementsFor(db, tenantId).map((a) => a.title);
const kanta = { title: 'Kanta outage', body: 'The Prescription Service is down until 14:00.', allTenants: true, tenantIds: [] };

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	tenantA = addTenant(db, admin, { name: 'A Oy' });
	tenantB = addTenant(db, admin, { name: 'B Oy' });
	tenantC = addTenant(db, admin, { name: 'C Oy' });
	insertUser(db, { email: 'admin@a.example.fi', tenantId: tenantA, roles: ['tenant_admin'] });
	adminB = insertUser(db, { email: 'admin@b.example.fi', tenantId: tenantB, roles: ['tenant_admin'] });
	insertUser(db, { email: 'admin@c.example.fi', tenantId: tenantC, roles: ['tenant_admin'] });
	insertUser(db, { email: 'staff@a.example.fi', tenantId: tenantA, roles: ['tenant_staff'] });
	insertUser(db, { email: 'gone@b.example.fi', tenantId: tenantB, roles: ['tenant_admin'], status: 'deactivated' });
});

describe('announcements', () => {
	it('to all tenants: shown to everyone and e-mailed to each active tenant administrator in their language', async () => {
		setUserLocale(db, admin, adminB.id, 'sv');
		const id = await createAnnouncement(db, admin, kanta, T0);
		expect(titlesFor(tenantA)).toEqual(['Kanta outage']);
		expect(titlesFor(tenantC)).toEqual(['Kanta outage']);
		expect(titlesFor(null)).toEqual(['Kanta outage']);
		const mails = outbox();
		expect(mails.map((m) => m.to).sort()).toEqual(['admin@a.example.fi', 'admin@b.example.fi', 'admin@c.example.fi']);
		expect(mails.find((m) => m.to === 'admin@a.example.fi')?.subject).toBe('Liitos-tiedote: Kanta outage');
		expect(mails.find((m) => m.to === 'admin@b.example.fi')?.subject).toBe('Meddelande från Liitos: Kanta outage');
		expect(mails[0].body).toContain('The Prescription Service is down until 14:00.');
		expect(
			db
				.select()
				.from(auditEntry)
				.where(eq(auditEntry.targetId, id))
				.all()
				.map((e) => e.action)
		).toEqual(['announcement.create']);
	});

	it('to chosen tenants: only they see it and only their administrators are e-mailed', async () => {
		const id = await createAnnouncement(
			db,
			admin,
			{ title: 'Maintenance', body: 'Tonight 22–23.', allTenants: false, tenantIds: [tenantA, tenantC, crypto.randomUUID()] },
			T0
		);
		expect(getAnnouncement(db, id)?.tenantIds.sort()).toEqual([tenantA, tenantC].sort());
		expect(titlesFor(tenantA)).toEqual(['Maintenance']);
		expect(titlesFor(tenantB)).toEqual([]);
		expect(titlesFor(tenantC)).toEqual(['Maintenance']);
		expect(
			outbox()
				.map((m) => m.to)
				.sort()
		).toEqual(['admin@a.example.fi', 'admin@c.example.fi']);
	});

	it('skips archived tenants and mails nobody when no chosen tenant is left', async () => {
		setTenantArchived(db, admin, tenantB, true);
		await createAnnouncement(db, admin, { title: 'Only B', body: 'x', allTenants: false, tenantIds: [tenantB] }, T0);
		expect(outbox()).toEqual([]);
		await createAnnouncement(db, admin, kanta, T0);
		expect(
			outbox()
				.map((m) => m.to)
				.sort()
		).toEqual(['admin@a.example.fi', 'admin@c.example.fi']);
	});

	it('an update changes text and targets without mailing again; a closed one leaves the home pages and stays closed', async () => {
		const id = await createAnnouncement(db, admin, kanta, T0);
		const mailed = outbox().length;
		expect(
			updateAnnouncement(
				db,
				admin,
				id,
				{ title: 'Kanta outage (update)', body: 'Fixed by 15:00.', allTenants: false, tenantIds: [tenantB] },
				later(30)
			)
		).toBe(true);
		expect(outbox()).toHaveLength(mailed);
		expect(titlesFor(tenantA)).toEqual([]);
		expect(titlesFor(tenantB)).toEqual(['Kanta outage (update)']);
		expect(getAnnouncement(db, id)?.updatedAt?.getTime()).toBe(later(30).getTime());

		expect(closeAnnouncement(db, admin, id, later(60))).toBe(true);
		expect(titlesFor(tenantB)).toEqual([]);
		expect(titlesFor(null)).toEqual([]);
		expect(closeAnnouncement(db, admin, id, later(61))).toBe(false);
		expect(updateAnnouncement(db, admin, id, kanta, later(62))).toBe(false);
		expect(listAnnouncements(db).map((a) => [a.title, a.closedAt?.getTime()])).toEqual([['Kanta outage (update)', later(60).getTime()]]);
		expect(
			db
				.select()
				.from(auditEntry)
				.where(eq(auditEntry.targetId, id))
				.all()
				.map((e) => e.action)
		).toEqual(['announcement.create', 'announcement.update', 'announcement.close']);
	});

	it('lists active notices first, newest first', async () => {
		const old = await createAnnouncement(db, admin, { ...kanta, title: 'Old' }, T0);
		await createAnnouncement(db, admin, { ...kanta, title: 'Newer' }, later(10));
		await createAnnouncement(db, admin, { ...kanta, title: 'Newest' }, later(20));
		closeAnnouncement(db, admin, old, later(30));
		expect(listAnnouncements(db).map((a) => a.title)).toEqual(['Newest', 'Newer', 'Old']);
		expect(titlesFor(tenantA)).toEqual(['Newest', 'Newer']);
	});
});
