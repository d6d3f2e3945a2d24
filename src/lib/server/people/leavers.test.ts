import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { ROLES, type Role } from '../db/schema';
import type { Actor } from '../actor';
import { listAuditEntries } from '../audit/audit-log';
import { can } from '../auth/authorize';
import { ADMIN_ACTOR, freshDb, insertTenantRow, insertUser } from '../test-support';
import { deactivatePerson, reactivatePerson } from './people';
import { completeLeaverTask, countOpenLeaverTasks, listOpenLeaverTasks } from './leavers';

const T0 = new Date('2025-06-01T12:00:00Z');
const LATER = new Date('2025-06-03T08:00:00Z');
const TENANT_ADMIN: Actor = { id: 'tenant-admin', label: 'admin@tenant.example.fi', ipAddress: '198.51.100.2' };

let db: Db;
let tenantId: string;

beforeEach(() => {
	db = freshDb();
	tenantId = insertTenantRow(db, 'tenant-1');
});

const audits = (action: string) => listAuditEntries(db, { action, page: 1, pageSize: 100 }).entries;

describe('leaver tasks (agreement §6)', () => {
	it('opens a task for the main connector when a tenant administrator deactivates someone, and audits it', () => {
		const leaver = insertUser(db, { tenantId, name: 'Leena Lähtijä', email: 'leena@tenant.example.fi', roles: ['tenant_staff'] });
		deactivatePerson(db, TENANT_ADMIN, leaver, T0);
		expect(listOpenLeaverTasks(db)).toEqual([
			{
				id: expect.any(String),
				personName: 'Leena Lähtijä',
				personEmail: 'leena@tenant.example.fi',
				tenantId,
				tenantName: expect.stringMatching(/^Tenant /),
				createdAt: T0
			}
		]);
		expect(countOpenLeaverTasks(db, tenantId)).toBe(1);
		const [opened] = audits('leaver_task.open');
		expect(opened).toMatchObject({
			tenantId,
			actorLabel: TENANT_ADMIN.label,
			targetType: 'leaver_task',
			summary: 'leena@tenant.example.fi'
		});
	});

	it('opens one for the main connector’s own leavers too, and none for someone already deactivated', () => {
		const own = insertUser(db, { tenantId: null, name: 'Oma Ylläpitäjä', roles: ['mc_cert_admin'] });
		deactivatePerson(db, ADMIN_ACTOR, own, T0);
		const tasks = listOpenLeaverTasks(db);
		expect(tasks).toHaveLength(1);
		expect(tasks[0]).toMatchObject({ personName: 'Oma Ylläpitäjä', tenantId: null, tenantName: null });
		// Deactivating a stale copy of a person who is already out adds nothing.
		deactivatePerson(db, ADMIN_ACTOR, { ...own, status: 'deactivated' }, LATER);
		expect(listOpenLeaverTasks(db)).toHaveLength(1);
	});

	it('stays open until an administrator marks it done, which is audited and cannot be repeated', () => {
		const leaver = insertUser(db, { tenantId, email: 'bo@tenant.example.fi', roles: ['tenant_staff'] });
		deactivatePerson(db, TENANT_ADMIN, leaver, T0);
		// Bringing the person back does not close it: their old rights were still to be removed.
		reactivatePerson(db, TENANT_ADMIN, { ...leaver, status: 'deactivated' }, T0);
		const [task] = listOpenLeaverTasks(db);
		expect(completeLeaverTask(db, ADMIN_ACTOR, task.id, LATER)).toEqual({ ok: true, personEmail: 'bo@tenant.example.fi' });
		expect(listOpenLeaverTasks(db)).toEqual([]);
		expect(countOpenLeaverTasks(db, tenantId)).toBe(0);
		expect(audits('leaver_task.complete')).toEqual([
			expect.objectContaining({ tenantId, actorLabel: ADMIN_ACTOR.label, targetId: task.id, summary: 'bo@tenant.example.fi' })
		]);
		expect(completeLeaverTask(db, ADMIN_ACTOR, task.id, LATER)).toEqual({ ok: false, reason: 'already_done' });
		expect(completeLeaverTask(db, ADMIN_ACTOR, 'no-such-task', LATER)).toEqual({ ok: false, reason: 'not_found' });
		expect(audits('leaver_task.complete')).toHaveLength(1);
	});

	it('is handled by the main connector’s administrators only', () => {
		const allowed = ROLES.filter((role: Role) =>
			can(
				{ id: 'u', email: 'u@example.fi', name: 'U', tenantId: role.startsWith('tenant_') ? tenantId : null, roles: [role] },
				'leaver_task.handle'
			)
		);
		expect(allowed).toEqual(['mc_admin']);
		// Not even for their own tenant's leavers.
		expect(can({ id: 'u', email: 'u@example.fi', name: 'U', tenantId, roles: ['tenant_admin'] }, 'leaver_task.handle', { tenantId })).toBe(
			false
		);
	});
});
