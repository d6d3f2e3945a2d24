import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { emailToken, session, user, userRole } from '../db/schema';
import { listAuditEntries, verifyAuditChain } from '../audit/audit-log';
import { createSession, generateSessionToken, hashToken, validateSessionToken } from '../auth/session';
import { ADMIN_ACTOR, freshDb, insertTenantRow, insertUser } from '../test-support';
import { findUserByEmail, getUser } from '../auth/accounts';
import { findTokenHolder, redeemToken, requestPasswordReset, TOKEN_LIFETIME_MS } from '../auth/email-links';
import {
	changePassword,
	countPeople,
	deactivatePerson,
	getPersonInScope,
	invitePerson,
	listActivePeopleFor,
	listPeople,
	personInviter,
	reactivatePerson,
	resendInvitation,
	setRoles
} from './people';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const T0 = new Date('2025-06-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const client = { ipAddress: '192.0.2.1' };

let db: Db;
let tenantId: string;

beforeEach(() => {
	db = freshDb();
	tenantId = insertTenantRow(db, 'tenant-1');
});

const audits = (action: string) => listAuditEntries(db, { action, page: 1, pageSize: 100 }).entries;

function invite(email = 'Olli.Staff@Example.FI', roles: ('tenant_staff' | 'tenant_admin')[] = ['tenant_staff', 'tenant_admin']) {
	const result = invitePerson(db, ADMIN_ACTOR, { email, name: '  Olli Staff ', tenantId, roles }, T0);
	if (!result.ok) throw new Error('invitation failed');
	return result;
}

function rolesOf(userId: string) {
	return db
		.select()
		.from(userRole)
		.where(eq(userRole.userId, userId))
		.all()
		.map((r) => r.role)
		.sort();
}

describe('invitePerson', () => {
	it('creates an invited person with roles, a hashed token and an audit entry', () => {
		const { userId, token } = invite();
		expect(getUser(db, userId)).toMatchObject({
			email: 'olli.staff@example.fi',
			name: 'Olli Staff',
			tenantId,
			status: 'invited',
			passwordHash: null
		});
		expect(rolesOf(userId)).toEqual(['tenant_admin', 'tenant_staff']);
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		const tokens = db.select().from(emailToken).all();
		expect(tokens).toHaveLength(1);
		expect(tokens[0]).toMatchObject({ id: hashToken(token), userId, purpose: 'invitation', expiresAt: at(7 * DAY_MS), usedAt: null });
		expect(audits('person.invite')).toMatchObject([
			{ actorId: ADMIN_ACTOR.id, tenantId, targetType: 'user', targetId: userId, ipAddress: ADMIN_ACTOR.ipAddress }
		]);
		expect(audits('person.invite')[0].summary).toContain('olli.staff@example.fi');
	});

	it('refuses an e-mail already in use, whatever its case', () => {
		invite('olli@example.fi');
		const again = invitePerson(db, ADMIN_ACTOR, { email: ' OLLI@example.fi ', name: 'Other', tenantId: null, roles: ['mc_admin'] }, T0);
		expect(again).toEqual({ ok: false, reason: 'email_taken' });
		expect(db.select().from(user).all()).toHaveLength(1);
		expect(audits('person.invite')).toHaveLength(1);
	});

	it('finds people by e-mail case-insensitively and lists them per organisation', () => {
		const { userId } = invite('olli@example.fi');
		const mcPerson = insertUser(db, { name: 'Aino', roles: ['mc_signatory'] });
		expect(findUserByEmail(db, ' OLLI@EXAMPLE.FI')?.id).toBe(userId);
		expect(listPeople(db, tenantId).map((p) => [p.id, [...p.roles].sort()])).toEqual([[userId, ['tenant_admin', 'tenant_staff']]]);
		expect(listPeople(db, null).map((p) => [p.id, p.roles])).toEqual([[mcPerson.id, ['mc_signatory']]]);
		expect(listPeople(db, 'no-such-tenant')).toEqual([]);
	});
});

describe('findTokenHolder and redeemToken', () => {
	it('finds the holder of a valid invitation, not of an unknown token or the wrong purpose', () => {
		const { userId, token } = invite();
		expect(findTokenHolder(db, token, 'invitation', T0)?.id).toBe(userId);
		expect(findTokenHolder(db, generateSessionToken(), 'invitation', T0)).toBeNull();
		expect(findTokenHolder(db, token, 'password_reset', T0)).toBeNull();
		expect(findTokenHolder(db, hashToken(token), 'invitation', T0)).toBeNull();
	});

	it('activates the person, sets the password and cannot be used twice', () => {
		const { userId, token } = invite();
		const redeemed = redeemToken(db, token, 'invitation', 'hash-1', client, at(HOUR_MS));
		expect(redeemed).toMatchObject({ id: userId, status: 'active', passwordHash: 'hash-1' });
		expect(getUser(db, userId)).toMatchObject({ status: 'active', passwordHash: 'hash-1' });
		expect(db.select().from(emailToken).get()?.usedAt).toEqual(at(HOUR_MS));
		expect(audits('person.invitation_accepted')).toMatchObject([{ actorId: userId, tenantId, targetId: userId, ipAddress: '192.0.2.1' }]);

		expect(findTokenHolder(db, token, 'invitation', at(HOUR_MS))).toBeNull();
		expect(redeemToken(db, token, 'invitation', 'hash-2', client, at(2 * HOUR_MS))).toBeNull();
		expect(getUser(db, userId)?.passwordHash).toBe('hash-1');
	});

	it('takes the language the invitation is accepted in as the person’s language; a reset keeps it', () => {
		const { userId, token } = invite();
		expect(redeemToken(db, token, 'invitation', 'hash-1', { ...client, locale: 'sv' }, at(HOUR_MS))).toMatchObject({ locale: 'sv' });
		expect(getUser(db, userId)?.locale).toBe('sv');
		const reset = requestPasswordReset(db, getUser(db, userId)!.email, client, at(HOUR_MS))!;
		redeemToken(db, reset.token, 'password_reset', 'hash-2', { ...client, locale: 'en' }, at(2 * HOUR_MS));
		expect(getUser(db, userId)?.locale).toBe('sv');
	});

	it('refuses an invitation more than 7 days old', () => {
		const { userId, token } = invite();
		expect(TOKEN_LIFETIME_MS.invitation).toBe(7 * DAY_MS);
		expect(findTokenHolder(db, token, 'invitation', at(7 * DAY_MS - 1))?.id).toBe(userId);
		expect(findTokenHolder(db, token, 'invitation', at(7 * DAY_MS))).toBeNull();
		expect(redeemToken(db, token, 'invitation', 'hash', client, at(7 * DAY_MS + 1))).toBeNull();
		expect(getUser(db, userId)?.status).toBe('invited');
	});

	it('replaces an unused invitation when it is sent again', () => {
		const { userId, token: first } = invite();
		const person = getUser(db, userId)!;
		const second = resendInvitation(db, ADMIN_ACTOR, person, at(DAY_MS));
		expect(second).not.toBeNull();
		expect(findTokenHolder(db, first, 'invitation', at(DAY_MS))).toBeNull();
		expect(findTokenHolder(db, second!, 'invitation', at(DAY_MS))?.id).toBe(userId);
		expect(audits('person.invite_resend')).toHaveLength(1);
	});

	it('issues a password reset only to an active person, valid for one hour', () => {
		const active = insertUser(db, { email: 'aino@example.fi', passwordHash: 'old' });
		insertUser(db, { email: 'invited@example.fi', status: 'invited' });
		insertUser(db, { email: 'gone@example.fi', status: 'deactivated' });
		expect(requestPasswordReset(db, 'nobody@example.fi', client, T0)).toBeNull();
		expect(requestPasswordReset(db, 'invited@example.fi', client, T0)).toBeNull();
		expect(requestPasswordReset(db, 'gone@example.fi', client, T0)).toBeNull();

		const reset = requestPasswordReset(db, 'AINO@example.fi', client, T0);
		expect(reset?.person.id).toBe(active.id);
		const token = reset!.token;
		expect(audits('auth.password_reset_requested')).toMatchObject([{ actorId: active.id, targetId: active.id }]);
		expect(TOKEN_LIFETIME_MS.password_reset).toBe(HOUR_MS);
		expect(findTokenHolder(db, token, 'password_reset', at(HOUR_MS - 1))?.id).toBe(active.id);
		expect(findTokenHolder(db, token, 'password_reset', at(HOUR_MS))).toBeNull();
		expect(redeemToken(db, token, 'password_reset', 'new', client, at(HOUR_MS + 1))).toBeNull();
		expect(getUser(db, active.id)?.passwordHash).toBe('old');
	});

	it('a password reset ends all existing sessions', () => {
		const active = insertUser(db, { email: 'aino@example.fi', passwordHash: 'old' });
		const sessions = [generateSessionToken(), generateSessionToken()];
		for (const s of sessions) createSession(db, s, active.id, {}, T0);
		const { token } = requestPasswordReset(db, 'aino@example.fi', client, T0)!;

		expect(redeemToken(db, token, 'password_reset', 'new', client, at(10 * 60_000))).toMatchObject({ id: active.id, passwordHash: 'new' });
		expect(getUser(db, active.id)?.passwordHash).toBe('new');
		for (const s of sessions) expect(validateSessionToken(db, s, at(HOUR_MS)).user).toBeNull();
		expect(db.select().from(session).all()).toEqual([]);
		expect(audits('auth.password_reset')).toMatchObject([{ actorId: active.id, targetId: active.id }]);
	});

	it('an invitation cannot be used once the person is active, nor a reset once deactivated', () => {
		const { userId, token } = invite();
		db.update(user).set({ status: 'active' }).where(eq(user.id, userId)).run();
		expect(findTokenHolder(db, token, 'invitation', T0)).toBeNull();

		const active = insertUser(db, { email: 'aino@example.fi' });
		const { token: reset } = requestPasswordReset(db, 'aino@example.fi', client, T0)!;
		db.update(user).set({ status: 'deactivated' }).where(eq(user.id, active.id)).run();
		expect(findTokenHolder(db, reset, 'password_reset', T0)).toBeNull();
	});
});

describe('deactivatePerson and reactivatePerson', () => {
	it('deactivation ends sessions and links, and is audited', () => {
		const person = insertUser(db, { email: 'aino@example.fi', tenantId, roles: ['tenant_staff'], passwordHash: 'h' });
		const token = generateSessionToken();
		createSession(db, token, person.id, {}, T0);
		const { token: reset } = requestPasswordReset(db, 'aino@example.fi', client, T0)!;

		deactivatePerson(db, ADMIN_ACTOR, person, at(HOUR_MS / 2));
		expect(getUser(db, person.id)).toMatchObject({ status: 'deactivated', deactivatedAt: at(HOUR_MS / 2) });
		expect(db.select().from(session).all()).toEqual([]);
		expect(validateSessionToken(db, token, at(HOUR_MS / 2)).user).toBeNull();
		expect(findTokenHolder(db, reset, 'password_reset', at(HOUR_MS / 2))).toBeNull();
		expect(db.select().from(emailToken).all()).toEqual([]);
		expect(audits('person.deactivate')).toMatchObject([{ actorId: ADMIN_ACTOR.id, tenantId, targetId: person.id }]);
	});

	it('reactivation returns a fresh invitation that brings the person back', () => {
		const person = insertUser(db, { email: 'aino@example.fi', tenantId, passwordHash: 'old' });
		deactivatePerson(db, ADMIN_ACTOR, person, T0);
		const token = reactivatePerson(db, ADMIN_ACTOR, getUser(db, person.id)!, at(DAY_MS));
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		expect(getUser(db, person.id)).toMatchObject({ status: 'invited', deactivatedAt: null, passwordHash: null });
		expect(audits('person.reactivate')).toMatchObject([{ tenantId, targetId: person.id }]);

		expect(findTokenHolder(db, token, 'invitation', at(DAY_MS))?.id).toBe(person.id);
		expect(redeemToken(db, token, 'invitation', 'new', client, at(2 * DAY_MS))).toMatchObject({ status: 'active' });
		expect(getUser(db, person.id)).toMatchObject({ status: 'active', passwordHash: 'new' });
	});

	it('resendInvitation refuses someone who is not invited', () => {
		const person = insertUser(db, { status: 'active' });
		expect(resendInvitation(db, ADMIN_ACTOR, person, T0)).toBeNull();
		expect(db.select().from(emailToken).all()).toEqual([]);
	});
});

describe('setRoles', () => {
	it('replaces the roles and audits the change', () => {
		const person = insertUser(db, { tenantId, roles: ['tenant_staff'] });
		expect(setRoles(db, ADMIN_ACTOR, person, ['tenant_admin', 'tenant_signatory'])).toEqual({
			ok: true,
			added: ['tenant_admin', 'tenant_signatory']
		});
		expect(rolesOf(person.id)).toEqual(['tenant_admin', 'tenant_signatory']);
		expect(audits('person.roles_change')).toMatchObject([{ tenantId, targetId: person.id, summary: 'tenant_admin, tenant_signatory' }]);
	});

	it('tells only the roles that were added', () => {
		const person = insertUser(db, { tenantId, roles: ['tenant_staff', 'tenant_signatory'] });
		expect(setRoles(db, ADMIN_ACTOR, person, ['tenant_signatory', 'tenant_admin'])).toEqual({ ok: true, added: ['tenant_admin'] });
	});

	it('refuses anyone changing their own roles, and changes nothing (separation of duties)', () => {
		const self = insertUser(db, { roles: ['mc_cert_admin'] });
		const actor = { id: self.id, label: self.email, ipAddress: '192.0.2.1' };
		expect(setRoles(db, actor, self, ['mc_cert_admin', 'mc_admin'])).toEqual({ ok: false, reason: 'own_roles' });
		expect(rolesOf(self.id)).toEqual(['mc_cert_admin']);
		const admin = insertUser(db, { roles: ['mc_admin'] });
		expect(setRoles(db, { id: admin.id, label: admin.email, ipAddress: '' }, admin, ['mc_cert_admin'])).toEqual({
			ok: false,
			reason: 'own_roles'
		});
		expect(rolesOf(admin.id)).toEqual(['mc_admin']);
		expect(audits('person.roles_change')).toEqual([]);
	});
});

describe('changePassword', () => {
	it('keeps the given session, ends the others and audits', () => {
		const person = insertUser(db, { passwordHash: 'old' });
		const other = insertUser(db);
		const [current, stale1, stale2, others] = [
			generateSessionToken(),
			generateSessionToken(),
			generateSessionToken(),
			generateSessionToken()
		];
		for (const t of [current, stale1, stale2]) createSession(db, t, person.id, {}, T0);
		createSession(db, others, other.id, {}, T0);

		changePassword(db, { id: person.id, label: person.email, ipAddress: '' }, person, 'new', hashToken(current));
		expect(getUser(db, person.id)?.passwordHash).toBe('new');
		expect(validateSessionToken(db, current, T0).user?.id).toBe(person.id);
		expect(validateSessionToken(db, stale1, T0).user).toBeNull();
		expect(validateSessionToken(db, stale2, T0).user).toBeNull();
		expect(validateSessionToken(db, others, T0).user?.id).toBe(other.id);
		expect(audits('auth.password_change')).toMatchObject([{ actorId: person.id, targetId: person.id }]);
	});
});

describe('the organisation a person belongs to', () => {
	it('gives a person only within their own organisation', () => {
		const staff = invite();
		const other = insertTenantRow(db, 'tenant-2', '0737546-2');
		expect(getPersonInScope(db, staff.userId, { tenantId })?.id).toBe(staff.userId);
		expect(getPersonInScope(db, staff.userId, { tenantId: other })).toBeUndefined();
		expect(getPersonInScope(db, staff.userId, { tenantId: null })).toBeUndefined();
	});

	it('refuses main connector roles for a tenant’s people and tenant roles for the main connector’s, storing nothing', () => {
		expect(invitePerson(db, ADMIN_ACTOR, { email: 'a@example.fi', name: 'A', tenantId, roles: ['mc_admin'] }, T0)).toEqual({
			ok: false,
			reason: 'roles_not_allowed'
		});
		expect(invitePerson(db, ADMIN_ACTOR, { email: 'b@example.fi', name: 'B', tenantId: null, roles: ['tenant_admin'] }, T0)).toEqual({
			ok: false,
			reason: 'roles_not_allowed'
		});
		expect(findUserByEmail(db, 'a@example.fi')).toBeUndefined();
		const staff = getUser(db, invite().userId)!;
		expect(setRoles(db, ADMIN_ACTOR, staff, ['tenant_staff', 'mc_signatory'])).toEqual({ ok: false, reason: 'roles_not_allowed' });
		expect(rolesOf(staff.id)).toEqual(['tenant_admin', 'tenant_staff']);
	});

	it('refuses to deactivate oneself', () => {
		const admin = getUser(db, invite().userId)!;
		expect(deactivatePerson(db, { id: admin.id, label: admin.email, ipAddress: '' }, admin, T0)).toEqual({ ok: false, reason: 'self' });
		expect(getUser(db, admin.id)!.status).toBe('invited');
	});
});

describe('personInviter, the batch form of invitePerson', () => {
	it('keeps the rules and writes the same rows and audit entries, chained', () => {
		const invite = personInviter(db);
		const results = db.transaction(() => [
			invite(ADMIN_ACTOR, { email: ' A@Example.FI', name: ' A ', tenantId, roles: ['tenant_staff'] }, T0),
			invite(ADMIN_ACTOR, { email: 'a@example.fi', name: 'Again', tenantId, roles: ['tenant_staff'] }, T0),
			invite(ADMIN_ACTOR, { email: 'b@example.fi', name: 'B', tenantId, roles: ['mc_admin'] }, T0),
			invite(ADMIN_ACTOR, { email: 'c@example.fi', name: 'C', tenantId, roles: ['tenant_admin', 'tenant_staff'] }, T0)
		]);
		expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['ok', 'email_taken', 'roles_not_allowed', 'ok']);
		const c = findUserByEmail(db, 'c@example.fi')!;
		expect(c).toMatchObject({ name: 'C', status: 'invited', tenantId, createdAt: T0 });
		expect(rolesOf(c.id)).toEqual(['tenant_admin', 'tenant_staff']);
		expect(findUserByEmail(db, 'a@example.fi')).toMatchObject({ name: 'A' });
		const token = results[3].ok ? results[3].token : '';
		expect(findTokenHolder(db, token, 'invitation', T0)?.id).toBe(c.id);
		expect(audits('person.invite').map((e) => e.summary)).toEqual([
			'c@example.fi (tenant_admin, tenant_staff)',
			'a@example.fi (tenant_staff)'
		]);
		expect(verifyAuditChain(db).ok).toBe(true);
	});
});

describe('listing a large tenant’s people a part at a time', () => {
	beforeEach(() => {
		insertUser(db, { tenantId, name: 'Cecilia Admin', roles: ['tenant_admin', 'tenant_staff'] });
		insertUser(db, { tenantId, name: 'Aino Staff', roles: ['tenant_staff'] });
		insertUser(db, { tenantId, name: 'Bertil Left', roles: ['tenant_signatory'], status: 'deactivated' });
		insertUser(db, { tenantId, name: 'Daniel Staff', roles: ['tenant_staff'] });
		insertUser(db, { tenantId, name: 'Eeva Signatory', roles: ['tenant_signatory'] });
		insertUser(db, { name: 'Main Admin' });
	});

	it('pages by name, with each page’s roles, and counts all', () => {
		const names = (page: number) => listPeople(db, tenantId, { page, pageSize: 2 }).map((p) => p.name);
		expect([names(1), names(2), names(3), names(4)]).toEqual([
			['Aino Staff', 'Bertil Left'],
			['Cecilia Admin', 'Daniel Staff'],
			['Eeva Signatory'],
			[]
		]);
		expect(listPeople(db, tenantId, { page: 2, pageSize: 2 })[0].roles.sort()).toEqual(['tenant_admin', 'tenant_staff']);
		expect(countPeople(db, tenantId)).toBe(5);
		expect(countPeople(db, tenantId, { activeOnly: true })).toBe(4);
		expect(listPeople(db, tenantId, { activeOnly: true }).map((p) => p.name)).not.toContain('Bertil Left');
	});

	it('offers the active holders of the roles asked for, and those named, of that tenant only', () => {
		const daniel = listPeople(db, tenantId).find((p) => p.name === 'Daniel Staff')!;
		const main = listPeople(db, null)[0];
		const names = listActivePeopleFor(db, tenantId, ['tenant_admin', 'tenant_signatory'], [daniel.id, main.id]).map((p) => p.name);
		expect(names).toEqual(['Cecilia Admin', 'Daniel Staff', 'Eeva Signatory']);
	});
});
