import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry, notification } from '../db/schema';
import { toSessionUser, type SessionUser } from '../auth/session';
import { addTenant, freshDb, insertUser, setUpMainConnector } from '../test-support';
import type { Actor } from '../actor';
import { acknowledge, createInstruction, currentVersion, type InstructionSettings } from './instructions';
import { remindPendingAcknowledgements } from './remind';

const CONTENT = {
	titleFi: 'Kortin käsittely',
	bodyFi: 'Lukittu kaappi.',
	titleSv: 'Kortet',
	bodySv: 'Låst skåp.',
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

let db: Db;
let admin: Actor;
let people: SessionUser[];

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	const tenantA = addTenant(db, admin);
	const tenantB = addTenant(db, admin);
	people = [tenantA, tenantA, tenantB].map((tenantId) => toSessionUser(db, insertUser(db, { tenantId, roles: ['tenant_staff'] })));
});

describe('remindPendingAcknowledgements', () => {
	it('reminds everyone who has not acknowledged, with one audit entry per person', () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		acknowledge(db, people[0], id, currentVersion(db, id)!.id, 'fi', { ipAddress: '', userAgent: 'test' });
		expect(remindPendingAcknowledgements(db, admin, id)).toBe(2);
		const reminded = db.select().from(notification).where(eq(notification.kind, 'instruction_pending')).all();
		expect(reminded.map((n) => n.userId).sort()).toEqual([people[1].id, people[2].id].sort());
		const entries = db.select().from(auditEntry).where(eq(auditEntry.action, 'instruction.remind')).all();
		expect(entries.map((e) => e.targetId).sort()).toEqual([people[1].id, people[2].id].sort());
		expect(entries.every((e) => e.actorId === admin.id)).toBe(true);
	});

	it('reminds no one for an instruction that asks for no acknowledgement', () => {
		const id = createInstruction(db, admin, { ...SETTINGS, requiresAck: false }, CONTENT);
		expect(remindPendingAcknowledgements(db, admin, id)).toBe(0);
		expect(
			db
				.select()
				.from(auditEntry)
				.where(and(eq(auditEntry.action, 'instruction.remind')))
				.all()
		).toHaveLength(0);
	});
});
