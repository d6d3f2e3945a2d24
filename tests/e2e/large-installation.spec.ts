import Database from 'better-sqlite3';
import { join } from 'node:path';
import { hash } from '@node-rs/argon2';
import { expect, expectNoAxeViolations, FRESH_DIR, FRESH_URL, signIn, test } from './fixtures';

/**
 * A main connector with more tenants than a form can list: choosing an instruction's tenants by
 * business ID. Runs on the "fresh" server, adding the tenants and an administrator straight into
 * its database.
 */
const ADMIN = { email: 'large-admin@testi.example', password: 'suuri asennus syksyllä 2026', secret: 'LARGEADMINAAAAAAAAAAAAAAAAAAAAAA' };
const TENANTS = 205;
/** Tenant n's business ID, with its check digit (the fuzz spec, on the same server, checks every one stored). */
function businessId(n: number, first = 9): string {
	const body = `${first}${String(n).padStart(6, '0')}`;
	const rest = [...body].reduce((sum, d, i) => sum + Number(d) * [7, 9, 10, 5, 8, 4, 2][i], 0) % 11;
	// No check digit fits a remainder of 1; another first digit moves the remainder.
	if (rest === 1) return businessId(n, first - 1);
	return `${body}-${rest === 0 ? 0 : 11 - rest}`;
}

test.beforeAll(async ({ request }) => {
	// The fresh server may have been set up by another spec (fuzz); if not, do it here.
	if ((await request.get(`${FRESH_URL}/setup`, { maxRedirects: 0 })).status() === 200) {
		await request.post(`${FRESH_URL}/setup`, {
			headers: { origin: FRESH_URL, accept: 'text/html' },
			form: {
				name: 'Suuri Oy',
				businessId: '2617416-4',
				oid: '1.2.246.10.26174164',
				streetAddress: 'Katu 1',
				postalCode: '00100',
				city: 'Helsinki',
				contactEmail: 's@testi.example',
				adminName: 'Setup Admin',
				adminEmail: 'setup@testi.example',
				adminPassword: ADMIN.password,
				adminPasswordConfirm: ADMIN.password
			},
			maxRedirects: 0
		});
	}
	const db = new Database(join(FRESH_DIR, 'liitos.db'));
	try {
		if (db.prepare('select 1 from user where email = ?').get(ADMIN.email)) return;
		const insertTenant = db.prepare(
			"insert into tenant (id, name, business_id, oid, street_address, postal_code, city, service_sector, provider_type, agreement_language, stage, created_at) values (?, ?, ?, ?, 'Katu 1', '00100', 'Helsinki', 'health_care', 'private', 'fi', 'onboarding', ?)"
		);
		db.transaction(() => {
			for (let n = 1; n <= TENANTS; n++)
				insertTenant.run(
					crypto.randomUUID(),
					`Suuri Klinikka ${String(n).padStart(3, '0')}`,
					businessId(n),
					`1.2.246.10.9${n}`,
					Date.now()
				);
		})();
		const id = crypto.randomUUID();
		db.prepare("insert into user (id, email, name, password_hash, status, created_at) values (?, ?, 'Large Admin', ?, 'active', ?)").run(
			id,
			ADMIN.email,
			await hash(ADMIN.password),
			Date.now()
		);
		db.prepare("insert into user_role (user_id, role) values (?, 'mc_admin')").run(id);
		db.prepare('insert into two_factor (user_id, secret, enabled_at) values (?, ?, ?)').run(id, ADMIN.secret, Date.now());
	} finally {
		db.close();
	}
});

test('beyond 200 tenants, an instruction’s tenants are chosen by business ID', async ({ page }) => {
	await signIn(page, FRESH_URL, ADMIN.email, ADMIN.password, ADMIN.secret);
	await page.goto(`${FRESH_URL}/instructions/new`);
	// No checkbox per tenant: a field for business IDs instead.
	await expect(page.locator('input[name="tenantIds[]"]')).toHaveCount(0);
	const field = page.getByLabel('Add tenants by business ID');
	await expect(field).toBeVisible();
	await expectNoAxeViolations(page);

	await page.getByLabel('Category').selectOption({ index: 1 });
	await page.getByLabel('Only the tenants chosen below').check();
	await field.fill(`${businessId(7)}, ${businessId(150)}\n0000000-0`);
	await page.locator('#field-titleFi').fill('Suuren asennuksen ohje');
	await page.locator('#field-bodyFi').fill('Ohjeen teksti.');
	await page.locator('#field-titleSv').fill('Anvisning för en stor installation');
	await page.locator('#field-bodySv').fill('Anvisningens text.');
	await page.getByRole('button', { name: 'Publish' }).click();
	// An ID that names no tenant is refused beside the field; everything typed stays.
	await expect(page.locator('#field-tenantBusinessIds-error')).toHaveText('No current tenant has these business IDs: 0000000-0');
	await expect(field).toHaveValue(`${businessId(7)}, ${businessId(150)}\n0000000-0`);
	await expect(page.locator('#field-titleFi')).toHaveValue('Suuren asennuksen ohje');

	await field.fill(`${businessId(7)} ${businessId(150)}`);
	await page.getByRole('button', { name: 'Publish' }).click();
	await expect(page.getByText('The instruction was published. Its readers now owe an acknowledgement.')).toBeVisible();
	// The settings form ticks exactly the two tenants named, and lists no other.
	const ticked = page.locator('input[name="tenantIds[]"]');
	await expect(ticked).toHaveCount(2);
	await expect(page.getByLabel('Suuri Klinikka 007')).toBeChecked();
	await expect(page.getByLabel('Suuri Klinikka 150')).toBeChecked();
	await expectNoAxeViolations(page);
});

test('beyond 200 tenants, a disturbance notice goes to tenants named by business ID', async ({ page }) => {
	await signIn(page, FRESH_URL, ADMIN.email, ADMIN.password, ADMIN.secret);
	await page.goto(`${FRESH_URL}/announcements`);
	await expect(page.locator('input[name="tenantIds[]"]')).toHaveCount(0);
	await page.getByLabel('Title').fill('Katko torstaina');
	await page.getByLabel('Text').fill('Yhteys Kantaan katkeaa klo 18–19.');
	await page.locator('input[name=audience][value=chosen]').check();
	await page.getByLabel('Add tenants by business ID').fill(businessId(42));
	await page.getByRole('button', { name: 'Publish and e-mail' }).click();
	await expect(page.getByRole('status')).toBeVisible();
	await expect(page.getByText('· Suuri Klinikka 042', { exact: true })).toBeVisible();
	await expectNoAxeViolations(page);
});
