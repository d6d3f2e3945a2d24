import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { designatedPerson, kantaService, mainConnector, user, userRole } from '../db/schema';
import { listAuditEntries } from '../audit/audit-log';
import { DEFAULT_KANTA_SERVICES } from '../services/kanta-services';
import { ADMIN_ACTOR, freshDb } from '../test-support';
import {
	addDesignatedPerson,
	completeSetup,
	getMainConnector,
	isSetupComplete,
	listDesignatedPersons,
	removeDesignatedPerson,
	updateMainConnector,
	type OrganisationInput,
	type SetupInput
} from './organisation';

const T0 = new Date('2025-06-01T12:00:00Z');
const client = { ipAddress: '192.0.2.1' };

const organisation: OrganisationInput = {
	name: 'Terveyspalvelu Pääliittyjä Oy',
	businessId: '0737546-2',
	oid: '1.2.246.10.7375462',
	streetAddress: 'Aleksanterinkatu 1',
	postalCode: '00100',
	city: 'Helsinki',
	contactEmail: 'kanta@example.fi',
	soteriRegistration: 'S-1'
};

const setup: SetupInput = {
	organisation,
	admin: { name: 'Aino Admin', email: ' Aino@Example.FI ', passwordHash: 'argon-hash' }
};

let db: Db;

beforeEach(() => {
	db = freshDb();
});

const audits = (action: string) => listAuditEntries(db, { action, page: 1, pageSize: 100 }).entries;

describe('completeSetup', () => {
	it('creates the main connector, an active administrator and the service catalogue', () => {
		expect(isSetupComplete(db)).toBe(false);
		const result = completeSetup(db, setup, client, T0);
		expect(result).not.toBeNull();
		const userId = result!.userId;

		expect(isSetupComplete(db)).toBe(true);
		expect(getMainConnector(db)).toMatchObject({ ...organisation, createdAt: T0, updatedAt: null });
		expect(db.select().from(user).all()).toMatchObject([
			{ id: userId, email: 'aino@example.fi', name: 'Aino Admin', passwordHash: 'argon-hash', status: 'active', tenantId: null }
		]);
		expect(db.select().from(userRole).all()).toEqual([{ userId, role: 'mc_admin' }]);
		const services = db.select().from(kantaService).all();
		expect(services.map((s) => s.code).sort()).toEqual(DEFAULT_KANTA_SERVICES.map((s) => s.code).sort());
		expect(audits('setup.complete')).toMatchObject([
			{
				actorId: userId,
				actorLabel: 'aino@example.fi',
				targetType: 'main_connector',
				targetId: getMainConnector(db)!.id,
				ipAddress: '192.0.2.1'
			}
		]);
	});

	it('returns null the second time and changes nothing', () => {
		completeSetup(db, setup, client, T0);
		const again = completeSetup(
			db,
			{
				organisation: { ...organisation, name: 'Intruder Oy' },
				admin: { name: 'Mallory', email: 'mallory@example.fi', passwordHash: 'x' }
			},
			client,
			T0
		);
		expect(again).toBeNull();
		expect(db.select().from(mainConnector).all()).toHaveLength(1);
		expect(getMainConnector(db)?.name).toBe(organisation.name);
		expect(
			db
				.select()
				.from(user)
				.all()
				.map((u) => u.email)
		).toEqual(['aino@example.fi']);
		expect(db.select().from(kantaService).all()).toHaveLength(DEFAULT_KANTA_SERVICES.length);
		expect(audits('setup.complete')).toHaveLength(1);
	});
});

describe('updateMainConnector', () => {
	it('refuses before setup', () => {
		expect(() => updateMainConnector(db, ADMIN_ACTOR, organisation, T0)).toThrow();
	});

	it('updates the details and audits which fields changed', () => {
		completeSetup(db, setup, client, T0);
		const later = new Date(T0.getTime() + 1000);
		updateMainConnector(db, ADMIN_ACTOR, { ...organisation, city: 'Espoo' }, later);
		expect(getMainConnector(db)).toMatchObject({ city: 'Espoo', updatedAt: later });
		expect(audits('organisation.update')).toMatchObject([{ actorId: ADMIN_ACTOR.id, summary: 'changed: city' }]);
	});
});

describe('designated persons', () => {
	const dpo = { role: 'data_protection_officer' as const, name: 'Tiina Tietosuoja', title: 'DPO', email: 'dpo@example.fi', phone: '' };
	const archivist = { role: 'archivist' as const, name: 'Arto Arkisto', title: '', email: 'arto@example.fi', phone: '+358 9 123' };

	it('adds persons, several per role allowed, and audits each', () => {
		const a = addDesignatedPerson(db, ADMIN_ACTOR, dpo);
		const b = addDesignatedPerson(db, ADMIN_ACTOR, { ...dpo, name: 'Aapo Toinen', email: 'aapo@example.fi' });
		const c = addDesignatedPerson(db, ADMIN_ACTOR, archivist);
		expect(listDesignatedPersons(db).map((p) => [p.id, p.role, p.name])).toEqual([
			[c, 'archivist', 'Arto Arkisto'],
			[b, 'data_protection_officer', 'Aapo Toinen'],
			[a, 'data_protection_officer', 'Tiina Tietosuoja']
		]);
		expect(listDesignatedPersons(db).find((p) => p.id === c)).toMatchObject(archivist);
		const entries = audits('designated_person.add');
		expect(entries).toHaveLength(3);
		expect(entries.map((e) => e.targetId).sort()).toEqual([a, b, c].sort());
		expect(entries.find((e) => e.targetId === a)).toMatchObject({
			actorId: ADMIN_ACTOR.id,
			targetType: 'designated_person',
			summary: 'data_protection_officer: Tiina Tietosuoja'
		});
	});

	it('removes a person with an audit entry; an unknown id changes nothing', () => {
		const a = addDesignatedPerson(db, ADMIN_ACTOR, dpo);
		const b = addDesignatedPerson(db, ADMIN_ACTOR, archivist);
		expect(removeDesignatedPerson(db, ADMIN_ACTOR, a)).toBe(true);
		expect(
			db
				.select()
				.from(designatedPerson)
				.all()
				.map((p) => p.id)
		).toEqual([b]);
		expect(audits('designated_person.remove')).toMatchObject([{ targetId: a, summary: 'data_protection_officer: Tiina Tietosuoja' }]);

		expect(removeDesignatedPerson(db, ADMIN_ACTOR, a)).toBe(false);
		expect(removeDesignatedPerson(db, ADMIN_ACTOR, 'nope')).toBe(false);
		expect(audits('designated_person.remove')).toHaveLength(1);
		expect(listDesignatedPersons(db)).toHaveLength(1);
	});
});
