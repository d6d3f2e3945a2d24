import { beforeEach, describe, expect, it } from 'vitest';
import { freshDb, insertTenantRow, insertUser, ADMIN_ACTOR } from '../test-support';
import type { Db } from '../db';
import { getUser } from './accounts';
import { findTokenHolder, issueToken, redeemToken, requestPasswordReset } from './email-links';
import { passwordRefusedFor, setPolicy, NO_POLICY } from './oidc-policy';

const CLIENT = { ipAddress: '192.0.2.9' };
let db: Db;

beforeEach(() => {
	db = freshDb();
});

const ssoOnly = (organisation: string) => setPolicy(db, ADMIN_ACTOR, organisation, { ...NO_POLICY, ssoOnly: true });

describe('no password for the people of an organisation that signs in only through its provider', () => {
	it('refuses to set a password from an invitation, leaving the person invited and the link unspent', () => {
		const person = insertUser(db, { status: 'invited', roles: ['mc_cert_admin'] });
		const token = issueToken(db, person.id, 'invitation', new Date());
		ssoOnly('main');
		expect(passwordRefusedFor(db, person)).toBe(true);
		expect(redeemToken(db, token, 'invitation', 'a-hash', CLIENT)).toBeNull();
		expect(getUser(db, person.id)).toMatchObject({ status: 'invited', passwordHash: null });
		expect(findTokenHolder(db, token, 'invitation')?.id).toBe(person.id);
	});

	it('sends no reset link, and does not honour one issued before the organisation went single sign-on only', () => {
		const person = insertUser(db, { roles: ['mc_cert_admin'], passwordHash: 'old-hash' });
		const earlier = requestPasswordReset(db, person.email, CLIENT);
		expect(earlier).not.toBeNull();
		ssoOnly('main');
		expect(requestPasswordReset(db, person.email, CLIENT)).toBeNull();
		expect(redeemToken(db, earlier!.token, 'password_reset', 'new-hash', CLIENT)).toBeNull();
		expect(getUser(db, person.id)?.passwordHash).toBe('old-hash');
	});

	it('concerns only that organisation: a tenant without the setting still sets passwords', () => {
		ssoOnly('main');
		const tenantId = insertTenantRow(db);
		const person = insertUser(db, { status: 'invited', tenantId, roles: ['tenant_staff'] });
		const token = issueToken(db, person.id, 'invitation', new Date());
		expect(passwordRefusedFor(db, person)).toBe(false);
		expect(redeemToken(db, token, 'invitation', 'a-hash', CLIENT)?.status).toBe('active');
	});
});
