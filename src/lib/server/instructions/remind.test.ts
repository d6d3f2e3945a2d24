import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry, notification, outboxMessage } from '../db/schema';
import { toSessionUser, type SessionUser } from '../auth/session';
import { addTenant, freshDb, insertUser, setUpMainConnector } from '../test-support';
import type { Actor } from '../actor';
import { acknowledge, createInstruction, currentVersion, type InstructionSettings } from './instructions';
import { openEffects } from '../effects/effects';
import { carryOutReminderMail } from '../bulk/follow-up';
import { INSTRUCTION_REMINDER_MAIL, INSTRUCTION_REMINDER_WINDOW_MS, remindPendingAcknowledgements } from './remind';

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

const T0 = new Date('2026-12-07T08:00:00Z');

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
		expect(remindPendingAcknowledgements(db, admin, id)).toEqual({ reminded: 2, recentlyReminded: 0 });
		const reminded = db.select().from(notification).where(eq(notification.kind, 'instruction_pending')).all();
		expect(reminded.map((n) => n.userId).sort()).toEqual([people[1].id, people[2].id].sort());
		const entries = db.select().from(auditEntry).where(eq(auditEntry.action, 'instruction.remind')).all();
		expect(entries.map((e) => e.targetId).sort()).toEqual([people[1].id, people[2].id].sort());
		expect(entries.every((e) => e.actorId === admin.id)).toBe(true);
	});

	it('reminds no one for an instruction that asks for no acknowledgement', () => {
		const id = createInstruction(db, admin, { ...SETTINGS, requiresAck: false }, CONTENT);
		expect(remindPendingAcknowledgements(db, admin, id)).toEqual({ reminded: 0, recentlyReminded: 0 });
		expect(
			db
				.select()
				.from(auditEntry)
				.where(and(eq(auditEntry.action, 'instruction.remind')))
				.all()
		).toHaveLength(0);
	});

	it('queues one mail per person, sent only after the commit, and keeps the reminder out of the daily digest', async () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		remindPendingAcknowledgements(db, admin, id, T0);
		expect(db.select().from(outboxMessage).all()).toHaveLength(0);
		const effects = openEffects(db).filter((e) => e.kind === INSTRUCTION_REMINDER_MAIL);
		expect(effects.map((e) => e.subjectId).sort()).toEqual(people.map((p) => p.id).sort());
		// The inbox entry counts as mailed: the digest would otherwise send the same reminder again.
		const inbox = db.select().from(notification).where(eq(notification.kind, 'instruction_pending')).all();
		expect(inbox.every((n) => n.digestedAt !== null)).toBe(true);

		// Someone acknowledging before the mail goes out gets none.
		acknowledge(db, people[0], id, currentVersion(db, id)!.id, 'fi', { ipAddress: '', userAgent: 'test' });
		expect(await carryOutReminderMail(db, T0)).toEqual({ done: 3, failed: 0 });
		const mails = db.select().from(outboxMessage).all();
		expect(mails.map((m) => m.to).sort()).toEqual([people[1].email, people[2].email].sort());
		expect(mails[0].body).toContain(`/my-instructions/${id}`);
		expect(mails[0].subject).toContain('Kortin käsittely');
	});

	it('does not remind the same person of the same instruction twice within 24 hours', () => {
		const id = createInstruction(db, admin, SETTINGS, CONTENT);
		expect(remindPendingAcknowledgements(db, admin, id, T0)).toEqual({ reminded: 3, recentlyReminded: 0 });
		const soon = new Date(T0.getTime() + INSTRUCTION_REMINDER_WINDOW_MS - 1000);
		expect(remindPendingAcknowledgements(db, admin, id, soon)).toEqual({ reminded: 0, recentlyReminded: 3 });
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'instruction.remind')).all()).toHaveLength(3);
		const later = new Date(T0.getTime() + INSTRUCTION_REMINDER_WINDOW_MS + 1000);
		expect(remindPendingAcknowledgements(db, admin, id, later)).toEqual({ reminded: 3, recentlyReminded: 0 });
	});
});
