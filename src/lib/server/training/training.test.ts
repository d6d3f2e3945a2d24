import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import type { Actor } from '../actor';
import { eq } from 'drizzle-orm';
import { trainingRecord } from '../db/schema';
import { addTenant, freshDb, insertUser, setUpMainConnector } from '../test-support';
import { evaluateDerived } from '../prerequisites/derived';
import { getChecklist } from '../prerequisites/checklist';
import {
	addTrainingRecord,
	confirmTrainingRecord,
	isRecordValid,
	listModules,
	saveModule,
	peopleMissingTraining,
	scanTrainingReminders,
	trainingEvidenceType,
	trainingRecordRefusal,
	trainingValidUntil,
	getTrainingRecord
} from './training';

// Counts how often a file's type is checked from its content (each check is a sandbox worker run).
const contentChecks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../evidence/file-check', () => ({
	checkEvidenceFile: async () => {
		contentChecks.count++;
		return { ok: true, mimeType: 'application/pdf', extension: 'pdf' };
	}
}));

let db: Db;
let admin: Actor;
let tenantId: string;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	tenantId = addTenant(db, admin);
});

const moduleByCode = (code: string) => listModules(db).find((m) => m.code === code)!;

describe('training validity', () => {
	it('runs for the module’s months from completion, to the same day or the month’s end', () => {
		expect(trainingValidUntil('2026-01-31', 12)).toBe('2027-01-31');
		expect(trainingValidUntil('2026-01-31', 1)).toBe('2026-02-28');
		expect(trainingValidUntil('2026-05-05', null)).toBeNull();
	});

	it('counts only confirmed records that have not run out', () => {
		expect(isRecordValid({ confirmed: true, validUntil: '2026-12-31' }, '2026-12-31')).toBe(true);
		expect(isRecordValid({ confirmed: true, validUntil: '2026-12-30' }, '2026-12-31')).toBe(false);
		expect(isRecordValid({ confirmed: false, validUntil: null }, '2026-12-31')).toBe(false);
		expect(isRecordValid({ confirmed: true, validUntil: null }, '2030-01-01')).toBe(true);
	});
});

describe('staff trained (derived checklist item)', () => {
	it('is met only when every active person holds every module their role requires', () => {
		const now = new Date('2026-11-22T10:00:00Z');
		const staff = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		const tenantAdmin = insertUser(db, { tenantId, roles: ['tenant_admin'] });
		expect(evaluateDerived(db, 'staff_trained', tenantId, now)).toEqual({ met: false, missing: [staff.name, tenantAdmin.name].sort() });

		addTrainingRecord(db, admin, { moduleId: moduleByCode('kanta_use').id, userId: staff.id, completedOn: '2026-10-01' }, true, now);
		addTrainingRecord(db, admin, { moduleId: moduleByCode('data_protection').id, userId: staff.id, completedOn: '2026-10-01' }, true, now);
		expect(peopleMissingTraining(db, tenantId, now).map((g) => g.userId)).toEqual([tenantAdmin.id]);

		// A self-declared completion counts once the administrator confirms it.
		const declared = addTrainingRecord(
			db,
			{ id: tenantAdmin.id, label: tenantAdmin.email, ipAddress: '' },
			{ moduleId: moduleByCode('data_protection').id, userId: tenantAdmin.id, completedOn: '2026-11-01' },
			false,
			now
		);
		if (!declared.ok) throw new Error(declared.reason);
		expect(evaluateDerived(db, 'staff_trained', tenantId, now).met).toBe(false);
		expect(confirmTrainingRecord(db, admin, { tenantId, recordId: declared.id }, now).ok).toBe(true);
		expect(evaluateDerived(db, 'staff_trained', tenantId, now).met).toBe(true);
		expect(getChecklist(db, tenantId, now).entries.find((e) => e.type.code === 'staff_training')?.status).toBe('verified');

		// A year later the data-protection training has run out.
		expect(evaluateDerived(db, 'staff_trained', tenantId, new Date('2027-11-10T10:00:00Z')).met).toBe(false);
	});
});

describe('training reminders', () => {
	it('remind once before expiry and once on expiry', () => {
		const staff = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		addTrainingRecord(db, admin, { moduleId: moduleByCode('data_protection').id, userId: staff.id, completedOn: '2025-12-01' }, true);
		expect(scanTrainingReminders(db, new Date('2026-11-10T10:00:00Z'))).toBe(1);
		expect(scanTrainingReminders(db, new Date('2026-11-11T10:00:00Z'))).toBe(0);
		expect(scanTrainingReminders(db, new Date('2026-12-05T10:00:00Z'))).toBe(1);
		expect(scanTrainingReminders(db, new Date('2026-12-06T10:00:00Z'))).toBe(0);
	});
});

describe('recording a completion (the rules)', () => {
	const now = new Date('2026-11-22T10:00:00Z');
	const record = (userId: string, moduleId = moduleByCode('kanta_use').id, completedOn = '2026-11-01', scope = { tenantId }) =>
		addTrainingRecord(db, admin, { moduleId, userId, completedOn }, true, now, scope);

	it('records an active person of the tenant on an active module', () => {
		const staff = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		expect(record(staff.id)).toEqual({ ok: true, id: expect.any(String) });
	});

	it('refuses a person who has left, a person of another tenant, and someone unknown', () => {
		const left = insertUser(db, { tenantId, roles: ['tenant_staff'], status: 'deactivated' });
		const otherTenant = addTenant(db, admin);
		const stranger = insertUser(db, { tenantId: otherTenant, roles: ['tenant_staff'] });
		expect(record(left.id)).toEqual({ ok: false, reason: 'person_not_found' });
		expect(record(stranger.id)).toEqual({ ok: false, reason: 'person_not_found' });
		expect(record('no-such-person')).toEqual({ ok: false, reason: 'person_not_found' });
		expect(
			trainingRecordRefusal(db, { moduleId: moduleByCode('kanta_use').id, userId: stranger.id, completedOn: '2026-11-01' }, {}, now)
		).toBeNull();
	});

	it('refuses a module that is no longer in use, and a completion day after today', () => {
		const staff = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		const { id: _id, ...kanta } = moduleByCode('kanta_use');
		saveModule(db, admin, { ...kanta, active: false }, _id);
		expect(record(staff.id, _id)).toEqual({ ok: false, reason: 'module_not_active' });
		expect(record(staff.id, moduleByCode('data_protection').id, '2026-11-23')).toEqual({ ok: false, reason: 'completed_in_future' });
		expect(record(staff.id, moduleByCode('data_protection').id, '2026-11-22').ok).toBe(true);
	});

	it('confirms only a declared record of the named tenant, and only once', () => {
		const staff = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		const actor = { id: staff.id, label: staff.email, ipAddress: '' };
		const declared = addTrainingRecord(
			db,
			actor,
			{ moduleId: moduleByCode('kanta_use').id, userId: staff.id, completedOn: '2026-11-01' },
			false,
			now
		);
		if (!declared.ok) throw new Error(declared.reason);
		const otherTenant = addTenant(db, admin);
		expect(confirmTrainingRecord(db, admin, { tenantId: otherTenant, recordId: declared.id }, now)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(confirmTrainingRecord(db, admin, { tenantId, recordId: declared.id }, now).ok).toBe(true);
		expect(confirmTrainingRecord(db, admin, { tenantId, recordId: declared.id }, now)).toEqual({ ok: false, reason: 'already_confirmed' });
	});
});

describe('training evidence type', () => {
	const pdf = new TextEncoder().encode('%PDF-1.7');

	beforeEach(() => {
		contentChecks.count = 0;
	});

	function record(evidence: { name: string; path: string; mimeType: string }) {
		const person = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		const added = addTrainingRecord(
			db,
			admin,
			{ moduleId: moduleByCode('data_protection').id, userId: person.id, completedOn: '2026-01-05', evidence },
			true
		);
		if (!added.ok) throw new Error(added.reason);
		return getTrainingRecord(db, added.id)!;
	}

	it('is stored at upload and served without checking the file again', async () => {
		const stored = record({ name: 'todistus.png', path: 'training/a', mimeType: 'image/png' });
		expect(stored.evidenceMimeType).toBe('image/png');
		expect(await trainingEvidenceType(db, stored, pdf)).toBe('image/png');
		expect(await trainingEvidenceType(db, stored, pdf)).toBe('image/png');
		expect(contentChecks.count).toBe(0);
	});

	it('is checked once for a record from before types were stored, then remembered', async () => {
		const stored = record({ name: 'todistus.pdf', path: 'training/b', mimeType: 'application/pdf' });
		db.update(trainingRecord).set({ evidenceMimeType: null }).where(eq(trainingRecord.id, stored.id)).run();
		const legacy = getTrainingRecord(db, stored.id)!;
		expect(legacy.evidenceMimeType).toBeNull();
		expect(await trainingEvidenceType(db, legacy, pdf)).toBe('application/pdf');
		const again = getTrainingRecord(db, stored.id)!;
		expect(again.evidenceMimeType).toBe('application/pdf');
		expect(await trainingEvidenceType(db, again, pdf)).toBe('application/pdf');
		expect(contentChecks.count).toBe(1);
	});
});
