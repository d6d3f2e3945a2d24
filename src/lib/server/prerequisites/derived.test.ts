import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index';
import { agreement, certificate, informationSystem, serviceUnit, user } from '../db/schema';
import type { Actor } from '../actor';
import { addCertificate } from '../certificates/registry';
import {
	addManualCertificate,
	addTenant,
	freshDb,
	insertAgreementRow,
	insertUser,
	MAIN_CONNECTOR_HOLDER,
	personHolder,
	setUpMainConnector
} from '../test-support';
import { evaluateDerived } from './derived';
import { getChecklist } from './checklist';
import { removeInformationSystem, saveInformationSystem, type InformationSystemInput } from '../information-systems/registry';
import { deactivatePerson } from '../people/people';
import { completeLeaverTask, listOpenLeaverTasks } from '../people/leavers';

const T0 = new Date('2025-03-15T10:00:00Z');
const DAY_MS = 86_400_000;
const days = (n: number) => new Date(T0.getTime() + n * DAY_MS);

let db: Db;
let admin: Actor;
let tenantId: string;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	tenantId = addTenant(db, admin);
});

const entry = (code: string, now = T0) => getChecklist(db, tenantId, now).entries.find((e) => e.type.code === code)!;

describe('agreement_in_force', () => {
	it('turns true while the tenant’s agreement is in force or under notice, not before or after', () => {
		expect(evaluateDerived(db, 'agreement_in_force', tenantId, T0)).toEqual({ met: false });
		expect(entry('agreement_in_force').status).toBe('not_started');
		const id = insertAgreementRow(db, tenantId, 'awaiting_countersignature', T0);
		expect(evaluateDerived(db, 'agreement_in_force', tenantId, T0).met).toBe(false);
		db.update(agreement).set({ status: 'in_force' }).where(eq(agreement.id, id)).run();
		expect(evaluateDerived(db, 'agreement_in_force', tenantId, T0).met).toBe(true);
		expect(entry('agreement_in_force')).toMatchObject({ status: 'verified', done: true, derived: { met: true } });
		db.update(agreement).set({ status: 'notice_given' }).where(eq(agreement.id, id)).run();
		expect(evaluateDerived(db, 'agreement_in_force', tenantId, T0).met).toBe(true);
		db.update(agreement).set({ status: 'ended' }).where(eq(agreement.id, id)).run();
		expect(evaluateDerived(db, 'agreement_in_force', tenantId, T0).met).toBe(false);
		expect(entry('agreement_in_force').done).toBe(false);
	});

	it('does not count another tenant’s agreement', () => {
		const other = addTenant(db, admin);
		insertAgreementRow(db, other, 'in_force', T0);
		expect(evaluateDerived(db, 'agreement_in_force', tenantId, T0).met).toBe(false);
		expect(evaluateDerived(db, 'agreement_in_force', other, T0).met).toBe(true);
	});
});

describe('server_certificates_valid', () => {
	const met = (now = T0) => evaluateDerived(db, 'server_certificates_valid', tenantId, now).met;

	it('needs both a current server and a system signature certificate of the main connector', () => {
		expect(met()).toBe(false);
		addManualCertificate(db, admin, 'server', MAIN_CONNECTOR_HOLDER, days(100), T0);
		expect(met()).toBe(false);
		// Test certificates do not stand in for production ones.
		addManualCertificate(db, admin, 'system_signature_test', MAIN_CONNECTOR_HOLDER, days(300), T0);
		expect(met()).toBe(false);
		addManualCertificate(db, admin, 'system_signature', MAIN_CONNECTOR_HOLDER, days(300), T0);
		expect(met()).toBe(true);
		expect(entry('server_certificates').status).toBe('verified');
		// Evaluated at read time: once the server certificate has expired it no longer counts.
		expect(met(days(100))).toBe(false);
		expect(met(days(99))).toBe(true);
		expect(entry('server_certificates', days(101)).status).toBe('not_started');
	});

	it('does not count an expired certificate', () => {
		addManualCertificate(db, admin, 'server', MAIN_CONNECTOR_HOLDER, days(-1), T0);
		addManualCertificate(db, admin, 'system_signature', MAIN_CONNECTOR_HOLDER, days(300), T0);
		expect(met()).toBe(false);
	});

	it('does not count a superseded certificate whose renewal has expired', () => {
		addManualCertificate(db, admin, 'server', MAIN_CONNECTOR_HOLDER, days(100), T0);
		addManualCertificate(db, admin, 'system_signature', MAIN_CONNECTOR_HOLDER, days(300), T0);
		expect(met()).toBe(true);
		// Renewed with a certificate that (by mistake) has already run out: the old one is superseded and no longer counts.
		const renewal = addCertificate(
			db,
			admin,
			'server',
			MAIN_CONNECTOR_HOLDER,
			{ source: 'manual', validTo: days(-5), validFrom: null, reference: 'wrong' },
			T0
		);
		expect(renewal.ok).toBe(true);
		expect(met()).toBe(false);
	});

	it('does not count a tenant’s own server certificates', () => {
		const holder = { type: 'tenant' as const, tenantId, userId: null, name: 'Vuokralainen' };
		addManualCertificate(db, admin, 'server', holder, days(100), T0);
		addManualCertificate(db, admin, 'system_signature', holder, days(300), T0);
		expect(met()).toBe(false);
	});
});

describe('staff_cards_valid', () => {
	const state = (now = T0) => evaluateDerived(db, 'staff_cards_valid', tenantId, now);

	it('is not met while the tenant has no staff at all', () => {
		expect(state()).toEqual({ met: false, missing: [] });
	});

	it('lists who is missing a valid card and turns true once every staff member has one', () => {
		const anna = insertUser(db, { tenantId, name: 'Anna Ammattilainen', roles: ['tenant_staff'] });
		const bertil = insertUser(db, { tenantId, name: 'Bertil Berg', roles: ['tenant_staff', 'tenant_admin'] });
		const carl = insertUser(db, { tenantId, name: 'Carl Korvaava', roles: ['tenant_staff'] });
		// Administrators and signatories without the staff role need no card.
		insertUser(db, { tenantId, name: 'Aino Admin', roles: ['tenant_admin'] });
		// Neither do people who are not active.
		insertUser(db, { tenantId, name: 'Dora Deactivated', roles: ['tenant_staff'], status: 'deactivated' });
		insertUser(db, { tenantId, name: 'Iida Invited', roles: ['tenant_staff'], status: 'invited' });
		// Another tenant's staff are not ours.
		const other = addTenant(db, admin);
		insertUser(db, { tenantId: other, name: 'Otto Other', roles: ['tenant_staff'] });

		expect(state().met).toBe(false);
		expect(state().missing!.sort()).toEqual(['Anna Ammattilainen', 'Bertil Berg', 'Carl Korvaava']);

		addManualCertificate(db, admin, 'professional_card', personHolder(anna), days(400), T0);
		expect(state().missing!.sort()).toEqual(['Bertil Berg', 'Carl Korvaava']);
		// An expired card does not count.
		addManualCertificate(db, admin, 'staff_card', personHolder(bertil), days(-1), T0);
		expect(state().missing!.sort()).toEqual(['Bertil Berg', 'Carl Korvaava']);
		// A security assessment certificate is not a card.
		addManualCertificate(db, admin, 'security_assessment', personHolder(carl), days(400), T0);
		expect(state().missing!.sort()).toEqual(['Bertil Berg', 'Carl Korvaava']);

		addManualCertificate(db, admin, 'staff_card', personHolder(bertil), days(200), T0); // renewal of the expired one
		addManualCertificate(db, admin, 'replacement_card', personHolder(carl), days(30), T0);
		expect(state()).toEqual({ met: true, missing: [] });
		expect(entry('professional_cards')).toMatchObject({ status: 'verified', done: true });
		// The replacement card runs out first.
		expect(state(days(30))).toEqual({ met: false, missing: ['Carl Korvaava'] });
		expect(entry('professional_cards', days(31)).derived).toEqual({ met: false, missing: ['Carl Korvaava'] });
	});

	it('does not count a card recorded under another tenant', () => {
		const other = addTenant(db, admin);
		const anna = insertUser(db, { tenantId, name: 'Anna Ammattilainen', roles: ['tenant_staff'] });
		addManualCertificate(
			db,
			admin,
			'professional_card',
			{ type: 'person', tenantId: other, userId: anna.id, name: anna.name },
			days(400),
			T0
		);
		expect(state()).toEqual({ met: false, missing: ['Anna Ammattilainen'] });
	});

	it('stops counting a person once they are deactivated, and counts a new staff member as missing', () => {
		const anna = insertUser(db, { tenantId, name: 'Anna Ammattilainen', roles: ['tenant_staff'] });
		addManualCertificate(db, admin, 'professional_card', personHolder(anna), days(400), T0);
		expect(state().met).toBe(true);
		const uusi = insertUser(db, { tenantId, name: 'Uusi Työntekijä', roles: ['tenant_staff'] });
		expect(state()).toEqual({ met: false, missing: ['Uusi Työntekijä'] });
		db.update(user).set({ status: 'deactivated' }).where(eq(user.id, uusi.id)).run();
		expect(state().met).toBe(true);
		expect(db.select().from(certificate).all()).toHaveLength(1);
	});
});

describe('system_certified', () => {
	const system = (overrides: Partial<InformationSystemInput> = {}) => {
		const saved = saveInformationSystem(
			db,
			admin,
			{
				name: 'Potilas Pro',
				systemClass: 'A2',
				purpose: 'patient_data',
				certificateValidUntil: '2025-06-30',
				certificateReference: 'TT-2022-17',
				...overrides
			},
			null,
			T0
		);
		if (!saved.ok) throw new Error('not saved');
		return saved.id;
	};
	const state = (id = tenantId, now = T0) => evaluateDerived(db, 'system_certified', id, now);

	it('follows the security assessment certificate’s last valid day, not the day anyone checked it', () => {
		expect(state()).toEqual({ met: false, problem: 'no_system' });
		system();
		expect(state()).toEqual({ met: true, validUntil: '2025-06-30' });
		expect(entry('system_certification')).toMatchObject({ status: 'verified', done: true });
		// Valid through its last day in Helsinki, expired the day after (21:30 UTC is already 1 July there).
		expect(state(tenantId, new Date('2025-06-30T20:00:00Z')).met).toBe(true);
		expect(state(tenantId, new Date('2025-06-30T21:30:00Z'))).toEqual({ met: false, problem: 'certificate_expired' });
		expect(entry('system_certification', new Date('2025-07-01T09:00:00Z'))).toMatchObject({ status: 'not_started', done: false });
	});

	it('counts the latest certificate among several systems of the right kind', () => {
		system({ name: 'Vanha', certificateValidUntil: '2025-01-31' });
		expect(state().problem).toBe('certificate_expired');
		const renewed = system({ name: 'Uusi', certificateValidUntil: '2027-02-28' });
		expect(state()).toEqual({ met: true, validUntil: '2027-02-28' });
		removeInformationSystem(db, admin, renewed);
		expect(state().met).toBe(false);
	});

	it('does not let a social welfare tenant rely on a patient data system (seed 001)', () => {
		const social = addTenant(db, admin, { serviceSector: 'social_welfare', providerType: 'private' });
		system({ purpose: 'patient_data', certificateValidUntil: '2028-01-01' });
		expect(state(tenantId).met).toBe(true);
		expect(state(social)).toEqual({ met: false, problem: 'wrong_purpose' });
		const item = getChecklist(db, social, T0).entries.find((e) => e.type.code === 'system_certification')!;
		expect(item).toMatchObject({ done: false, derived: { met: false, problem: 'wrong_purpose' } });
		system({ name: 'Sosiaali', purpose: 'social_welfare_client', certificateValidUntil: '2027-01-01' });
		expect(state(social)).toEqual({ met: true, validUntil: '2027-01-01' });
		// And the other way round: a health care tenant needs a patient data system.
		const health = addTenant(db, admin, { serviceSector: 'health_care' });
		db.delete(informationSystem).where(eq(informationSystem.purpose, 'patient_data')).run();
		expect(state(health)).toEqual({ met: false, problem: 'wrong_purpose' });
	});

	it('needs a class that Kela has tested against Kanta (A2 or A3)', () => {
		system({ systemClass: 'A1', certificateValidUntil: '2028-01-01' });
		expect(state()).toEqual({ met: false, problem: 'no_system' });
		system({ name: 'Kanta-liitetty', systemClass: 'A3', certificateValidUntil: '2028-01-01' });
		expect(state().met).toBe(true);
	});
});

describe('unit_in_code_service', () => {
	const ROOT = '1.2.246.10.7375462';
	let social: string;
	beforeEach(() => {
		social = addTenant(db, admin, { serviceSector: 'social_welfare', providerType: 'private', businessId: '0737546-2', oid: ROOT });
	});
	const state = () => evaluateDerived(db, 'unit_in_code_service', social, T0);
	const setUnits = (units: { name: string; oid: string }[]) => {
		db.delete(serviceUnit).where(eq(serviceUnit.tenantId, social)).run();
		if (units.length)
			db.insert(serviceUnit)
				.values(units.map((u) => ({ ...u, id: crypto.randomUUID(), tenantId: social })))
				.run();
	};

	it('replaces the Valveri reference item for private social welfare only', () => {
		const item = getChecklist(db, social, T0).entries.find((e) => e.type.code === 'social_welfare_data_valvira')!;
		expect(item.type).toMatchObject({ evidenceKind: 'derived', derivedRule: 'unit_in_code_service' });
		expect(item.type.guidanceFi).toContain('Lupa- ja valvontavirasto');
		expect(item.type.guidanceSv).toContain('Tillstånds- och tillsynsverket');
		expect(item.type.guidanceEn).toContain('Finnish Supervisory Agency');
		expect(entry('social_welfare_data_valvira')).toBeUndefined();
	});

	it('is met once every service unit has an OID below the tenant’s own root', () => {
		expect(state()).toEqual({ met: false, missing: [], problem: 'no_units' });
		setUnits([
			{ name: 'Kotihoito', oid: `${ROOT}.10.1` },
			{ name: 'Asumispalvelu', oid: '1.2.246.10.8286189.10.2' }
		]);
		expect(state()).toEqual({ met: false, missing: ['Asumispalvelu'] });
		setUnits([
			{ name: 'Kotihoito', oid: `${ROOT}.10.1` },
			{ name: 'Asumispalvelu', oid: `${ROOT}.10.2` }
		]);
		expect(state()).toEqual({ met: true, missing: [] });
		expect(getChecklist(db, social, T0).entries.find((e) => e.type.code === 'social_welfare_data_valvira')!.done).toBe(true);
	});
});

describe('access_register_current', () => {
	const state = () => evaluateDerived(db, 'access_register_current', tenantId, T0);

	it('is met while the tenant has active people and no leaver waits for the main connector to remove their rights', () => {
		expect(state()).toEqual({ met: false });
		const anna = insertUser(db, { tenantId, name: 'Anna', roles: ['tenant_staff'] });
		const bo = insertUser(db, { tenantId, name: 'Bo', roles: ['tenant_staff'] });
		expect(state()).toEqual({ met: true });
		deactivatePerson(db, admin, bo, T0);
		expect(state()).toEqual({ met: false, problem: 'leavers_pending' });
		expect(entry('user_access_register')).toMatchObject({ done: false, derived: { problem: 'leavers_pending' } });
		// Another tenant's leaver does not hold this tenant back.
		const other = addTenant(db, admin);
		deactivatePerson(db, admin, insertUser(db, { tenantId: other, roles: ['tenant_staff'] }), T0);
		const task = listOpenLeaverTasks(db).find((t) => t.tenantId === tenantId)!;
		expect(completeLeaverTask(db, admin, task.id, T0).ok).toBe(true);
		expect(state()).toEqual({ met: true });
		expect(anna.status).toBe('active');
	});
});
