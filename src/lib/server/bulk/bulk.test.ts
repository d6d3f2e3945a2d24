import { beforeEach, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry, checklistItem, outboxMessage, pendingEffect, tenant, user } from '../db/schema';
import type { Actor } from '../actor';
import { addTenant, freshDb, insertAgreementRow, insertUser, setUpMainConnector } from '../test-support';
import { openEffects } from '../effects/effects';
import { DAY_MS } from '../../time';
import { resolveTenantSelection, type SelectedTenant } from './tenant-selection';
import { planTenantReminders, remindTenants, TENANT_REMINDER_MAIL, TENANT_REMINDER_WINDOW_MS } from './tenant-reminders';
import { exportTenants } from './tenant-export';
import { carryOutReminderMail } from './follow-up';

const T0 = new Date('2026-12-07T08:00:00Z');

let db: Db;
let admin: Actor;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
});

function selectedAll(): SelectedTenant[] {
	const all = resolveTenantSelection(db, { scope: 'all', filter: {} });
	if (!all.ok) throw new Error('no tenants');
	return all.tenants;
}

function audits(action: string) {
	return db.select().from(auditEntry).where(eq(auditEntry.action, action)).all();
}

describe('resolveTenantSelection', () => {
	it('finds "all matching" from the filter itself, by name, leaving out what the filter excludes', () => {
		const espoo = [
			addTenant(db, admin, { name: 'Alfa Espoo Oy', city: 'Espoo' }),
			addTenant(db, admin, { name: 'Beta Espoo Oy', city: 'Espoo' })
		];
		addTenant(db, admin, { name: 'Gamma Turku Oy', city: 'Turku' });
		const resolved = resolveTenantSelection(db, { scope: 'all', filter: { query: 'espoo' } });
		expect(resolved).toEqual({
			ok: true,
			tenants: [
				{ id: espoo[0], name: 'Alfa Espoo Oy', archived: false },
				{ id: espoo[1], name: 'Beta Espoo Oy', archived: false }
			]
		});
		// The archived filter is a different list: none of these.
		expect(resolveTenantSelection(db, { scope: 'all', filter: { query: 'espoo', archived: true } })).toEqual({
			ok: false,
			reason: 'empty',
			count: 0
		});
	});

	it('refuses a selection over the cap as a whole, saying how many it had', () => {
		for (let i = 0; i < 4; i++) addTenant(db, admin);
		expect(resolveTenantSelection(db, { scope: 'all', filter: {} }, 3)).toEqual({ ok: false, reason: 'too_many', count: 4 });
		const ids = selectedAll().map((t) => t.id);
		expect(resolveTenantSelection(db, { scope: 'chosen', ids }, 3)).toEqual({ ok: false, reason: 'too_many', count: 4 });
		expect(resolveTenantSelection(db, { scope: 'all', filter: {} }, 4).ok).toBe(true);
	});

	it('takes ticked rows once each, ignores ids that name no tenant, and reads one page as the list pages it', () => {
		const ids = ['Aa Oy', 'Bb Oy', 'Cc Oy'].map((name) => addTenant(db, admin, { name }));
		const chosen = resolveTenantSelection(db, { scope: 'chosen', ids: [ids[2], ids[0], ids[2], crypto.randomUUID()] });
		expect(chosen.ok && chosen.tenants.map((t) => t.id)).toEqual([ids[0], ids[2]]);
		const page2 = resolveTenantSelection(db, { scope: 'page', filter: {}, page: 2, pageSize: 2 });
		expect(page2.ok && page2.tenants.map((t) => t.id)).toEqual([ids[2]]);
		expect(resolveTenantSelection(db, { scope: 'chosen', ids: [] })).toEqual({ ok: false, reason: 'empty', count: 0 });
	});
});

describe('remindTenants', () => {
	let tenantA: string;
	let tenantB: string;
	let adminsA: string[];

	beforeEach(() => {
		tenantA = addTenant(db, admin, { name: 'Aalto Oy' });
		tenantB = addTenant(db, admin, { name: 'Berg Ab' });
		adminsA = [
			insertUser(db, { tenantId: tenantA, roles: ['tenant_admin'] }),
			insertUser(db, { tenantId: tenantA, roles: ['tenant_admin'] })
		].map((u) => u.id);
		insertUser(db, { tenantId: tenantA, roles: ['tenant_staff'] });
		insertUser(db, { tenantId: tenantA, roles: ['tenant_admin'], status: 'deactivated' });
		insertUser(db, { tenantId: tenantB, roles: ['tenant_admin'] });
	});

	it('writes one audit entry per tenant and records one mail per active administrator, sending nothing in the transaction', async () => {
		const { changed, plan } = remindTenants(db, admin, selectedAll(), T0);
		expect(changed).toBe(false);
		expect(plan.toRemind.map((r) => r.tenantId).sort()).toEqual([tenantA, tenantB].sort());
		const entries = audits('tenant.remind');
		expect(entries.map((e) => e.targetId).sort()).toEqual([tenantA, tenantB].sort());
		expect(entries.every((e) => e.actorId === admin.id && e.tenantId === e.targetId)).toBe(true);

		// Committed, but not sent: the mails wait as effects until they are carried out.
		expect(db.select().from(outboxMessage).all()).toHaveLength(0);
		const effects = openEffects(db).filter((e) => e.kind === TENANT_REMINDER_MAIL);
		expect(effects).toHaveLength(3);
		expect(
			effects
				.filter((e) => e.subjectId === tenantA)
				.map((e) => JSON.parse(e.payload).userId)
				.sort()
		).toEqual([...adminsA].sort());

		expect(await carryOutReminderMail(db, T0)).toEqual({ done: 3, failed: 0 });
		const mails = db.select().from(outboxMessage).all();
		expect(mails).toHaveLength(3);
		const toA = mails.find((mail) => mail.subject.includes('Aalto Oy'))!;
		// What the mail lists: the tenant's open checklist items, by name, and a link to its checklist.
		expect(toA.body).toContain(`/tenants/${tenantA}/checklist`);
		expect(toA.body.split('\n').filter((line) => line.startsWith('- ')).length).toBeGreaterThan(0);
	});

	it('reminds a tenant again only after the 24-hour window', () => {
		remindTenants(db, admin, selectedAll(), T0);
		const again = remindTenants(db, admin, selectedAll(), new Date(T0.getTime() + TENANT_REMINDER_WINDOW_MS - 1000));
		expect(again.plan.toRemind).toHaveLength(0);
		expect(again.plan.recentlyReminded.sort()).toEqual([tenantA, tenantB].sort());
		expect(audits('tenant.remind')).toHaveLength(2);
		const later = remindTenants(db, admin, selectedAll(), new Date(T0.getTime() + DAY_MS + 1000));
		expect(later.plan.toRemind).toHaveLength(2);
		expect(audits('tenant.remind')).toHaveLength(4);
	});

	it('leaves out archived tenants, tenants with no active administrator and tenants with nothing open', () => {
		const archived = addTenant(db, admin, { name: 'Cecilia Oy' });
		insertUser(db, { tenantId: archived, roles: ['tenant_admin'] });
		db.update(tenant).set({ archivedAt: T0 }).where(eq(tenant.id, archived)).run();
		const nobody = addTenant(db, admin, { name: 'Dora Oy' });
		// Everything on B's side done: nothing to remind it of.
		db.update(checklistItem).set({ status: 'verified' }).where(eq(checklistItem.tenantId, tenantB)).run();
		const plan = planTenantReminders(db, [...selectedAll(), { id: archived, name: 'Cecilia Oy', archived: true }], T0);
		expect(plan.toRemind.map((r) => r.tenantId)).toEqual([tenantA]);
		expect(plan.archived).toEqual([archived]);
		expect(plan.noRecipients).toEqual([nobody]);
		expect(plan.nothingOpen).toEqual([tenantB]);
	});

	it('a tenant with only an agreement waiting for its signature is still reminded of it', async () => {
		db.update(checklistItem).set({ status: 'verified' }).where(eq(checklistItem.tenantId, tenantB)).run();
		const agreementId = insertAgreementRow(db, tenantB, 'awaiting_tenant_signature', T0);
		const { plan } = remindTenants(db, admin, selectedAll(), T0);
		expect(plan.toRemind.map((r) => r.tenantId).sort()).toEqual([tenantA, tenantB].sort());
		await carryOutReminderMail(db, T0);
		const toB = db
			.select()
			.from(outboxMessage)
			.all()
			.find((mail) => mail.subject.includes('Berg Ab'))!;
		expect(toB.body).toContain(`/agreements/${agreementId}`);
	});

	it('does nothing when the count confirmed differs from what it would do now', () => {
		const { changed, plan } = remindTenants(db, admin, selectedAll(), T0, 5);
		expect(changed).toBe(true);
		expect(plan.toRemind).toHaveLength(2);
		expect(audits('tenant.remind')).toHaveLength(0);
		expect(db.select().from(pendingEffect).where(eq(pendingEffect.kind, TENANT_REMINDER_MAIL)).all()).toHaveLength(0);
		expect(remindTenants(db, admin, selectedAll(), T0, 2).changed).toBe(false);
		expect(audits('tenant.remind')).toHaveLength(2);
	});

	it('sends nothing to someone who left the tenant before the mail went out', async () => {
		remindTenants(db, admin, selectedAll(), T0);
		db.update(user).set({ status: 'deactivated' }).where(inArray(user.id, adminsA)).run();
		expect(await carryOutReminderMail(db, T0)).toEqual({ done: 3, failed: 0 });
		expect(db.select().from(outboxMessage).all()).toHaveLength(1);
	});
});

describe('exportTenants', () => {
	it('returns the selected tenants by name with one audit entry per tenant exported', () => {
		const ids = ['Bravo Oy', 'Alfa Oy', 'Charlie Oy'].map((name) => addTenant(db, admin, { name }));
		const chosen = resolveTenantSelection(db, { scope: 'chosen', ids: [ids[0], ids[1]] });
		if (!chosen.ok) throw new Error('not resolved');
		const rows = exportTenants(db, admin, chosen.tenants);
		expect(rows.map((r) => r.name)).toEqual(['Alfa Oy', 'Bravo Oy']);
		const entries = db.select().from(auditEntry).where(eq(auditEntry.action, 'tenant.export')).all();
		expect(entries.map((e) => e.targetId).sort()).toEqual([ids[0], ids[1]].sort());
	});
});
