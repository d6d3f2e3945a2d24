import { join } from 'node:path';
import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index';
import { calendarToken, checklistItem, prerequisiteType, tenant, user, type User } from '../db/schema';
import type { Actor } from '../actor';
import { listAuditEntries } from '../audit/audit-log';
import { toSessionUser } from '../auth/session';
import { redeemToken, requestPasswordReset } from '../auth/email-links';
import { changePassword, deactivatePerson, reactivatePerson } from '../people/people';
import { signOut } from '../auth/sign-in';
import { removeTwoFactor } from '../auth/two-factor';
import { addCertificate, markRenewalOrdered, orderByDate } from '../certificates/registry';
import { getSettings } from '../settings';
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
import { syncBundledFrameworks } from '../security-plan/framework-store';
import { MAIN_PLAN, saveRequirement } from '../security-plan/plan';
import {
	cachedCalendarFor,
	calendarEventsFor,
	calendarFor,
	calendarOwner,
	FEED_CACHE_MS,
	createCalendarToken,
	hasCalendarToken,
	revokeCalendarToken
} from './feed';
import { planEntry } from '../security-plan/test-entries';

const T0 = new Date('2025-03-10T08:00:00Z');
const DAY_MS = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);

let db: Db;
let admin: Actor;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
});

describe('calendar tokens', () => {
	let person: User;
	beforeEach(() => {
		const tenantId = addTenant(db, admin);
		person = insertUser(db, { tenantId, name: 'Anna', roles: ['tenant_admin'] });
	});

	it('finds the owner by the token, with roles and locale; stores only a hash', () => {
		const token = createCalendarToken(db, admin, person.id, T0);
		expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
		expect(calendarOwner(db, token)).toEqual({
			id: person.id,
			email: person.email,
			name: 'Anna',
			tenantId: person.tenantId,
			roles: ['tenant_admin'],
			locale: 'fi'
		});
		expect(hasCalendarToken(db, person.id)).toBe(true);
		const stored = db.select().from(calendarToken).all();
		expect(stored).toHaveLength(1);
		expect(stored[0].id).not.toBe(token);
		expect(calendarOwner(db, 'not-a-token')).toBeNull();
		expect(calendarOwner(db, stored[0].id)).toBeNull(); // the hash itself is no key
		expect(listAuditEntries(db, { action: 'calendar', page: 1, pageSize: 10 }).entries.map((e) => [e.action, e.targetId])).toEqual([
			['calendar.token_create', person.id]
		]);
	});

	it('a new token revokes the old one', () => {
		const old = createCalendarToken(db, admin, person.id, T0);
		const replacement = createCalendarToken(db, admin, person.id, at(1));
		expect(replacement).not.toBe(old);
		expect(calendarOwner(db, old)).toBeNull();
		expect(calendarOwner(db, replacement)?.id).toBe(person.id);
		// Someone else's token is untouched.
		const other = insertUser(db, { roles: ['mc_cert_admin'] });
		const theirs = createCalendarToken(db, admin, other.id, T0);
		createCalendarToken(db, admin, person.id, at(2));
		expect(calendarOwner(db, theirs)?.id).toBe(other.id);
	});

	it('a revoked token finds nobody', () => {
		const token = createCalendarToken(db, admin, person.id, T0);
		revokeCalendarToken(db, admin, person.id, at(1));
		expect(calendarOwner(db, token)).toBeNull();
		expect(hasCalendarToken(db, person.id)).toBe(false);
	});

	it('a deactivated person’s token finds nobody, even after they are brought back', () => {
		const token = createCalendarToken(db, admin, person.id, T0);
		deactivatePerson(db, admin, person, at(1));
		expect(calendarOwner(db, token)).toBeNull();
		reactivatePerson(db, admin, { ...person, status: 'deactivated' }, at(2));
		db.update(user).set({ status: 'active' }).where(eq(user.id, person.id)).run(); // as after redeeming the invitation
		expect(calendarOwner(db, token)).toBeNull();
	});

	it('follows the person’s locale', () => {
		const token = createCalendarToken(db, admin, person.id, T0);
		db.update(user).set({ locale: 'sv' }).where(eq(user.id, person.id)).run();
		expect(calendarOwner(db, token)?.locale).toBe('sv');
	});

	describe('ends with the ways of shutting out whoever else holds the account', () => {
		const client = { ipAddress: '192.0.2.7', userAgent: 'test' };
		const sessionUser = () => toSessionUser(db, person);

		it('a password change', () => {
			const token = createCalendarToken(db, admin, person.id, T0);
			changePassword(db, admin, person, 'new-hash', 'this-session', at(1));
			expect(calendarOwner(db, token)).toBeNull();
			expect(hasCalendarToken(db, person.id)).toBe(false);
		});

		it('a password reset through an e-mailed link', () => {
			const token = createCalendarToken(db, admin, person.id, T0);
			const reset = requestPasswordReset(db, person.email, client, at(1));
			expect(redeemToken(db, reset!.token, 'password_reset', 'new-hash', client, at(1))?.id).toBe(person.id);
			expect(calendarOwner(db, token)).toBeNull();
		});

		it('signing out everywhere, but not signing out of one browser', () => {
			const token = createCalendarToken(db, admin, person.id, T0);
			signOut(db, 'some-session', sessionUser(), client, false, at(1));
			expect(calendarOwner(db, token)?.id).toBe(person.id);
			signOut(db, 'some-session', sessionUser(), client, true, at(2));
			expect(calendarOwner(db, token)).toBeNull();
		});

		it('an administrator resetting the second factor, but not the person turning it off', () => {
			const token = createCalendarToken(db, admin, person.id, T0);
			removeTwoFactor(db, admin, person, 'self', at(1));
			expect(calendarOwner(db, token)?.id).toBe(person.id);
			removeTwoFactor(db, admin, person, 'administrator', at(2));
			expect(calendarOwner(db, token)).toBeNull();
		});

		it('and only for that person', () => {
			const other = insertUser(db, { roles: ['mc_cert_admin'] });
			const theirs = createCalendarToken(db, admin, other.id, T0);
			changePassword(db, admin, person, 'new-hash', 'this-session', at(1));
			signOut(db, 'some-session', sessionUser(), client, true, at(2));
			removeTwoFactor(db, admin, person, 'administrator', at(3));
			expect(calendarOwner(db, theirs)?.id).toBe(other.id);
		});
	});
});

describe('calendarEventsFor', () => {
	let tenantA: string;
	let tenantB: string;
	let people: Record<'mcAdmin' | 'certAdmin' | 'adminA' | 'adminB' | 'staffA' | 'staffB' | 'signerA', User>;
	let certs: Record<'server' | 'cardA' | 'oldCardA' | 'cardB' | 'assessmentB' | 'ancient', string>;
	let items: Record<'dueA' | 'dueB' | 'reviewA' | 'verifiedDueA', string>;

	beforeEach(() => {
		tenantA = addTenant(db, admin, { name: 'Terveys A Oy', serviceSector: 'health_care', providerType: 'private' }, T0);
		tenantB = addTenant(db, admin, { name: 'Sosiaali B Oy', serviceSector: 'social_welfare', providerType: 'private' }, T0);
		people = {
			mcAdmin: db.select().from(user).where(eq(user.id, admin.id!)).get()!,
			certAdmin: insertUser(db, { name: 'Veera Varmenne', roles: ['mc_cert_admin'] }),
			adminA: insertUser(db, { name: 'Aaro A', tenantId: tenantA, roles: ['tenant_admin'] }),
			adminB: insertUser(db, { name: 'Bea B', tenantId: tenantB, roles: ['tenant_admin'] }),
			staffA: insertUser(db, { name: 'Anna Ammattilainen', tenantId: tenantA, roles: ['tenant_staff'] }),
			staffB: insertUser(db, { name: 'Bo Berg', tenantId: tenantB, roles: ['tenant_staff'] }),
			signerA: insertUser(db, { name: 'Sami Signer', tenantId: tenantA, roles: ['tenant_signatory'] })
		};
		const oldCardA = addManualCertificate(db, admin, 'professional_card', personHolder(people.staffA), at(10), T0);
		certs = {
			server: addManualCertificate(db, admin, 'server', MAIN_CONNECTOR_HOLDER, at(100), T0),
			oldCardA,
			cardA: addManualCertificate(db, admin, 'professional_card', personHolder(people.staffA), at(50), T0), // renews oldCardA
			cardB: addManualCertificate(db, admin, 'staff_card', personHolder(people.staffB), at(200), T0),
			assessmentB: addManualCertificate(
				db,
				admin,
				'security_assessment',
				{ type: 'tenant', tenantId: tenantB, userId: null, name: 'Sosiaali B Oy' },
				at(-10),
				T0
			),
			ancient: addManualCertificate(db, admin, 'server_test', MAIN_CONNECTOR_HOLDER, at(-100), T0)
		};
		markRenewalOrdered(db, admin, certs.server, 'tilattu', T0);

		const itemOf = (tenantId: string, code: string) => getChecklist(db, tenantId, T0).entries.find((e) => e.type.code === code)!.item.id;
		items = {
			dueA: itemOf(tenantA, 'security_plan_followed'),
			dueB: itemOf(tenantB, 'security_plan_followed'),
			reviewA: itemOf(tenantA, 'staff_training'),
			verifiedDueA: itemOf(tenantA, 'self_monitoring_plan')
		};
		planItem(db, admin, itemRef(db, items.dueA), { ownerId: null, dueDate: '2025-04-01' }, T0);
		planItem(db, admin, itemRef(db, items.dueB), { ownerId: null, dueDate: '2025-04-02' }, T0);
		planItem(db, admin, itemRef(db, items.verifiedDueA), { ownerId: null, dueDate: '2025-04-03' }, T0);
		db.update(checklistItem).set({ status: 'verified', validUntil: '2026-03-10' }).where(eq(checklistItem.id, items.reviewA)).run();
		db.update(checklistItem).set({ status: 'verified' }).where(eq(checklistItem.id, items.verifiedDueA)).run();
	});

	const eventsOf = (person: User, locale: 'fi' | 'sv' | 'en' = 'fi', now = T0) =>
		calendarEventsFor(db, toSessionUser(db, person), locale, now);
	const uidsOf = (person: User, now = T0) =>
		eventsOf(person, 'fi', now)
			.map((e) => e.uid)
			.sort();
	const certUids = (...ids: string[]) =>
		ids.flatMap((id) => [`cert-expiry-${id}@liitos`, ...(id === certs.server ? [] : [`cert-order-${id}@liitos`])]);
	const KANTA_B = [
		'kanta-deadline-private_obligation-private@liitos',
		'kanta-deadline-substance_abuse-private@liitos',
		'kanta-deadline-video_audio-private@liitos'
	];

	it('shows a certificate administrator every current certificate, every checklist and the Kanta deadlines', () => {
		expect(uidsOf(people.certAdmin)).toEqual(
			[
				...certUids(certs.server, certs.cardA, certs.cardB, certs.assessmentB),
				`checklist-due-${items.dueA}@liitos`,
				`checklist-due-${items.dueB}@liitos`,
				`checklist-review-${items.reviewA}@liitos`,
				...KANTA_B
			].sort()
		);
		expect(uidsOf(people.mcAdmin)).toEqual(uidsOf(people.certAdmin));
	});

	it('carries at most the limit, the nearest dates first, so a whole country’s registry stays a usable feed', () => {
		const all = eventsOf(people.certAdmin);
		const nearest = calendarEventsFor(db, toSessionUser(db, people.certAdmin), 'fi', T0, 3);
		expect(nearest).toHaveLength(3);
		expect(nearest.map((e) => e.date)).toEqual(
			all
				.map((e) => e.date)
				.sort()
				.slice(0, 3)
		);
	});

	it('dates certificate expiries and order-by days in Helsinki and links to the certificate', () => {
		const events = eventsOf(people.certAdmin);
		const expiry = events.find((e) => e.uid === `cert-expiry-${certs.cardA}@liitos`)!;
		expect(expiry).toMatchObject({
			date: todayInHelsinki(at(50)),
			summary: 'Varmenne vanhenee: Anna Ammattilainen',
			url: expect.stringMatching(new RegExp(`/certificates/${certs.cardA}$`))
		});
		const order = events.find((e) => e.uid === `cert-order-${certs.cardA}@liitos`)!;
		expect(order.date).toBe(todayInHelsinki(orderByDate(at(50), 'professional_card', getSettings(db))));
		expect(order.date).toBe(todayInHelsinki(at(5)));
		expect(events.find((e) => e.uid === `kanta-deadline-private_obligation-private@liitos`)!.date).toBe('2026-01-01');
		expect(events.find((e) => e.uid === `checklist-due-${items.dueA}@liitos`)).toMatchObject({
			date: '2025-04-01',
			summary: 'Erääntyy: Henkilöstö noudattaa tietoturvasuunnitelmaa (Terveys A Oy)'
		});
		expect(events.find((e) => e.uid === `checklist-review-${items.reviewA}@liitos`)!.date).toBe('2026-03-10');
		// Swedish names and summaries for a Swedish reader.
		const sv = eventsOf(people.certAdmin, 'sv');
		expect(sv.find((e) => e.uid === `checklist-due-${items.dueA}@liitos`)!.summary).toBe(
			'Förfaller: Personalen följer informationssäkerhetsplanen (Terveys A Oy)'
		);
	});

	it('shows a tenant administrator only their own tenant’s certificates and checklist, and no Kanta deadlines for health care', () => {
		expect(uidsOf(people.adminA)).toEqual(
			[...certUids(certs.cardA), `checklist-due-${items.dueA}@liitos`, `checklist-review-${items.reviewA}@liitos`].sort()
		);
		expect(uidsOf(people.adminB)).toEqual(
			[...certUids(certs.cardB, certs.assessmentB), `checklist-due-${items.dueB}@liitos`, ...KANTA_B].sort()
		);
	});

	it('shows a staff member only their own card, and no checklist', () => {
		expect(uidsOf(people.staffA)).toEqual(certUids(certs.cardA).sort());
		expect(uidsOf(people.staffB)).toEqual([...certUids(certs.cardB), ...KANTA_B].sort());
	});

	it('shows a signatory the checklist they may view but no certificates', () => {
		expect(uidsOf(people.signerA)).toEqual([`checklist-due-${items.dueA}@liitos`, `checklist-review-${items.reviewA}@liitos`].sort());
	});

	it('drops the order-by event once the renewal is ordered, and superseded certificates entirely', () => {
		markRenewalOrdered(db, admin, certs.cardA, 'tilattu', T0);
		expect(uidsOf(people.staffA)).toEqual([`cert-expiry-${certs.cardA}@liitos`]);
		const renewal = addCertificate(
			db,
			admin,
			'professional_card',
			personHolder(people.staffA),
			{ source: 'manual', validTo: at(900), validFrom: null, reference: '' },
			T0
		);
		if (!renewal.ok) throw new Error('renewal failed');
		expect(uidsOf(people.staffA)).toEqual(certUids(renewal.id).sort());
	});

	it('leaves out archived tenants’ checklists and catalogue entries taken out of use', () => {
		db.update(tenant).set({ archivedAt: T0 }).where(eq(tenant.id, tenantB)).run();
		expect(uidsOf(people.certAdmin)).not.toContain(`checklist-due-${items.dueB}@liitos`);
		expect(uidsOf(people.certAdmin)).not.toContain(KANTA_B[0]);
		db.update(prerequisiteType).set({ active: false }).where(eq(prerequisiteType.code, 'security_plan_followed')).run();
		expect(uidsOf(people.adminA)).not.toContain(`checklist-due-${items.dueA}@liitos`);
		expect(uidsOf(people.adminA)).toContain(`checklist-review-${items.reviewA}@liitos`);
	});

	it('is made at most once per five minutes for a token, and says so in its description', () => {
		const person = toSessionUser(db, people.adminA);
		const token = createCalendarToken(db, admin, people.adminA.id, T0);
		const first = cachedCalendarFor(db, token, person, 'fi', T0);
		expect(first).toBe(calendarFor(db, person, 'fi', T0));
		// A change inside the five minutes is not shown yet; after them it is.
		db.update(prerequisiteType).set({ active: false }).where(eq(prerequisiteType.code, 'security_plan_followed')).run();
		const soon = new Date(T0.getTime() + FEED_CACHE_MS - 1);
		expect(cachedCalendarFor(db, token, person, 'fi', soon)).toBe(first);
		expect(cachedCalendarFor(db, token, person, 'sv', soon)).toBe(calendarFor(db, person, 'sv', soon));
		const expired = new Date(T0.getTime() + FEED_CACHE_MS);
		const fresh = cachedCalendarFor(db, token, person, 'fi', expired);
		expect(fresh).toBe(calendarFor(db, person, 'fi', expired));
		expect(fresh).not.toContain(`checklist-due-${items.dueA}@liitos`);
		expect(first).toContain(`checklist-due-${items.dueA}@liitos`);
		const calendar = new ICAL.Component(ICAL.parse(first));
		expect(String(calendar.getFirstPropertyValue('x-wr-caldesc'))).toContain('viiden minuutin');
	});

	it('produces a feed that parses, with the same UIDs every time', () => {
		const person = toSessionUser(db, people.adminB);
		const first = calendarFor(db, person, 'fi', T0);
		expect(calendarFor(db, person, 'fi', T0)).toBe(first);
		const later = calendarFor(db, person, 'fi', at(1));
		const vevents = (ics: string) => new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent');
		const uids = (ics: string) =>
			vevents(ics)
				.map((e) => String(e.getFirstPropertyValue('uid')))
				.sort();
		expect(uids(first)).toEqual(
			eventsOf(people.adminB)
				.map((e) => e.uid)
				.sort()
		);
		expect(uids(later)).toEqual(uids(first));
		const deadline = vevents(first).find((e) => e.getFirstPropertyValue('uid') === KANTA_B[0])!;
		expect(String(deadline.getFirstPropertyValue('dtstart'))).toBe('2026-01-01');
		expect(String(deadline.getFirstPropertyValue('summary'))).toBe('Kanta-määräaika: liittymisvelvollisuus (yksityiset palveluntuottajat)');
		const calendar = new ICAL.Component(ICAL.parse(first));
		expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Liitos');
	});
});

describe('training in the calendar', () => {
	it('shows a person their own training expiry, with a stable uid', async () => {
		const { addTrainingRecord, listModules } = await import('../training/training');
		const { freshDb, setUpMainConnector, addTenant, insertUser } = await import('../test-support');
		const { toSessionUser } = await import('../auth/session');
		const db = freshDb();
		const admin = setUpMainConnector(db);
		const tenantId = addTenant(db, admin);
		const staff = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		const other = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		const module = listModules(db).find((m) => m.code === 'data_protection')!;
		const record = addTrainingRecord(db, admin, { moduleId: module.id, userId: staff.id, completedOn: '2026-03-01' }, true);
		addTrainingRecord(db, admin, { moduleId: module.id, userId: other.id, completedOn: '2026-04-01' }, true);
		const events = calendarEventsFor(db, toSessionUser(db, staff), 'fi').filter((e) => e.uid.startsWith('training-expiry-'));
		expect(events).toEqual([expect.objectContaining({ uid: `training-expiry-${record.ok && record.id}@liitos`, date: '2027-03-01' })]);
	});
});

describe('calendarEventsFor: information-security plan reviews', () => {
	const DIR = join(process.cwd(), 'templates', 'security-plan');
	const entry = (ownerId: string | null) => planEntry({ description: 'Described.', ownerId });
	const reviews = (person: User) =>
		calendarEventsFor(db, toSessionUser(db, person), 'fi', T0).filter((e) => e.uid.startsWith('security-plan-review-'));

	it('gives editors every review date, the plan’s other readers their own, and tenant people none', () => {
		syncBundledFrameworks(db, DIR);
		const signatory = insertUser(db, { roles: ['mc_signatory'] });
		saveRequirement(db, admin, MAIN_PLAN, '6.3-1', entry(signatory.id), T0);
		saveRequirement(db, admin, MAIN_PLAN, '6.2-1', entry(null), T0);
		const editor = insertUser(db, { roles: ['mc_admin'] });
		expect(reviews(editor).map((e) => [e.uid, e.date, e.summary])).toEqual([
			['security-plan-review-6.2-1@liitos', '2026-03-10', 'Tietoturvasuunnitelman tarkistus: vaatimus 6.2-1'],
			['security-plan-review-6.3-1@liitos', '2026-03-10', 'Tietoturvasuunnitelman tarkistus: vaatimus 6.3-1']
		]);
		expect(reviews(signatory).map((e) => e.uid)).toEqual(['security-plan-review-6.3-1@liitos']);
		const tenantId = addTenant(db, admin);
		expect(reviews(insertUser(db, { tenantId, roles: ['tenant_admin'] }))).toEqual([]);
		expect(reviews(insertUser(db, { roles: ['mc_cert_admin'] }))).toEqual([]);
	});
});
