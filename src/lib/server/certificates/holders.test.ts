import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { certificate, tenant, user } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { ADMIN_ACTOR, freshDb, insertTenantRow, insertUser, setUpMainConnector } from '../test-support';
import { addCertificateFor, findHolder, holderPicker, resolveHolder, searchHolders } from './holders';

const session = (u: { id: string; email: string; name: string; tenantId: string | null }, roles: SessionUser['roles']): SessionUser => ({
	...u,
	roles
});

describe('searchHolders', () => {
	let db: Db;
	let aava: string;
	let borea: string;
	let admin: SessionUser;

	beforeEach(() => {
		db = freshDb();
		aava = insertTenantRow(db, crypto.randomUUID(), '1111111-1');
		borea = insertTenantRow(db, crypto.randomUUID(), '2222222-2');
		db.update(tenant).set({ name: 'Äänekosken Terveys Oy' }).where(eq(tenant.id, aava)).run();
		db.update(tenant).set({ name: 'Borea Hoiva Oy' }).where(eq(tenant.id, borea)).run();
		insertUser(db, { name: 'Öljynen Aino', email: 'aino@aava.test', tenantId: aava, roles: ['tenant_staff'] });
		insertUser(db, { name: 'Björk Bertil', email: 'bertil@borea.test', tenantId: borea, roles: ['tenant_admin'] });
		insertUser(db, { name: 'Gone Person', email: 'gone@borea.test', tenantId: borea, roles: ['tenant_staff'], status: 'deactivated' });
		insertUser(db, { name: 'Invited Person', email: 'invited@borea.test', tenantId: borea, roles: ['tenant_staff'], status: 'invited' });
		admin = session(insertUser(db, { name: 'Main Admin', roles: ['mc_cert_admin'] }), ['mc_cert_admin']);
	});

	const names = (result: ReturnType<typeof searchHolders>) => result.matches.map((m) => m.name);

	it('lists current tenants and their active people by name when nothing is searched', () => {
		const result = searchHolders(db, admin, '');
		expect(names(result)).toEqual(['Björk Bertil', 'Borea Hoiva Oy', 'Äänekosken Terveys Oy', 'Öljynen Aino']);
		expect(result.more).toBe(false);
		const bertil = result.matches.find((m) => m.name === 'Björk Bertil')!;
		expect(bertil).toMatchObject({ type: 'person', tenantId: borea, tenantName: 'Borea Hoiva Oy', detail: 'bertil@borea.test' });
		expect(result.matches.find((m) => m.name === 'Borea Hoiva Oy')).toMatchObject({ type: 'tenant', userId: null, detail: '2222222-2' });
	});

	it('finds by name, business ID or e-mail address', () => {
		expect(names(searchHolders(db, admin, 'hoiva'))).toEqual(['Borea Hoiva Oy']);
		expect(names(searchHolders(db, admin, '1111111'))).toEqual(['Äänekosken Terveys Oy']);
		expect(names(searchHolders(db, admin, 'BERTIL@'))).toEqual(['Björk Bertil']);
		expect(names(searchHolders(db, admin, 'nobody'))).toEqual([]);
	});

	it('folds å, ä and ö as the lists do, and takes wildcards literally', () => {
		expect(names(searchHolders(db, admin, 'ÄÄNEKOSKEN'))).toEqual(['Äänekosken Terveys Oy']);
		expect(names(searchHolders(db, admin, 'öljy'))).toEqual(['Öljynen Aino']);
		expect(names(searchHolders(db, admin, '%'))).toEqual([]);
	});

	it('leaves out archived tenants and their people', () => {
		db.update(tenant).set({ archivedAt: new Date() }).where(eq(tenant.id, aava)).run();
		expect(names(searchHolders(db, admin, ''))).toEqual(['Björk Bertil', 'Borea Hoiva Oy']);
	});

	it('shows at most the limit, and says when there are more', () => {
		for (let i = 0; i < 6; i++) insertUser(db, { name: `Extra ${i}`, tenantId: aava, roles: ['tenant_staff'] });
		const result = searchHolders(db, admin, '', 5);
		expect(result.matches).toHaveLength(5);
		expect(result.more).toBe(true);
		expect(names(result)).toEqual(['Björk Bertil', 'Borea Hoiva Oy', 'Extra 0', 'Extra 1', 'Extra 2']);
		expect(searchHolders(db, admin, 'Extra', 6).more).toBe(false);
	});

	it('offers nothing to someone who may not manage certificates, and only their own tenant to a tenant person who may', () => {
		const staff = session(insertUser(db, { tenantId: borea, roles: ['tenant_admin'] }), ['tenant_admin']);
		expect(searchHolders(db, staff, '').matches).toEqual([]);
		const signatory = session(insertUser(db, { roles: ['mc_signatory'] }), ['mc_signatory']);
		expect(searchHolders(db, signatory, '').matches).toEqual([]);
		// No tenant role manages certificates today; were one to, it would see its own tenant only.
		const manager = { ...session(insertUser(db, { tenantId: borea, roles: ['tenant_admin'] }), ['mc_cert_admin']) };
		expect(new Set(searchHolders(db, manager, '').matches.map((m) => m.tenantId))).toEqual(new Set([borea]));
	});
});

describe('findHolder', () => {
	it('finds a current tenant or an active person of that very tenant, within the viewer’s scope', () => {
		const db = freshDb();
		const a = insertTenantRow(db, crypto.randomUUID(), '1111111-1');
		const b = insertTenantRow(db, crypto.randomUUID(), '2222222-2');
		const person = insertUser(db, { tenantId: a, roles: ['tenant_staff'] });
		const admin = session(insertUser(db, { roles: ['mc_admin'] }), ['mc_admin']);
		expect(findHolder(db, admin, { tenantId: a, userId: null })).toMatchObject({ type: 'tenant', detail: '1111111-1' });
		expect(findHolder(db, admin, { tenantId: a, userId: person.id })).toMatchObject({ type: 'person', detail: person.email });
		expect(findHolder(db, admin, { tenantId: b, userId: person.id })).toBeNull();
		const other = session(insertUser(db, { tenantId: b, roles: ['tenant_admin'] }), ['tenant_admin']);
		expect(findHolder(db, other, { tenantId: a, userId: null })).toBeNull();
	});
});

describe('resolveHolder and addCertificateFor (the holder rules of every certificate)', () => {
	let db: Db;
	let a: string;
	let b: string;
	beforeEach(() => {
		db = freshDb();
		a = insertTenantRow(db, crypto.randomUUID(), '1111111-1');
		b = insertTenantRow(db, crypto.randomUUID(), '2222222-2');
	});
	const manual = { source: 'manual', validTo: new Date('2027-12-31T00:00:00Z'), validFrom: null, reference: '' } as const;

	it('resolves the main connector, a current tenant, and an active person of that very tenant', () => {
		expect(resolveHolder(db, { type: 'main_connector', tenantId: null, userId: null })).toBeNull(); // no organisation yet
		setUpMainConnector(db);
		expect(resolveHolder(db, { type: 'main_connector', tenantId: null, userId: null })).toMatchObject({
			type: 'main_connector',
			tenantId: null
		});
		const person = insertUser(db, { tenantId: a, roles: ['tenant_staff'] });
		expect(resolveHolder(db, { type: 'tenant', tenantId: a, userId: null })).toMatchObject({ type: 'tenant', tenantId: a });
		expect(resolveHolder(db, { type: 'person', tenantId: a, userId: person.id })).toMatchObject({ userId: person.id, name: person.name });
		expect(resolveHolder(db, { type: 'person', tenantId: b, userId: person.id })).toBeNull();
		expect(resolveHolder(db, { type: 'tenant', tenantId: crypto.randomUUID(), userId: null })).toBeNull();
	});

	it('refuses a person who has left and a tenant archived, and stores nothing for them', () => {
		const person = insertUser(db, { tenantId: a, roles: ['tenant_staff'] });
		db.update(user).set({ status: 'deactivated' }).where(eq(user.id, person.id)).run();
		db.update(tenant).set({ archivedAt: new Date() }).where(eq(tenant.id, b)).run();
		expect(addCertificateFor(db, ADMIN_ACTOR, 'security_assessment', { type: 'person', tenantId: a, userId: person.id }, manual)).toEqual({
			ok: false,
			reason: 'holder_not_found'
		});
		expect(addCertificateFor(db, ADMIN_ACTOR, 'security_assessment', { type: 'tenant', tenantId: b, userId: null }, manual)).toEqual({
			ok: false,
			reason: 'holder_not_found'
		});
		expect(db.select().from(certificate).all()).toEqual([]);
	});

	it('records a certificate for a holder that exists as chosen', () => {
		const added = addCertificateFor(db, ADMIN_ACTOR, 'security_assessment', { type: 'tenant', tenantId: a, userId: null }, manual);
		expect(added).toMatchObject({ ok: true, supersededId: null });
		expect(db.select().from(certificate).all()).toMatchObject([{ tenantId: a, holderType: 'tenant', holderName: expect.any(String) }]);
	});
});

describe('holderPicker', () => {
	it('keeps the chosen holder listed first when the search does not find it, and lists it once when it does', () => {
		const db = freshDb();
		const a = insertTenantRow(db, crypto.randomUUID(), '1111111-1');
		db.update(tenant).set({ name: 'Aava Oy' }).where(eq(tenant.id, a)).run();
		const admin = session(insertUser(db, { roles: ['mc_cert_admin'] }), ['mc_cert_admin']);
		const chosen = { type: 'tenant' as const, tenantId: a, userId: null };
		expect(holderPicker(db, admin, 'no such name', chosen).matches.map((m) => m.tenantId)).toEqual([a]);
		expect(holderPicker(db, admin, 'Aava', chosen).matches.filter((m) => m.type === 'tenant')).toHaveLength(1);
		expect(holderPicker(db, admin, 'no such name', null).matches).toEqual([]);
	});
});
