import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { serviceUnit, tenant, tenantContact, tenantService } from '../db/schema';
import { listAuditEntries } from '../audit/audit-log';
import { listServices, seedDefaultServices } from '../services/kanta-services';
import { ADMIN_ACTOR, freshDb, tenantInput } from '../test-support';
import {
	countTenantsByStage,
	createTenant,
	getTenant,
	isBusinessIdTaken,
	listTenantNames,
	searchTenantNames,
	findCurrentTenants,
	findTenantsByBusinessIds,
	tenantNames,
	listTenants,
	setTenantArchived,
	setTenantStage,
	updateTenant,
	type TenantInput
} from './tenants';

const T0 = new Date('2025-06-01T12:00:00Z');
const T1 = new Date('2025-06-02T12:00:00Z');

/** Valid business IDs (check digit per the Y-tunnus rule), enough for the list tests. */
const BUSINESS_IDS = ['2617416-4', '1572860-0', '0737546-2', '0204819-8', '1234567-1', '7654321-2'];

let db: Db;
let serviceIds: string[];

beforeEach(() => {
	db = freshDb();
	seedDefaultServices(db);
	serviceIds = listServices(db).map((s) => s.id);
});

function create(overrides: Partial<TenantInput> = {}): string {
	const result = createTenant(db, ADMIN_ACTOR, tenantInput(overrides), T0);
	if (!result.ok) throw new Error(result.reason);
	return result.id;
}

const tenantAudits = (tenantId: string) => listAuditEntries(db, { tenantId, page: 1, pageSize: 100 }).entries;

describe('createTenant, getTenant and updateTenant', () => {
	it('round-trips the tenant with its service units, contacts and services', () => {
		const input = tenantInput({
			serviceIds: [serviceIds[0], serviceIds[2]],
			serviceUnits: [
				{ name: 'Vastaanotto Kallio', oid: '1.2.246.10.26174164.10.1' },
				{ name: 'Arkisto', oid: '1.2.246.10.26174164.10.2' }
			],
			contacts: [{ name: 'Olli Yhteys', title: 'Toimitusjohtaja', email: 'olli@example.fi', phone: '+358 40 123 4567' }]
		});
		const result = createTenant(db, ADMIN_ACTOR, input, T0);
		expect(result.ok).toBe(true);
		if (!result.ok) return;

		const stored = getTenant(db, result.id)!;
		const { serviceIds: ids, serviceUnits, contacts, ...fields } = input;
		expect(stored).toMatchObject({ ...fields, id: result.id, stage: 'invited', archivedAt: null, createdAt: T0, updatedAt: null });
		expect([...stored.serviceIds].sort()).toEqual([...ids].sort());
		// Units come back sorted by name, each with an id of its own.
		expect(stored.serviceUnits.map(({ name, oid }) => ({ name, oid }))).toEqual([serviceUnits[1], serviceUnits[0]]);
		expect(stored.serviceUnits.every((u) => typeof u.id === 'string' && u.id.length > 0)).toBe(true);
		expect(stored.contacts).toMatchObject(contacts);

		expect(tenantAudits(result.id)).toMatchObject([
			{
				action: 'tenant.create',
				tenantId: result.id,
				targetType: 'tenant',
				targetId: result.id,
				actorId: ADMIN_ACTOR.id,
				summary: `${input.name} (${input.businessId})`
			}
		]);
	});

	it('getTenant is undefined for an unknown id', () => {
		expect(getTenant(db, 'nope')).toBeUndefined();
	});

	it('updateTenant replaces fields and children, and audits what changed', () => {
		const id = create({
			serviceIds: [serviceIds[0]],
			serviceUnits: [{ name: 'Old unit', oid: '1.2.246.10.26174164.10.1' }],
			contacts: [{ name: 'Old contact', title: '', email: 'old@example.fi', phone: '' }]
		});
		const next = tenantInput({
			name: 'Hammaslääkäri Virtanen Oy',
			city: 'Espoo',
			serviceIds: [serviceIds[1], serviceIds[3]],
			serviceUnits: [{ name: 'New unit', oid: '1.2.246.10.26174164.10.9' }],
			contacts: []
		});
		expect(updateTenant(db, ADMIN_ACTOR, id, next, T1)).toEqual({ ok: true, id });

		const stored = getTenant(db, id)!;
		expect(stored).toMatchObject({ name: 'Hammaslääkäri Virtanen Oy', city: 'Espoo', stage: 'invited', createdAt: T0, updatedAt: T1 });
		expect([...stored.serviceIds].sort()).toEqual([serviceIds[1], serviceIds[3]].sort());
		expect(stored.serviceUnits.map((u) => u.name)).toEqual(['New unit']);
		expect(stored.contacts).toEqual([]);
		// The old children are gone, not just hidden.
		expect(db.select().from(serviceUnit).all()).toHaveLength(1);
		expect(db.select().from(tenantContact).all()).toHaveLength(0);
		expect(db.select().from(tenantService).all()).toHaveLength(2);

		const update = tenantAudits(id).find((e) => e.action === 'tenant.update');
		expect(update).toMatchObject({ tenantId: id, targetId: id });
		for (const field of ['name', 'city', 'serviceIds', 'serviceUnits', 'contacts']) expect(update?.summary).toContain(field);
		expect(update?.summary).not.toContain('businessId');
	});

	it('updateTenant throws for an unknown tenant', () => {
		expect(() => updateTenant(db, ADMIN_ACTOR, 'nope', tenantInput(), T1)).toThrow();
	});
});

describe('business ID uniqueness', () => {
	it('refuses a second tenant with the same business ID', () => {
		const id = create();
		expect(createTenant(db, ADMIN_ACTOR, tenantInput({ name: 'Other' }), T0)).toEqual({ ok: false, reason: 'business_id_taken' });
		expect(db.select().from(tenant).all()).toHaveLength(1);
		expect(tenantAudits(id)).toHaveLength(1);
	});

	it("refuses to move a tenant onto another's business ID, but allows keeping its own", () => {
		const first = create({ businessId: BUSINESS_IDS[0] });
		const second = create({ businessId: BUSINESS_IDS[1], name: 'Second' });
		expect(updateTenant(db, ADMIN_ACTOR, second, tenantInput({ businessId: BUSINESS_IDS[0] }), T1)).toEqual({
			ok: false,
			reason: 'business_id_taken'
		});
		expect(getTenant(db, second)?.businessId).toBe(BUSINESS_IDS[1]);
		expect(updateTenant(db, ADMIN_ACTOR, first, tenantInput({ businessId: BUSINESS_IDS[0], name: 'Renamed' }), T1)).toEqual({
			ok: true,
			id: first
		});
		expect(isBusinessIdTaken(db, BUSINESS_IDS[0])).toBe(true);
		expect(isBusinessIdTaken(db, BUSINESS_IDS[0], first)).toBe(false);
		expect(isBusinessIdTaken(db, BUSINESS_IDS[2])).toBe(false);
	});
});

describe('listTenants', () => {
	let ids: Record<string, string>;

	beforeEach(() => {
		ids = {
			virtanen: create({ name: 'Hammaslääkäri Virtanen', businessId: BUSINESS_IDS[0], city: 'Helsinki' }),
			kallio: create({ name: 'Kallion Fysio', businessId: BUSINESS_IDS[1], city: 'Tampere' }),
			percent: create({ name: '100% Terapia', businessId: BUSINESS_IDS[2], city: 'Oulu' }),
			underscore: create({ name: 'Neuro_Klinikka', businessId: BUSINESS_IDS[3], city: 'Turku' }),
			archived: create({ name: 'Vanha Virtanen', businessId: BUSINESS_IDS[4], city: 'Helsinki' })
		};
		setTenantArchived(db, ADMIN_ACTOR, ids.archived, true, T1);
	});

	const names = (filter: Partial<Parameters<typeof listTenants>[1]>) =>
		listTenants(db, { page: 1, pageSize: 50, ...filter }).tenants.map((t) => t.name);

	it('lists active tenants by name, with the total', () => {
		const result = listTenants(db, { page: 1, pageSize: 50 });
		expect(result.tenants.map((t) => t.name)).toEqual(['100% Terapia', 'Hammaslääkäri Virtanen', 'Kallion Fysio', 'Neuro_Klinikka']);
		expect(result.total).toBe(4);
	});

	it('names the current tenants for pickers: the same ones in the same order, up to the limit', () => {
		const listed = listTenants(db, { page: 1, pageSize: 50 }).tenants.map((t) => ({ id: t.id, name: t.name }));
		expect(listTenantNames(db, 50)).toEqual(listed);
		expect(listTenantNames(db, 2)).toEqual(listed.slice(0, 2));
	});

	it('searches current tenants for pickers by name or business ID, folding å/ä/ö, at most the limit', () => {
		const found = (query: string, limit = 50) => searchTenantNames(db, query, limit).tenants.map((t) => t.name);
		expect(found('')).toEqual(['100% Terapia', 'Hammaslääkäri Virtanen', 'Kallion Fysio', 'Neuro_Klinikka']);
		expect(found('LÄÄKÄRI')).toEqual(['Hammaslääkäri Virtanen']);
		expect(found(BUSINESS_IDS[1].slice(0, 5))).toEqual(['Kallion Fysio']);
		expect(found('virtanen')).toEqual(['Hammaslääkäri Virtanen']); // the archived one is left out
		expect(found('_')).toEqual(['Neuro_Klinikka']);
		expect(searchTenantNames(db, '', 3)).toMatchObject({ more: true });
		expect(searchTenantNames(db, '', 3).tenants).toHaveLength(3);
		expect(searchTenantNames(db, '', 4).more).toBe(false);
	});

	it('finds current tenants by id and by business ID, beyond any picker limit', () => {
		const listed = listTenants(db, { page: 1, pageSize: 50 }).tenants;
		const unknown = crypto.randomUUID();
		expect(findCurrentTenants(db, [listed[3].id, ids.archived, unknown, listed[0].id])).toEqual(
			[listed[0], listed[3]].map((t) => ({ id: t.id, name: t.name }))
		);
		expect(findCurrentTenants(db, [])).toEqual([]);
		const archivedBusinessId = getTenant(db, ids.archived)!.businessId;
		const found = findTenantsByBusinessIds(db, [listed[1].businessId, archivedBusinessId, '0000000-0', listed[1].businessId]);
		expect(found).toEqual({ ids: [listed[1].id], unknown: [archivedBusinessId, '0000000-0'] });
		// Names, to say where something went, include archived tenants.
		expect(tenantNames(db, [ids.archived, listed[0].id, ids.archived, unknown])).toEqual(
			new Map([
				[ids.archived, 'Vanha Virtanen'],
				[listed[0].id, listed[0].name]
			])
		);
	});

	it('searches the name case-insensitively', () => {
		expect(names({ query: 'virtanen' })).toEqual(['Hammaslääkäri Virtanen']);
		expect(names({ query: 'KALLION fys' })).toEqual(['Kallion Fysio']);
		expect(names({ query: '  fysio  ' })).toEqual(['Kallion Fysio']);
		// Beyond ASCII too, which SQLite's LIKE alone would not fold.
		expect(names({ query: 'LÄÄKÄRI' })).toEqual(['Hammaslääkäri Virtanen']);
		expect(names({ query: 'hammaslÄäkäri virtanen' })).toEqual(['Hammaslääkäri Virtanen']);
		expect(names({ query: 'lääkärit' })).toEqual([]);
	});

	it('searches the business ID and the city', () => {
		expect(names({ query: '1572860' })).toEqual(['Kallion Fysio']);
		expect(names({ query: BUSINESS_IDS[3] })).toEqual(['Neuro_Klinikka']);
		expect(names({ query: 'tampere' })).toEqual(['Kallion Fysio']);
		expect(names({ query: 'Helsinki' })).toEqual(['Hammaslääkäri Virtanen']);
	});

	it('treats % and _ in the query literally', () => {
		expect(names({ query: '%' })).toEqual(['100% Terapia']);
		expect(names({ query: '_' })).toEqual(['Neuro_Klinikka']);
		expect(names({ query: 'o_k' })).toEqual(['Neuro_Klinikka']);
		expect(names({ query: 'n%a' })).toEqual([]);
		expect(names({ query: '\\' })).toEqual([]);
	});

	it('an empty or blank query matches everything', () => {
		expect(names({ query: '   ' })).toHaveLength(4);
	});

	it('filters by stage', () => {
		setTenantStage(db, ADMIN_ACTOR, ids.kallio, 'onboarding', T1);
		expect(names({ stage: 'onboarding' })).toEqual(['Kallion Fysio']);
		expect(names({ stage: 'invited' })).toEqual(['100% Terapia', 'Hammaslääkäri Virtanen', 'Neuro_Klinikka']);
		expect(names({ stage: 'onboarding', query: 'virtanen' })).toEqual([]);
	});

	it('lists archived tenants only when asked', () => {
		expect(names({ query: 'vanha' })).toEqual([]);
		const archived = listTenants(db, { page: 1, pageSize: 50, archived: true });
		expect(archived.tenants.map((t) => t.name)).toEqual(['Vanha Virtanen']);
		expect(archived.total).toBe(1);
		expect(archived.tenants[0].archivedAt).toEqual(T1);

		setTenantArchived(db, ADMIN_ACTOR, ids.archived, false, T1);
		expect(names({ query: 'virtanen' })).toEqual(['Hammaslääkäri Virtanen', 'Vanha Virtanen']);
		expect(names({ archived: true })).toEqual([]);
	});

	it('pages through the results', () => {
		create({ name: 'Zeta Hoiva', businessId: BUSINESS_IDS[5] });
		// Five active tenants (the archived one is left out): three pages of at most two.
		const page = (n: number) => listTenants(db, { page: n, pageSize: 2 });
		expect(page(1).tenants.map((t) => t.name)).toEqual(['100% Terapia', 'Hammaslääkäri Virtanen']);
		expect(page(2).tenants.map((t) => t.name)).toEqual(['Kallion Fysio', 'Neuro_Klinikka']);
		expect(page(3).tenants.map((t) => t.name)).toEqual(['Zeta Hoiva']);
		expect(page(1).total).toBe(5);
		expect(page(2).total).toBe(5);
		expect(page(3).total).toBe(5);
		expect(page(4).tenants).toEqual([]);
		expect(listTenants(db, { page: 2, pageSize: 2, query: 'a' }).total).toBe(5);
	});
});

describe('countTenantsByStage', () => {
	it('counts every stage, zero included, without archived tenants', () => {
		expect(countTenantsByStage(db)).toEqual({
			invited: 0,
			onboarding: 0,
			agreement_signed: 0,
			ready_for_production: 0,
			in_production: 0,
			notice_given: 0,
			ended: 0
		});
		const a = create({ businessId: BUSINESS_IDS[0] });
		create({ businessId: BUSINESS_IDS[1] });
		const c = create({ businessId: BUSINESS_IDS[2] });
		const d = create({ businessId: BUSINESS_IDS[3] });
		setTenantStage(db, ADMIN_ACTOR, a, 'in_production', T1);
		setTenantStage(db, ADMIN_ACTOR, c, 'in_production', T1);
		setTenantStage(db, ADMIN_ACTOR, d, 'in_production', T1);
		setTenantArchived(db, ADMIN_ACTOR, d, true, T1);
		expect(countTenantsByStage(db)).toEqual({
			invited: 1,
			onboarding: 0,
			agreement_signed: 0,
			ready_for_production: 0,
			in_production: 2,
			notice_given: 0,
			ended: 0
		});
	});
});

describe('audit trail', () => {
	it('every change writes an entry carrying the tenant id', () => {
		const id = create();
		const other = create({ businessId: BUSINESS_IDS[1], name: 'Other' });
		updateTenant(db, ADMIN_ACTOR, id, tenantInput({ city: 'Vantaa' }), T1);
		setTenantStage(db, ADMIN_ACTOR, id, 'onboarding', T1);
		setTenantStage(db, ADMIN_ACTOR, id, 'onboarding', T1); // no change, no entry
		setTenantArchived(db, ADMIN_ACTOR, id, true, T1);
		setTenantArchived(db, ADMIN_ACTOR, id, false, T1);

		const entries = tenantAudits(id);
		expect(entries.map((e) => e.action)).toEqual([
			'tenant.restore',
			'tenant.archive',
			'tenant.stage_change',
			'tenant.update',
			'tenant.create'
		]);
		for (const entry of entries) expect(entry).toMatchObject({ tenantId: id, targetType: 'tenant', targetId: id, actorId: ADMIN_ACTOR.id });
		expect(entries.find((e) => e.action === 'tenant.stage_change')?.summary).toBe('invited → onboarding');
		expect(tenantAudits(other).map((e) => e.action)).toEqual(['tenant.create']);
	});

	it('setTenantStage throws for an unknown tenant', () => {
		expect(() => setTenantStage(db, ADMIN_ACTOR, 'nope', 'onboarding', T1)).toThrow();
	});
});

describe('the services a tenant uses (Annex 1)', () => {
	const byCode = () => new Map(listServices(db).map((s) => [s.code, s.id]));

	it('refuses a service that does not exist or is no longer offered, on create and on update', () => {
		const codes = byCode();
		expect(createTenant(db, ADMIN_ACTOR, tenantInput({ serviceIds: [crypto.randomUUID()] }), T0)).toEqual({
			ok: false,
			reason: 'service_not_offered'
		});
		expect(createTenant(db, ADMIN_ACTOR, tenantInput({ serviceIds: [codes.get('kelain')!] }), T0)).toEqual({
			ok: false,
			reason: 'service_not_offered'
		});
		const id = create();
		expect(updateTenant(db, ADMIN_ACTOR, id, tenantInput({ serviceIds: [codes.get('kelain')!] }), T1)).toEqual({
			ok: false,
			reason: 'service_not_offered'
		});
		expect(getTenant(db, id)!.serviceIds).toEqual([]);
	});

	it("keeps a tenant's link to a withdrawn service when its form is saved, and adds no other", () => {
		const codes = byCode();
		const id = create({ serviceIds: [codes.get('prescription')!] });
		db.insert(tenantService)
			.values({ tenantId: id, serviceId: codes.get('kelain')! })
			.run();
		expect(updateTenant(db, ADMIN_ACTOR, id, tenantInput({ serviceIds: [codes.get('patient_data_repository')!] }), T1).ok).toBe(true);
		expect([...getTenant(db, id)!.serviceIds].sort()).toEqual([codes.get('patient_data_repository')!, codes.get('kelain')!].sort());
		// Still linked, so saving the form with it chosen is no error either.
		expect(updateTenant(db, ADMIN_ACTOR, id, tenantInput({ serviceIds: [codes.get('kelain')!] }), T1).ok).toBe(true);
	});
});
