import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import type { Actor } from '../actor';
import { listAuditEntries } from '../audit/audit-log';
import { freshDb, setUpMainConnector } from '../test-support';
import {
	certifiedSystemFor,
	getInformationSystem,
	listInformationSystems,
	purposeFor,
	removeInformationSystem,
	saveInformationSystem,
	type InformationSystemInput
} from './registry';

const T0 = new Date('2025-03-15T10:00:00Z');
const INPUT: InformationSystemInput = {
	name: 'Sosiaali Plus',
	systemClass: 'A3',
	purpose: 'social_welfare_client',
	certificateValidUntil: '2026-05-31',
	certificateReference: 'TT-2023-04'
};

let db: Db;
let admin: Actor;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
});

const audits = () =>
	listAuditEntries(db, { action: 'information_system', page: 1, pageSize: 50 }).entries.map((e) => [e.action, e.summary]);

describe('the information system registry', () => {
	it('records, changes and removes systems, each step audited', () => {
		const saved = saveInformationSystem(db, admin, INPUT, null, T0);
		expect(saved.ok).toBe(true);
		const id = saved.ok ? saved.id : '';
		expect(getInformationSystem(db, id)).toMatchObject({ ...INPUT, createdAt: T0, updatedAt: null });
		expect(saveInformationSystem(db, admin, { ...INPUT, certificateValidUntil: '2029-05-31' }, id, T0)).toEqual({ ok: true, id });
		expect(getInformationSystem(db, id)).toMatchObject({ certificateValidUntil: '2029-05-31', updatedAt: T0 });
		expect(saveInformationSystem(db, admin, INPUT, crypto.randomUUID(), T0)).toEqual({ ok: false });
		expect(removeInformationSystem(db, admin, id)).toBe(true);
		expect(removeInformationSystem(db, admin, id)).toBe(false);
		expect(listInformationSystems(db)).toEqual([]);
		expect(audits().reverse()).toEqual([
			['information_system.create', 'Sosiaali Plus (A3, social_welfare_client, certificate valid until 2026-05-31)'],
			['information_system.update', 'Sosiaali Plus (A3, social_welfare_client, certificate valid until 2029-05-31)'],
			['information_system.remove', 'Sosiaali Plus']
		]);
	});

	it('matches a system to the tenant’s field: social welfare needs a client data system, health care a patient data system', () => {
		expect(purposeFor('social_welfare')).toBe('social_welfare_client');
		expect(purposeFor('health_care')).toBe('patient_data');
		saveInformationSystem(db, admin, INPUT, null, T0);
		expect(certifiedSystemFor(db, 'social_welfare', T0)).toEqual({ met: true, validUntil: '2026-05-31' });
		expect(certifiedSystemFor(db, 'health_care', T0)).toEqual({ met: false, problem: 'wrong_purpose' });
		expect(certifiedSystemFor(db, 'social_welfare', new Date('2026-06-01T06:00:00Z'))).toEqual({
			met: false,
			problem: 'certificate_expired'
		});
	});
});
