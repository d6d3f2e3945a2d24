import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { user } from '../db/schema';
import { toSessionUser, type SessionUser } from '../auth/session';
import { deactivatePerson } from '../people/people';
import { addTenant, freshDb, insertUser, setUpMainConnector } from '../test-support';
import type { Actor } from '../actor';
import {
	acknowledge,
	contentHash,
	coverage,
	coverageByTenant,
	coverageCounts,
	coverageInTenant,
	coverageInTenantParts,
	createInstruction,
	currentVersion,
	fillContacts,
	getInstruction,
	instructionsFor,
	missingByPerson,
	publishVersion,
	scanAcknowledgementReminders,
	textFor,
	type InstructionContent,
	type InstructionSettings
} from './instructions';
import { addDesignatedPerson } from '../organisation/organisation';
import { tenantCoverage, tenantCoverageRowParts } from './report';
import { setTenantArchived } from '../tenants/tenants';

const CONTENT: InstructionContent = {
	titleFi: 'Kortin käsittely',
	bodyFi: 'Säilytä kortti lukitussa kaapissa.',
	titleSv: 'Hantering av kortet',
	bodySv: 'Förvara kortet i ett låst skåp.',
	titleEn: null,
	bodyEn: null
};
const SETTINGS: InstructionSettings = {
	category: 'card_handling',
	allTenants: true,
	tenantIds: [],
	audience: 'all_staff',
	requiresAck: true
};
const CLIENT = { ipAddress: '192.0.2.5', userAgent: 'test' };

let db: Db;
let admin: Actor;
let tenantA: string;
let tenantB: string;
let staff: SessionUser[];

function person(tenantId: string, roles: ('tenant_staff' | 'tenant_admin')[] = ['tenant_staff']): SessionUser {
	return toSessionUser(db, insertUser(db, { tenantId, roles }));
}

function ackCurrent(who: SessionUser, instructionId: string, at = new Date()) {
	return acknowledge(db, who, instructionId, currentVersion(db, instructionId)!.id, 'fi', CLIENT, at);
}

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	tenantA = addTenant(db, admin);
	tenantB = addTenant(db, admin);
	staff = [person(tenantA), person(tenantA)];
});

describe('coverage', () => {
	it('counts the active people of the audience who acknowledged the current version', () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		const item = getInstruction(db, id)!;
		expect(coverage(db, item, tenantA)).toMatchObject({ acknowledged: 0, total: 2 });
		expect(ackCurrent(staff[0], id)).toBe(true);
		const result = coverage(db, item, tenantA);
		expect(result).toMatchObject({ acknowledged: 1, total: 2 });
		expect(result.people.find((p) => p.userId === staff[0].id)).toMatchObject({ current: true, acknowledgedVersion: 1 });
	});

	it('a minor version keeps acknowledgements; a material one asks everyone again', () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		ackCurrent(staff[0], id);
		publishVersion(
			db,
			admin,
			id,
			{ material: false, changeSummary: 'typo' },
			{ ...CONTENT, bodyFi: 'Säilytä kortti aina lukitussa kaapissa.' }
		);
		expect(coverage(db, getInstruction(db, id)!, tenantA).acknowledged).toBe(1);
		publishVersion(
			db,
			admin,
			id,
			{ material: true, changeSummary: 'new rule' },
			{ ...CONTENT, bodyFi: 'Kortti palautetaan työpäivän päätteeksi.' }
		);
		expect(coverage(db, getInstruction(db, id)!, tenantA).acknowledged).toBe(0);
		ackCurrent(staff[0], id);
		const after = coverage(db, getInstruction(db, id)!, tenantA);
		expect(after.acknowledged).toBe(1);
		expect(after.people.find((p) => p.userId === staff[0].id)?.acknowledgedVersion).toBe(3);
	});

	it('new staff owe every current instruction; deactivated people drop out of the count', () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		ackCurrent(staff[0], id);
		ackCurrent(staff[1], id);
		expect(coverage(db, getInstruction(db, id)!, tenantA)).toMatchObject({ acknowledged: 2, total: 2 });
		const newcomer = person(tenantA);
		expect(coverage(db, getInstruction(db, id)!, tenantA)).toMatchObject({ acknowledged: 2, total: 3 });
		expect(instructionsFor(db, newcomer)[0]).toMatchObject({ pending: true });
		deactivatePerson(db, admin, db.select().from(user).where(eq(user.id, newcomer.id)).get()!);
		expect(coverage(db, getInstruction(db, id)!, tenantA)).toMatchObject({ acknowledged: 2, total: 2 });
	});

	it('reaches only the chosen tenants and, for an administrators-only instruction, only their administrators', () => {
		const onlyB = createInstruction(db, admin, { ...SETTINGS, allTenants: false, tenantIds: [tenantB] }, CONTENT);
		expect(instructionsFor(db, staff[0]).map((i) => i.instruction.id)).not.toContain(onlyB);
		expect(coverage(db, getInstruction(db, onlyB)!, tenantA).total).toBe(0);
		expect(ackCurrent(staff[0], onlyB)).toBe(false);

		const adminsOnly = createInstruction(db, admin, { ...SETTINGS, audience: 'tenant_admins' }, CONTENT);
		const tenantAdmin = person(tenantA, ['tenant_admin']);
		expect(coverage(db, getInstruction(db, adminsOnly)!, tenantA).people.map((p) => p.userId)).toEqual([tenantAdmin.id]);
		expect(instructionsFor(db, staff[0]).map((i) => i.instruction.id)).not.toContain(adminsOnly);
	});

	it('my instructions: versions, acknowledgements and reach of every instruction at once, pending first', () => {
		const minor = createInstruction(db, admin, SETTINGS, CONTENT);
		ackCurrent(staff[0], minor);
		publishVersion(db, admin, minor, { material: false, changeSummary: 'typo' }, { ...CONTENT, bodyFi: 'Korjattu.' });
		const material = createInstruction(db, admin, SETTINGS, CONTENT);
		ackCurrent(staff[0], material);
		publishVersion(db, admin, material, { material: true, changeSummary: 'new rule' }, { ...CONTENT, bodyFi: 'Uusi sääntö.' });
		const chosen = createInstruction(db, admin, { ...SETTINGS, allTenants: false, tenantIds: [tenantA] }, CONTENT);
		const elsewhere = createInstruction(db, admin, { ...SETTINGS, allTenants: false, tenantIds: [tenantB] }, CONTENT);
		const mine = instructionsFor(db, staff[0]);
		const view = (id: string) => mine.find((i) => i.instruction.id === id);
		expect(view(minor)).toMatchObject({ pending: false, acknowledgedVersion: 1, version: { version: 2 } });
		expect(view(material)).toMatchObject({ pending: true, acknowledgedVersion: 1, version: { version: 2 } });
		expect(view(chosen)).toMatchObject({ pending: true, acknowledgedVersion: null, version: { version: 1 } });
		expect(view(elsewhere)).toBeUndefined();
		expect(mine.map((i) => i.pending)).toEqual([true, true, false]);
		expect(mine.every((i) => i.version.id === currentVersion(db, i.instruction.id)!.id)).toBe(true);
		// The main connector's people see every instruction that is not archived.
		expect(instructionsFor(db, { id: admin.id!, tenantId: null, roles: ['mc_admin'] }).map((i) => i.instruction.id)).toContain(elsewhere);
	});

	it('across tenants gives each current tenant it reaches once, by name, as coverage() does per tenant', () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		ackCurrent(staff[0], id);
		person(tenantB);
		const item = getInstruction(db, id)!;
		const all = coverageByTenant(db, item);
		expect(all.map((t) => t.tenantId).sort()).toEqual([tenantA, tenantB].sort());
		expect(all.map((t) => t.tenantName)).toEqual(all.map((t) => t.tenantName).sort());
		for (const t of all) expect({ people: t.people, acknowledged: t.acknowledged, total: t.total }).toEqual(coverage(db, item, t.tenantId));
		expect(all.find((t) => t.tenantId === tenantA)).toMatchObject({ acknowledged: 1, total: 2 });

		const onlyB = getInstruction(db, createInstruction(db, admin, { ...SETTINGS, allTenants: false, tenantIds: [tenantB] }, CONTENT))!;
		expect(coverageByTenant(db, onlyB).map((t) => t.tenantId)).toEqual([tenantB]);
		setTenantArchived(db, admin, tenantB, true);
		expect(coverageByTenant(db, item).map((t) => t.tenantId)).toEqual([tenantA]);
		expect(coverageByTenant(db, onlyB)).toEqual([]);
	});

	it('of all instructions in one tenant at once equals coverage() of each instruction there', () => {
		const tenantC = addTenant(db, admin);
		const adminA = person(tenantA, ['tenant_admin']);
		const leaver = person(tenantA);
		const staffB = [person(tenantB), person(tenantB, ['tenant_admin', 'tenant_staff'])];
		const staffC = person(tenantC, ['tenant_admin']);
		const items = [
			createInstruction(db, admin, SETTINGS, CONTENT),
			createInstruction(db, admin, { ...SETTINGS, allTenants: false, tenantIds: [tenantA, tenantC] }, CONTENT),
			createInstruction(db, admin, { ...SETTINGS, audience: 'tenant_admins' }, CONTENT),
			createInstruction(db, admin, { ...SETTINGS, allTenants: false, tenantIds: [tenantB], audience: 'tenant_admins' }, CONTENT),
			createInstruction(db, admin, { ...SETTINGS, category: 'client_data' }, CONTENT)
		];
		const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 8, minute));
		ackCurrent(staff[0], items[0], at(1));
		ackCurrent(staff[0], items[0], at(2));
		ackCurrent(adminA, items[0], at(3));
		ackCurrent(leaver, items[0], at(4));
		ackCurrent(staff[1], items[1], at(5));
		ackCurrent(adminA, items[2], at(6));
		ackCurrent(staffB[1], items[3], at(7));
		ackCurrent(staffC, items[1], at(8));
		// A material change makes older acknowledgements outdated; a minor one does not.
		publishVersion(db, admin, items[1], { material: true, changeSummary: 'new rule' }, { ...CONTENT, bodyFi: 'Uusi sääntö.' });
		publishVersion(db, admin, items[0], { material: false, changeSummary: 'typo' }, { ...CONTENT, bodyFi: 'Korjattu.' });
		ackCurrent(staff[0], items[1], at(9));
		ackCurrent(staffB[0], items[4], at(10));
		deactivatePerson(db, admin, db.select().from(user).where(eq(user.id, leaver.id)).get()!);
		setTenantArchived(db, admin, tenantC, true);
		const instructions = items.map((id) => getInstruction(db, id)!);
		for (const tenantId of [tenantA, tenantB, tenantC]) {
			const together = coverageInTenant(db, instructions, tenantId);
			for (const item of instructions) expect(together.get(item.id), `${item.id} in ${tenantId}`).toEqual(coverage(db, item, tenantId));
			// In parts (the export): the same people, instruction by instruction, whatever the part size.
			const expected = instructions.flatMap((item) => together.get(item.id)!.people.map((p) => ({ item: item.id, ...p })));
			const rows = tenantCoverage(db, tenantId, 'sv').flatMap((row) => row.people.map((p) => ({ title: row.title, ...p })));
			for (const size of [1, 2, 1000]) {
				const parts = [...coverageInTenantParts(db, instructions, tenantId, size)];
				expect(parts.every((part) => part.people.length > 0 && part.people.length <= size)).toBe(true);
				expect(parts.flatMap((part) => part.people.map((p) => ({ item: part.item.id, ...p })))).toEqual(expected);
				expect([...tenantCoverageRowParts(db, tenantId, 'sv', size)].flat()).toEqual(rows);
			}
		}
		expect(coverageInTenant(db, instructions, tenantA).get(items[0])).toMatchObject({ acknowledged: 2, total: 3 });
	});

	it('as counts agrees with the people listed, page by page, for every kind of audience', () => {
		const tenantC = addTenant(db, admin);
		person(tenantB);
		person(tenantB, ['tenant_admin']);
		person(tenantC);
		const items = [
			createInstruction(db, admin, SETTINGS, CONTENT),
			createInstruction(db, admin, { ...SETTINGS, allTenants: false, tenantIds: [tenantA, tenantC] }, CONTENT),
			createInstruction(db, admin, { ...SETTINGS, audience: 'tenant_admins' }, CONTENT)
		];
		ackCurrent(staff[0], items[0]);
		ackCurrent(staff[1], items[1]);
		// An acknowledgement of a version before the latest material change no longer counts.
		publishVersion(
			db,
			admin,
			items[1],
			{ material: true, changeSummary: 'new rule' },
			{ ...CONTENT, bodyFi: 'Kortti palautetaan illalla.' }
		);
		ackCurrent(staff[0], items[1]);
		for (const id of items) {
			const item = getInstruction(db, id)!;
			const listed = coverageByTenant(db, item).map(({ people: _, ...counts }) => counts);
			const pages = [1, 2, 3].flatMap((page) => coverageCounts(db, item, { page, pageSize: 1 }).tenants);
			expect(pages).toEqual(listed);
			const totals = coverageCounts(db, item);
			expect(totals).toEqual({
				tenants: [],
				tenantCount: listed.length,
				acknowledged: listed.reduce((n, t) => n + t.acknowledged, 0),
				total: listed.reduce((n, t) => n + t.total, 0)
			});
		}
		expect(coverageCounts(db, getInstruction(db, items[1])!, { page: 1, pageSize: 50 })).toMatchObject({
			tenantCount: 2,
			acknowledged: 1,
			total: 3
		});
		expect(coverageCounts(db, getInstruction(db, items[2])!, { page: 1, pageSize: 50 })).toMatchObject({
			tenantCount: 1,
			acknowledged: 0,
			total: 1
		});
	});

	it('shows each person their newest acknowledgement, current or outdated', () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		const first = new Date('2026-01-10T08:00:00Z');
		ackCurrent(staff[0], id, first);
		ackCurrent(staff[1], id, first);
		publishVersion(
			db,
			admin,
			id,
			{ material: true, changeSummary: 'new rule' },
			{ ...CONTENT, bodyFi: 'Kortti palautetaan työpäivän päätteeksi.' }
		);
		const second = new Date('2026-02-10T08:00:00Z');
		ackCurrent(staff[0], id, second);
		const [row] = coverageByTenant(db, getInstruction(db, id)!, tenantA);
		expect(row.people.find((p) => p.userId === staff[0].id)).toMatchObject({
			acknowledgedVersion: 2,
			acknowledgedAt: second,
			current: true
		});
		expect(row.people.find((p) => p.userId === staff[1].id)).toMatchObject({
			acknowledgedVersion: 1,
			acknowledgedAt: first,
			current: false
		});
		expect(row).toMatchObject({ acknowledged: 1, total: 2 });
	});

	it('lists per person what is missing', () => {
		const first = createInstruction(db, admin, SETTINGS, CONTENT);
		const second = createInstruction(db, admin, { ...SETTINGS, category: 'client_data' }, { ...CONTENT, titleFi: 'Asiakastiedot' });
		ackCurrent(staff[0], first);
		const missing = missingByPerson(db, tenantA);
		expect(missing.find((m) => m.userId === staff[0].id)?.missing.map((i) => i.id)).toEqual([second]);
		expect(
			missing
				.find((m) => m.userId === staff[1].id)
				?.missing.map((i) => i.id)
				.sort()
		).toEqual([first, second].sort());
	});
});

describe('reading and acknowledging', () => {
	it('gives readers their language, else the nearest, and hashes exactly what was read', () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		const version = currentVersion(db, id)!;
		expect(textFor(version, 'sv')).toMatchObject({ language: 'sv', title: 'Hantering av kortet' });
		expect(textFor(version, 'en')).toMatchObject({ language: 'fi', title: 'Kortin käsittely' });
		expect(contentHash(version, 'fi')).not.toBe(contentHash(version, 'sv'));
		expect(contentHash(version, 'fi')).toMatch(/^[0-9a-f]{64}$/);
	});

	it('refuses to acknowledge an old version', () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		const old = currentVersion(db, id)!;
		publishVersion(db, admin, id, { material: true, changeSummary: 'x' }, CONTENT);
		expect(acknowledge(db, staff[0], id, old.id, 'fi', CLIENT)).toBe(false);
	});

	it('fills in the designated persons as they are now', () => {
		addDesignatedPerson(db, admin, {
			role: 'data_protection_officer',
			name: 'Tiina Tietosuoja',
			title: 'DPO',
			email: 'dpo@example.fi',
			phone: ''
		});
		expect(fillContacts(db, 'Ota yhteyttä: {{contact.dpo}}.')).toBe('Ota yhteyttä: Tiina Tietosuoja, DPO, dpo@example.fi.');
		expect(fillContacts(db, 'Arkisto: {{contact.archivist}}')).toBe('Arkisto: —');
	});
});

describe('acknowledgement reminders', () => {
	it('remind after a week, then weekly, each once', () => {
		const published = new Date('2026-11-01T08:00:00Z');
		const id = createInstruction(db, admin, SETTINGS, CONTENT, published);
		expect(scanAcknowledgementReminders(db, new Date('2026-11-05T08:00:00Z'))).toBe(0);
		expect(scanAcknowledgementReminders(db, new Date('2026-11-08T09:00:00Z'))).toBe(2);
		expect(scanAcknowledgementReminders(db, new Date('2026-11-09T09:00:00Z'))).toBe(0);
		ackCurrent(staff[0], id, new Date('2026-11-10T09:00:00Z'));
		expect(scanAcknowledgementReminders(db, new Date('2026-11-15T09:00:00Z'))).toBe(1);
	});
});
