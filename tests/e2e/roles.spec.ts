import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEMO_DIR, DEMO_PASSWORD, DEMO_URL, expect, signIn, test } from './fixtures';

/** Separation of duties: roles are changed by someone else, and grants that act for the organisation are announced. */

function demoDb() {
	return new Database(join(DEMO_DIR, 'liitos.db'), { readonly: true, fileMustExist: true });
}

function idAndRoles(email: string): { id: string; roles: string[] } {
	const db = demoDb();
	try {
		const { id } = db.prepare('select id from user where email = ?').get(email) as { id: string };
		const roles = (db.prepare('select role from user_role where user_id = ? order by role').all(id) as { role: string }[]).map(
			(row) => row.role
		);
		return { id, roles };
	} finally {
		db.close();
	}
}

function roleGrantMails(since: number): { to: string; subject: string; body: string }[] {
	const db = demoDb();
	try {
		// Each recipient reads it in their own language.
		const subjects = [
			'A role that acts for your organisation was granted',
			'Organisaatiosi puolesta toimiva rooli myönnettiin',
			'En roll som agerar för er organisation beviljades'
		];
		return db
			.prepare(`select "to", subject, body from outbox_message where created_at >= ? and subject in (?, ?, ?) order by "to"`)
			.all(since, ...subjects) as { to: string; subject: string; body: string }[];
	} finally {
		db.close();
	}
}

test('nobody changes their own roles; a new signatory is announced to the administrators and signatories', async ({ page }) => {
	await signIn(page, DEMO_URL, 'admin@tenant1.demo.test', DEMO_PASSWORD);
	await page.getByRole('link', { name: 'Our organisation' }).click();
	await page.waitForURL(/\/tenants\/[0-9a-f-]{36}$/);
	const peoplePath = new URL(page.url()).pathname;

	// The form is not offered for one's own row, and the server refuses a crafted post.
	const self = idAndRoles('admin@tenant1.demo.test');
	await expect(page.getByRole('row', { name: /admin@tenant1\.demo\.test/ }).locator('summary', { hasText: 'Roles…' })).toHaveCount(0);
	const crafted = await page.request.post(`${DEMO_URL}${peoplePath}?/roles`, {
		form: { userId: self.id, 'roles[]': 'tenant_signatory' },
		headers: { origin: DEMO_URL, accept: 'text/html' }
	});
	expect(crafted.status()).toBe(400);
	expect(await crafted.text()).toContain('You cannot change your own roles');
	expect(idAndRoles('admin@tenant1.demo.test').roles).toEqual(self.roles);

	// Granting a staff member the signatory role mails the tenant's administrators and signatories,
	// the new one included.
	const since = Date.now() - 1000;
	const staff = idAndRoles('staff1@tenant1.demo.test');
	const row = page.getByRole('row', { name: /staff1@tenant1\.demo\.test/ });
	await row.locator('summary', { hasText: 'Roles…' }).click();
	await row.getByLabel('Tenant signatory').check();
	await row.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('The roles of staff1@tenant1.demo.test were changed.')).toBeVisible();
	const mails = roleGrantMails(since);
	expect(mails.map((mail) => mail.to)).toEqual(['admin@tenant1.demo.test', 'signer@tenant1.demo.test', 'staff1@tenant1.demo.test']);
	expect(mails[0].body).toContain('staff1@tenant1.demo.test');

	// Back as it was (taking a role away announces nothing), for the journeys that follow.
	await row.locator('summary', { hasText: 'Roles…' }).click();
	await row.getByLabel('Tenant signatory').uncheck();
	await row.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('The roles of staff1@tenant1.demo.test were changed.')).toBeVisible();
	expect(idAndRoles('staff1@tenant1.demo.test').roles).toEqual(staff.roles);
	expect(roleGrantMails(since)).toHaveLength(3);
});
