import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { certificate, tenant, user } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { createInstruction } from '../instructions/instructions';
import { ADMIN_ACTOR, addManualCertificate, freshDb, insertAgreementRow, insertTenantRow, insertUser, personHolder } from '../test-support';
import { ftsPhrase, rebuildSearchIndexes, searchPortal } from './search';

let db: Db;
let tenantA: string;
let tenantB: string;
let mcAdmin: SessionUser;
let adminA: SessionUser;
let staffA: SessionUser;
let ids: Record<string, string>;

const session = (row: { id: string; email: string; name: string; tenantId: string | null }, roles: SessionUser['roles']): SessionUser => ({
	id: row.id,
	email: row.email,
	name: row.name,
	tenantId: row.tenantId,
	roles
});
const names = <T extends { name?: string; holderName?: string; title?: string }>(group: { items: T[] } | null) =>
	group?.items.map((i) => i.name ?? i.holderName ?? i.title);

beforeEach(() => {
	db = freshDb();
	tenantA = insertTenantRow(db, crypto.randomUUID(), '2617416-4');
	tenantB = insertTenantRow(db, crypto.randomUUID(), '1572860-0');
	// Renamed after insertion: the index follows updates too.
	db.update(tenant).set({ name: 'Äänekosken Hammaslääkärit Oy' }).where(eq(tenant.id, tenantA)).run();
	db.update(tenant).set({ name: 'Åbo Tandvård Ab' }).where(eq(tenant.id, tenantB)).run();
	const mc = insertUser(db, { name: 'Maija Pääkäyttäjä', email: 'maija@liitos.example', roles: ['mc_admin'] });
	const annaA = insertUser(db, { name: 'Anna Öberg', email: 'anna@aanekoski.example', tenantId: tenantA, roles: ['tenant_admin'] });
	const staff = insertUser(db, { name: 'Eero Virtanen', email: 'eero@aanekoski.example', tenantId: tenantA, roles: ['tenant_staff'] });
	const boB = insertUser(db, { name: 'Bo Öberg', email: 'bo@abo.example', tenantId: tenantB, roles: ['tenant_admin'] });
	mcAdmin = session(mc, ['mc_admin']);
	adminA = session(annaA, ['tenant_admin']);
	staffA = session(staff, ['tenant_staff']);
	const cardA = addManualCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(annaA), new Date('2027-05-01'));
	const cardB = addManualCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(boB), new Date('2027-06-01'));
	db.update(certificate).set({ serialNumber: '7A:1F:00:C3' }).where(eq(certificate.id, cardB)).run();
	const agreementA = insertAgreementRow(db, tenantA, 'in_force');
	const agreementB = insertAgreementRow(db, tenantB, 'draft');
	const content = { bodyFi: 'x', bodySv: 'x', titleEn: null, bodyEn: null };
	const onlyB = createInstruction(
		db,
		ADMIN_ACTOR,
		{ category: 'card_handling', allTenants: false, tenantIds: [tenantB], audience: 'all_staff', requiresAck: true },
		{ ...content, titleFi: 'Korttien käsittely Turussa', titleSv: 'Korthantering i Åbo' }
	);
	const forAll = createInstruction(
		db,
		ADMIN_ACTOR,
		{ category: 'card_handling', allTenants: true, tenantIds: [], audience: 'all_staff', requiresAck: true },
		{ ...content, titleFi: 'Korttien säilytys', titleSv: 'Förvaring av kort' }
	);
	ids = { annaA: annaA.id, boB: boB.id, cardA, cardB, agreementA, agreementB, onlyB, forAll };
});

describe('searchPortal for the main connector', () => {
	it('finds tenants by name or business ID, folding Ä, Å and Ö like the lists', () => {
		expect(names(searchPortal(db, mcAdmin, 'ÄÄNEKOSKEN').tenants)).toEqual(['Äänekosken Hammaslääkärit Oy']);
		expect(names(searchPortal(db, mcAdmin, 'åbo tand').tenants)).toEqual(['Åbo Tandvård Ab']);
		expect(names(searchPortal(db, mcAdmin, '1572860').tenants)).toEqual(['Åbo Tandvård Ab']);
		// ä and a are different letters, as in the lists: "aanekoski" is not "äänekoski".
		expect(names(searchPortal(db, mcAdmin, 'aanekosken').tenants)).toEqual([]);
	});

	it('finds people by name or e-mail and certificates by holder or serial, across tenants', () => {
		const oberg = searchPortal(db, mcAdmin, 'ÖBERG');
		expect(names(oberg.people)).toEqual(['Anna Öberg', 'Bo Öberg']);
		expect(oberg.people?.items.find((p) => p.name === 'Bo Öberg')?.tenantName).toBe('Åbo Tandvård Ab');
		expect(names(oberg.certificates)).toEqual(['Anna Öberg', 'Bo Öberg']);
		expect(names(searchPortal(db, mcAdmin, 'eero@aanekoski').people)).toEqual(['Eero Virtanen']);
		expect(searchPortal(db, mcAdmin, '1f:00').certificates?.items.map((c) => c.id)).toEqual([ids.cardB]);
	});

	it('lists the agreements of matching tenants and instructions by a title in any language', () => {
		expect(searchPortal(db, mcAdmin, 'hammaslääk').agreements?.items.map((a) => a.id)).toEqual([ids.agreementA]);
		const found = searchPortal(db, mcAdmin, 'FÖRVARING', 'sv').instructions;
		expect(found?.items).toEqual([{ id: ids.forAll, title: 'Förvaring av kort', manage: true }]);
		expect(searchPortal(db, mcAdmin, 'förvaring', 'fi').instructions?.items[0].title).toBe('Korttien säilytys');
	});

	it('shows a bounded number per group and says there are more', () => {
		for (let i = 0; i < 5; i++) insertUser(db, { name: `Öberg ${i}`, tenantId: tenantB, roles: ['tenant_staff'] });
		const result = searchPortal(db, mcAdmin, 'öberg', 'fi', 3);
		expect(result.people?.items).toHaveLength(3);
		expect(result.people?.more).toBe(true);
		expect(result.certificates?.more).toBe(false);
	});

	it('runs nothing for fewer than three characters', () => {
		const result = searchPortal(db, mcAdmin, ' bo ');
		expect(result).toMatchObject({ query: 'bo', tooShort: true, people: { items: [], more: false } });
	});

	it('takes quotes and FTS syntax as plain text', () => {
		expect(ftsPhrase('a "b" OR c*')).toBe('"a ""b"" OR c*"');
		expect(() => searchPortal(db, mcAdmin, 'öberg" OR "x')).not.toThrow();
		expect(names(searchPortal(db, mcAdmin, 'NEAR(öberg').people)).toEqual([]);
	});

	it('finds what was loaded without the triggers once the indexes are rebuilt', () => {
		db.run(`delete from search_person`);
		expect(names(searchPortal(db, mcAdmin, 'virtanen').people)).toEqual([]);
		rebuildSearchIndexes(db);
		expect(names(searchPortal(db, mcAdmin, 'virtanen').people)).toEqual(['Eero Virtanen']);
	});
});

describe('searchPortal for a tenant’s people', () => {
	it('finds only the person’s own tenant’s tenants, people, certificates and agreements', () => {
		const result = searchPortal(db, adminA, 'öberg');
		expect(names(result.people)).toEqual(['Anna Öberg']);
		expect(result.certificates?.items.map((c) => c.id)).toEqual([ids.cardA]);
		expect(names(searchPortal(db, adminA, 'åbo').tenants)).toEqual([]);
		expect(searchPortal(db, adminA, 'åbo').agreements?.items).toEqual([]);
		expect(searchPortal(db, adminA, '7a:1f').certificates?.items).toEqual([]);
		expect(names(searchPortal(db, adminA, 'ÄÄNEKOSKEN').tenants)).toEqual(['Äänekosken Hammaslääkärit Oy']);
		expect(searchPortal(db, adminA, '2617416').agreements?.items.map((a) => a.id)).toEqual([ids.agreementA]);
		expect(names(searchPortal(db, adminA, 'MAIJA').people)).toEqual([]);
	});

	it('finds only the instructions meant for the person', () => {
		expect(names(searchPortal(db, adminA, 'kort', 'sv').instructions)).toEqual(['Förvaring av kort']);
		expect(searchPortal(db, adminA, 'kort').instructions?.items[0].manage).toBe(false);
	});

	it('leaves out the groups the person may not see', () => {
		const result = searchPortal(db, staffA, 'öberg');
		expect(result.certificates).toBeNull();
		expect(result.agreements).toBeNull();
		expect(names(result.people)).toEqual(['Anna Öberg']);
	});
});

describe('the search indexes follow changes', () => {
	it('drops a renamed name and finds the new one', () => {
		db.update(user).set({ name: 'Anna Lindqvist' }).where(eq(user.id, ids.annaA)).run();
		expect(names(searchPortal(db, mcAdmin, 'öberg').people)).toEqual(['Bo Öberg']);
		expect(names(searchPortal(db, mcAdmin, 'lindqvist').people)).toEqual(['Anna Lindqvist']);
	});
});
