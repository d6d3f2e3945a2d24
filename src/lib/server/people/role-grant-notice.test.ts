import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import * as m from '../../paraglide/messages.js';
import { user } from '../db/schema';
import type { Db } from '../db/index';
import { listOutbox } from '../mail/mailer';
import { freshDb, insertTenantRow, insertUser } from '../test-support';
import { overseersOf, sendRoleGrantNotices } from './role-grant-notice';

let db: Db;
let tenantId: string;

const outbox = () => listOutbox(db, { page: 1, pageSize: 100 }).messages;
const recipients = () =>
	outbox()
		.map((message) => message.to)
		.sort();

beforeEach(() => {
	db = freshDb();
	tenantId = insertTenantRow(db);
	insertUser(db, { email: 'admin@mc.fi', roles: ['mc_admin'] });
	insertUser(db, { email: 'signer@mc.fi', roles: ['mc_signatory', 'mc_cert_admin'] });
	insertUser(db, { email: 'certs@mc.fi', roles: ['mc_cert_admin'] });
	insertUser(db, { email: 'gone@mc.fi', roles: ['mc_admin'], status: 'deactivated' });
	insertUser(db, { email: 'admin@tenant.fi', tenantId, roles: ['tenant_admin'] });
	insertUser(db, { email: 'signer@tenant.fi', tenantId, roles: ['tenant_signatory', 'tenant_staff'] });
	insertUser(db, { email: 'staff@tenant.fi', tenantId, roles: ['tenant_staff'] });
});

describe('sendRoleGrantNotices', () => {
	it('mails every active administrator and signatory of the main connector when one of its people is made administrator', async () => {
		await sendRoleGrantNotices(
			db,
			{ name: 'Cert Keeper', email: 'certs@mc.fi', tenantId: null },
			['mc_cert_admin', 'mc_admin'],
			'Admin <admin@mc.fi>'
		);
		expect(recipients()).toEqual(['admin@mc.fi', 'signer@mc.fi']);
		const [message] = outbox();
		expect(message.body).toContain('Cert Keeper <certs@mc.fi>');
		expect(message.body).toContain('Admin <admin@mc.fi>');
	});

	it('mails the tenant’s administrators and signatories, not the main connector’s, for a tenant signatory', async () => {
		await sendRoleGrantNotices(db, { name: 'Staff', email: 'staff@tenant.fi', tenantId }, ['tenant_signatory'], 'admin@tenant.fi');
		expect(recipients()).toEqual(['admin@tenant.fi', 'signer@tenant.fi']);
	});

	it('writes to each in their own language, naming the roles granted', async () => {
		db.update(user).set({ locale: 'sv' }).where(eq(user.email, 'admin@tenant.fi')).run();
		await sendRoleGrantNotices(db, { name: 'Staff', email: 'staff@tenant.fi', tenantId }, ['tenant_admin'], 'x');
		const byRecipient = Object.fromEntries(outbox().map((message) => [message.to, message]));
		expect(byRecipient['admin@tenant.fi'].subject).toBe(m.mail_role_grant_subject({}, { locale: 'sv' }));
		expect(byRecipient['admin@tenant.fi'].body).toContain(m.role_tenant_admin({}, { locale: 'sv' }));
		expect(byRecipient['signer@tenant.fi'].subject).toBe(m.mail_role_grant_subject({}, { locale: 'fi' }));
		expect(byRecipient['signer@tenant.fi'].body).toContain(m.role_tenant_admin({}, { locale: 'fi' }));
	});

	it('sends nothing for other roles', async () => {
		await sendRoleGrantNotices(db, { name: 'Staff', email: 'staff@tenant.fi', tenantId }, ['tenant_staff'], 'x');
		await sendRoleGrantNotices(db, { name: 'Certs', email: 'certs@mc.fi', tenantId: null }, ['mc_cert_admin'], 'x');
		expect(outbox()).toEqual([]);
	});
});

describe('overseersOf', () => {
	it('lists each overseer once, however many such roles they hold', () => {
		insertUser(db, { email: 'both@mc.fi', roles: ['mc_admin', 'mc_signatory'] });
		expect(
			overseersOf(db, null)
				.map((person) => person.email)
				.sort()
		).toEqual(['admin@mc.fi', 'both@mc.fi', 'signer@mc.fi']);
	});
});
