import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ADMIN_ACTOR, freshDb, insertTenantRow, insertUser } from '../test-support';
import { toSessionUser } from '../auth/session';
import { deactivatePerson } from '../people/people';
import { apiToken, auditEntry } from '../db/schema';
import { hashToken } from '../auth/session';
import { apiCan, createApiToken, listApiTokens, recordApiCall, resolveApiToken, revokeApiToken, TOKEN_PREFIX } from './tokens';

function world() {
	const db = freshDb();
	const tenantA = insertTenantRow(db, crypto.randomUUID(), '2617416-4');
	const tenantB = insertTenantRow(db, crypto.randomUUID(), '0737546-2');
	const mcAdmin = toSessionUser(db, insertUser(db, { roles: ['mc_admin'] }));
	const tenantAdmin = toSessionUser(db, insertUser(db, { roles: ['tenant_admin'], tenantId: tenantA }));
	const tenantStaff = toSessionUser(db, insertUser(db, { roles: ['tenant_staff'], tenantId: tenantA }));
	return { db, tenantA, tenantB, mcAdmin, tenantAdmin, tenantStaff };
}

const actorFor = (person: { id: string; email: string }) => ({ id: person.id, label: person.email, ipAddress: '192.0.2.1' });

describe('API tokens', () => {
	it('shows the token once and stores only its SHA-256, auditing the creation in the same transaction', () => {
		const { db, mcAdmin } = world();
		const created = createApiToken(db, actorFor(mcAdmin), mcAdmin, { name: 'HR system', scopes: ['tenants:read'], expiresAt: null });
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		expect(created.token.startsWith(TOKEN_PREFIX)).toBe(true);
		const row = db.select().from(apiToken).where(eq(apiToken.id, created.id)).get()!;
		expect(row.tokenHash).toBe(hashToken(created.token));
		expect(JSON.stringify(row)).not.toContain(created.token);
		const entry = db.select().from(auditEntry).where(eq(auditEntry.action, 'api_token.create')).get()!;
		expect(entry.targetId).toBe(created.id);
		expect(entry.summary).toContain('HR system');
		expect(listApiTokens(db, null)[0]).toMatchObject({ name: 'HR system', state: 'active', createdByName: expect.any(String) });
		expect('tokenHash' in listApiTokens(db, null)[0]).toBe(false);
	});

	it('lets tenant administrators create read tokens for their own tenant only, and nobody else below them', () => {
		const { db, tenantA, tenantAdmin, tenantStaff } = world();
		expect(createApiToken(db, actorFor(tenantAdmin), tenantAdmin, { name: 'w', scopes: ['certificates:write'], expiresAt: null })).toEqual({
			ok: false,
			reason: 'scope_not_allowed'
		});
		expect(createApiToken(db, actorFor(tenantStaff), tenantStaff, { name: 'x', scopes: ['tenants:read'], expiresAt: null })).toEqual({
			ok: false,
			reason: 'not_administrator'
		});
		const created = createApiToken(db, actorFor(tenantAdmin), tenantAdmin, { name: 'r', scopes: ['tenants:read'], expiresAt: null });
		expect(created.ok).toBe(true);
		expect(listApiTokens(db, tenantA)).toHaveLength(1);
		expect(listApiTokens(db, null)).toHaveLength(0);
	});

	it('resolves to an actor that can() checks within the scopes and the organisation', () => {
		const { db, tenantA, tenantB, tenantAdmin } = world();
		const created = createApiToken(db, actorFor(tenantAdmin), tenantAdmin, { name: 'r', scopes: ['tenants:read'], expiresAt: null });
		if (!created.ok) throw new Error('not created');
		const caller = resolveApiToken(db, created.token, '192.0.2.2')!;
		expect(caller.user.tenantId).toBe(tenantA);
		expect(apiCan(caller, 'tenant.view', { tenantId: tenantA })).toBe(true);
		expect(apiCan(caller, 'tenant.view', { tenantId: tenantB })).toBe(false);
		// Outside the scopes even though the role would allow it.
		expect(apiCan(caller, 'certificate.view', { tenantId: tenantA })).toBe(false);
		// Never open to tokens at all.
		expect(apiCan(caller, 'tenant.people.manage', { tenantId: tenantA })).toBe(false);
	});

	it('refuses unknown, revoked and expired tokens, and tokens whose creator was deactivated', () => {
		const { db, mcAdmin, tenantAdmin } = world();
		const now = new Date('2026-01-01T10:00:00Z');
		expect(resolveApiToken(db, 'liitos_nonsense', '')).toBeNull();
		expect(resolveApiToken(db, 'not-even-prefixed', '')).toBeNull();
		const expiring = createApiToken(
			db,
			actorFor(mcAdmin),
			mcAdmin,
			{ name: 'e', scopes: ['tenants:read'], expiresAt: new Date('2026-01-02T00:00:00Z') },
			now
		);
		if (!expiring.ok) throw new Error('not created');
		expect(resolveApiToken(db, expiring.token, '', now)).not.toBeNull();
		expect(resolveApiToken(db, expiring.token, '', new Date('2026-01-02T00:00:00Z'))).toBeNull();

		const revoked = createApiToken(db, actorFor(mcAdmin), mcAdmin, { name: 'v', scopes: ['tenants:read'], expiresAt: null });
		if (!revoked.ok) throw new Error('not created');
		// Another organisation cannot revoke it.
		expect(revokeApiToken(db, actorFor(tenantAdmin), tenantAdmin.tenantId, revoked.id)).toBe(false);
		expect(revokeApiToken(db, actorFor(mcAdmin), null, revoked.id)).toBe(true);
		expect(revokeApiToken(db, actorFor(mcAdmin), null, revoked.id)).toBe(false);
		expect(resolveApiToken(db, revoked.token, '')).toBeNull();
		expect(db.select().from(auditEntry).where(eq(auditEntry.action, 'api_token.revoke')).all()).toHaveLength(1);

		const orphan = createApiToken(db, actorFor(tenantAdmin), tenantAdmin, { name: 'o', scopes: ['tenants:read'], expiresAt: null });
		if (!orphan.ok) throw new Error('not created');
		const person = db.query.user.findFirst({ where: (u, { eq }) => eq(u.id, tenantAdmin.id) }).sync()!;
		deactivatePerson(db, ADMIN_ACTOR, person);
		expect(resolveApiToken(db, orphan.token, '')).toBeNull();
	});

	it('audits every call with the token name and records the last use at most once a minute', () => {
		const { db, mcAdmin } = world();
		const created = createApiToken(db, actorFor(mcAdmin), mcAdmin, { name: 'Ticketing', scopes: ['tenants:read'], expiresAt: null });
		if (!created.ok) throw new Error('not created');
		const caller = resolveApiToken(db, created.token, '192.0.2.3')!;
		const t0 = new Date('2026-01-01T10:00:00Z');
		recordApiCall(db, caller, { method: 'GET', path: '/api/v1/tenants', status: 200 }, t0);
		recordApiCall(db, caller, { method: 'GET', path: '/api/v1/tenants', status: 200 }, new Date(t0.getTime() + 30_000));
		expect(db.select().from(apiToken).get()!.lastUsedAt).toEqual(t0);
		const calls = db.select().from(auditEntry).where(eq(auditEntry.action, 'api.call')).all();
		expect(calls).toHaveLength(2);
		expect(calls[0]).toMatchObject({ actorLabel: 'api-token:Ticketing', summary: 'GET /api/v1/tenants → 200', ipAddress: '192.0.2.3' });
		recordApiCall(db, caller, { method: 'GET', path: '/api/v1/tenants', status: 200 }, new Date(t0.getTime() + 61_000));
		expect(db.select().from(apiToken).get()!.lastUsedAt).toEqual(new Date(t0.getTime() + 61_000));
	});
});
