import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { session, type User } from '../db/schema';
import { listAuditEntries } from '../audit/audit-log';
import { freshDb, insertTenantRow, insertUser } from '../test-support';
import { hashPassword } from './password';
import { createSession, generateSessionToken, hashToken, validateSessionToken } from './session';
import { signIn, signOut } from './sign-in';

const PASSWORD = 'correct horse battery staple';
const T0 = new Date('2025-06-01T12:00:00Z');
const client = { ipAddress: '192.0.2.1', userAgent: 'Vitest' };

let passwordHash: string;
let db: Db;
let person: User;

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
	db = freshDb();
	const tenantId = insertTenantRow(db, 'tenant-1');
	person = insertUser(db, { email: 'aino@example.fi', passwordHash, tenantId, roles: ['tenant_admin'] });
});

const auditOf = (action: string) => listAuditEntries(db, { action, page: 1, pageSize: 100 }).entries;

describe('signIn', () => {
	it('opens a session for the right password', async () => {
		const result = await signIn(db, 'aino@example.fi', PASSWORD, client, T0);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.user.id).toBe(person.id);
		expect(result.token).toMatch(/^[a-z2-7]{32}$/);
		const validated = validateSessionToken(db, result.token, T0);
		expect(validated.user).toMatchObject({ id: person.id, tenantId: 'tenant-1', roles: ['tenant_admin'] });
		expect(db.select().from(session).get()).toMatchObject({ id: hashToken(result.token), ipAddress: '192.0.2.1', userAgent: 'Vitest' });
		expect(auditOf('auth.sign_in')).toMatchObject([
			{ actorId: person.id, tenantId: 'tenant-1', targetId: person.id, ipAddress: '192.0.2.1' }
		]);
	});

	it('accepts the e-mail in any case and with surrounding spaces', async () => {
		const result = await signIn(db, '  AINO@Example.FI ', PASSWORD, client, T0);
		expect(result.ok).toBe(true);
	});

	it('refuses a wrong password and records the failure', async () => {
		const result = await signIn(db, 'aino@example.fi', 'wrong password', client, T0);
		expect(result).toEqual({ ok: false, reason: 'invalid' });
		expect(db.select().from(session).all()).toEqual([]);
		expect(auditOf('auth.sign_in_failed')).toMatchObject([
			{
				actorId: person.id,
				actorLabel: 'aino@example.fi',
				tenantId: 'tenant-1',
				targetType: 'user',
				targetId: person.id,
				ipAddress: '192.0.2.1'
			}
		]);
		expect(auditOf('auth.sign_in')).toEqual([]);
	});

	it('answers an unknown e-mail exactly like a wrong password', async () => {
		const result = await signIn(db, 'nobody@example.fi', PASSWORD, client, T0);
		expect(result).toEqual({ ok: false, reason: 'invalid' });
		expect(auditOf('auth.sign_in_failed')).toMatchObject([
			{ actorId: null, actorLabel: 'nobody@example.fi', tenantId: null, targetId: '' }
		]);
	});

	it('throttles after five failures, even with the right password', async () => {
		for (let i = 0; i < 5; i++) {
			expect(await signIn(db, 'aino@example.fi', `guess ${i}`, client, T0)).toEqual({ ok: false, reason: 'invalid' });
		}
		// The fifth attempt started the block, so the sixth is refused without being checked.
		expect(await signIn(db, 'aino@example.fi', 'guess 5', client, T0)).toEqual({
			ok: false,
			reason: 'throttled',
			retryAt: new Date(T0.getTime() + 60_000)
		});
		expect(auditOf('auth.sign_in_failed')).toHaveLength(5);

		const later = new Date(T0.getTime() + 30_000);
		const result = await signIn(db, 'aino@example.fi', PASSWORD, client, later);
		expect(result).toMatchObject({ ok: false, reason: 'throttled' });
		if (result.ok || result.reason !== 'throttled') return;
		expect(result.retryAt.getTime()).toBeGreaterThan(later.getTime());
		expect(result.retryAt).toEqual(new Date(T0.getTime() + 60_000));
		expect(db.select().from(session).all()).toEqual([]);
		// A blocked attempt is not even checked, so it is neither counted nor audited.
		expect(auditOf('auth.sign_in_failed')).toHaveLength(5);
		expect(auditOf('auth.sign_in')).toHaveLength(0);

		// After the block, the right password works again and clears the account's count.
		const afterBlock = new Date(T0.getTime() + 60_000);
		expect((await signIn(db, 'aino@example.fi', PASSWORD, client, afterBlock)).ok).toBe(true);
		expect(await signIn(db, 'aino@example.fi', 'wrong', client, afterBlock)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('checks no more of sixty parallel guesses than of sixty serial ones: five, the rest refused with a time', async () => {
		const results = await Promise.all(
			Array.from({ length: 60 }, (_, i) => signIn(db, 'aino@example.fi', `parallel guess ${i}`, client, T0))
		);
		// Every checked password leaves an audit entry; the others never reached argon2.
		expect(auditOf('auth.sign_in_failed')).toHaveLength(5);
		expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(5);
		expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toEqual(
			Array(55).fill({ ok: false, reason: 'throttled', retryAt: new Date(T0.getTime() + 60_000) })
		);
	});

	it('lets colleagues behind one address sign in any number of times', async () => {
		for (let i = 0; i < 25; i++) expect((await signIn(db, 'aino@example.fi', PASSWORD, client, T0)).ok).toBe(true);
	});

	it('throttles guesses at an unknown e-mail the same way, so it is not told apart', async () => {
		for (let i = 0; i < 5; i++) expect(await signIn(db, 'nobody@example.fi', 'x', client, T0)).toEqual({ ok: false, reason: 'invalid' });
		expect(await signIn(db, 'nobody@example.fi', 'x', client, T0)).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('throttles a guessed account from any address', async () => {
		for (let i = 0; i < 6; i++) await signIn(db, 'aino@example.fi', 'wrong', { ...client, ipAddress: `198.51.100.${i}` }, T0);
		const result = await signIn(db, 'aino@example.fi', PASSWORD, { ...client, ipAddress: '203.0.113.9' }, T0);
		expect(result).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it.each(['invited', 'deactivated'] as const)('refuses a %s person with the right password', async (status) => {
		insertUser(db, { email: `${status}@example.fi`, passwordHash, status, roles: ['mc_admin'] });
		expect(await signIn(db, `${status}@example.fi`, PASSWORD, client, T0)).toEqual({ ok: false, reason: 'invalid' });
		expect(db.select().from(session).all()).toEqual([]);
	});

	it('refuses a person who has no password yet', async () => {
		insertUser(db, { email: 'nopass@example.fi', passwordHash: null });
		expect(await signIn(db, 'nopass@example.fi', '', client, T0)).toEqual({ ok: false, reason: 'invalid' });
	});
});

describe('signOut', () => {
	const sessionUser = () => ({
		id: person.id,
		email: person.email,
		name: person.name,
		tenantId: person.tenantId,
		roles: ['tenant_admin' as const]
	});

	it('ends only the current session, or every session when asked', () => {
		const [a, b, c] = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
		for (const token of [a, b, c]) createSession(db, token, person.id, {}, T0);

		signOut(db, hashToken(a), sessionUser(), client, false);
		expect(validateSessionToken(db, a, T0).user).toBeNull();
		expect(validateSessionToken(db, b, T0).user?.id).toBe(person.id);

		signOut(db, hashToken(b), sessionUser(), client, true);
		expect(validateSessionToken(db, b, T0).user).toBeNull();
		expect(validateSessionToken(db, c, T0).user).toBeNull();
		expect(auditOf('auth.sign_out')).toMatchObject([{ actorId: person.id, tenantId: 'tenant-1', targetId: person.id }]);
		expect(auditOf('auth.sign_out_everywhere')).toMatchObject([{ actorId: person.id, tenantId: 'tenant-1', targetId: person.id }]);
	});
});
