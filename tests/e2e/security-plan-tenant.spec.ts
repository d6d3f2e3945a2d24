import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { DEMO_DIR, DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, navTo, signIn, test } from './fixtures';

/** Signs in with the browser set to Finnish, which the portal follows on a first visit. */
async function as(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'fi-FI' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

function tenantId(name: string): string {
	const db = new Database(join(DEMO_DIR, 'liitos.db'), { readonly: true, fileMustExist: true });
	try {
		return (db.prepare('select id from tenant where name = ?').get(name) as { id: string }).id;
	} finally {
		db.close();
	}
}

const OWN_TEXT = 'Hoitohuoneen ovi lukitaan aina, kun huoneesta lähdetään; avain on vain fysioterapeutilla.';

test('a tenant keeps its own information-security plan: its administrator describes a requirement, other tenants never see it, the main connector only once it is shared', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const tenant1 = tenantId('Fysioterapia Lahtinen');

	// Tenant 1's administrator opens the tenant's own plan from the menu and describes a requirement.
	const tenantAdmin = await as(browser, 'admin@tenant1.demo.test');
	await navTo(tenantAdmin, 'Oma tietoturvasuunnitelma');
	await expect(tenantAdmin.getByRole('heading', { name: 'Tietoturvasuunnitelma', level: 1 })).toBeVisible();
	await expect(tenantAdmin.getByText('Organisaation Fysioterapia Lahtinen oma suunnitelma')).toBeVisible();
	const sharing = tenantAdmin.getByRole('region', { name: 'Näkyvyys pääliittyjälle' });
	await expect(sharing).toContainText('Pääliittyjä ei näe sitä.');
	// Sections bind tenants only in the main connector's plan: no such buttons here.
	await expect(tenantAdmin.getByRole('button', { name: /Näytä vuokralaisille osio/ })).toHaveCount(0);
	await expectNoAxeViolations(tenantAdmin);

	await tenantAdmin.getByRole('link', { name: '6.9-1', exact: true }).click();
	await expect(tenantAdmin.getByRole('heading', { name: 'Vaatimus 6.9-1', level: 1 })).toBeVisible();
	const edit = tenantAdmin.getByRole('region', { name: 'Muokkaa' });
	await expect(edit.getByLabel('Kuka vastaa')).toHaveValue('tenant');
	await edit.getByLabel('Tila', { exact: true }).selectOption({ label: 'Kuvattu' });
	await edit.getByLabel('Miten vaatimus täytetään').fill(OWN_TEXT);
	await edit.getByRole('button', { name: 'Tallenna vaatimus' }).click();
	await expect(tenantAdmin.getByRole('status')).toHaveText('Vaatimus 6.9-1 tallennettiin.');
	await expect(tenantAdmin.getByRole('region', { name: 'Nykyinen kuvaus' })).toContainText(OWN_TEXT);
	await expectNoAxeViolations(tenantAdmin);

	// Another tenant's administrator: its own plan (the demo's), never tenant 1's, and no way in by address.
	const otherAdmin = await as(browser, 'admin@tenant2.demo.test');
	await otherAdmin.goto(`${DEMO_URL}/security-plan/6.9-1`);
	await expect(otherAdmin.getByRole('heading', { name: 'Vaatimus 6.9-1', level: 1 })).toBeVisible();
	await expect(otherAdmin.getByText(OWN_TEXT)).toHaveCount(0);
	await otherAdmin.goto(`${DEMO_URL}/security-plan`);
	await expect(otherAdmin.getByText('Organisaation Kotihoito Aalto Oy oma suunnitelma')).toBeVisible();
	expect((await otherAdmin.goto(`${DEMO_URL}/tenants/${tenant1}/security-plan`))?.status()).toBe(404);

	// The main connector: not shared yet, so not found, and no link on the tenant's page.
	const mcAdmin = await as(browser, 'admin@demo.test');
	expect((await mcAdmin.goto(`${DEMO_URL}/tenants/${tenant1}/security-plan`))?.status()).toBe(404);
	expect((await mcAdmin.request.get(`${DEMO_URL}/tenants/${tenant1}/security-plan/export.pdf`)).status()).toBe(404);
	expect((await mcAdmin.request.get(`${DEMO_URL}/tenants/${tenant1}/security-plan/risks/export.csv`)).status()).toBe(404);
	await mcAdmin.goto(`${DEMO_URL}/tenants/${tenant1}`);
	await expect(mcAdmin.getByRole('heading', { name: 'Fysioterapia Lahtinen', level: 1 })).toBeVisible();
	await expect(mcAdmin.getByRole('link', { name: /Vuokralaisen oma tietoturvasuunnitelma/ })).toHaveCount(0);
	// The main connector's own plan does not carry the tenant's text either.
	await mcAdmin.goto(`${DEMO_URL}/security-plan/6.9-1`);
	await expect(mcAdmin.getByText(OWN_TEXT)).toHaveCount(0);

	// The tenant shares its plan with the main connector.
	await tenantAdmin.goto(`${DEMO_URL}/security-plan`);
	await sharing.getByRole('button', { name: 'Jaa suunnitelma pääliittyjälle luettavaksi' }).click();
	await expect(tenantAdmin.getByRole('status')).toHaveText('Pääliittyjä voi nyt lukea suunnitelmaa.');
	await expect(sharing).toContainText('voivat lukea tätä suunnitelmaa, mutta eivät voi muuttaa sitä');

	// Now the main connector reads it, read only, from the tenant's page.
	await mcAdmin.goto(`${DEMO_URL}/tenants/${tenant1}`);
	await mcAdmin.getByRole('link', { name: 'Vuokralaisen oma tietoturvasuunnitelma (jaettu luettavaksi)' }).click();
	await expect(mcAdmin.getByRole('heading', { name: 'Vuokralaisen tietoturvasuunnitelma: Fysioterapia Lahtinen', level: 1 })).toBeVisible();
	await expect(mcAdmin.getByText(OWN_TEXT)).toBeVisible();
	await expect(mcAdmin.getByRole('button', { name: 'Tallenna vaatimus' })).toHaveCount(0);
	await expectNoAxeViolations(mcAdmin);
	// …and may take it away as a PDF and its risk register as CSV, from the links on that page.
	const pdfLink = await mcAdmin
		.getByRole('link', { name: 'Tietoturvasuunnitelma PDF-tiedostona valvontaviranomaiselle' })
		.getAttribute('href');
	const pdf = await mcAdmin.request.get(`${DEMO_URL}${pdfLink}`);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
	const csv = await mcAdmin.request.get(`${DEMO_URL}/tenants/${tenant1}/security-plan/risks/export.csv`);
	expect(csv.status()).toBe(200);
	// The tenant has no risks yet: the register's columns only.
	expect((await csv.text()).replace(/^\uFEFF/, '')).toMatch(/^Riski,[^\r]*\r\n$/);
	// Another tenant still cannot, shared or not.
	expect((await otherAdmin.goto(`${DEMO_URL}/tenants/${tenant1}/security-plan`))?.status()).toBe(404);
	expect((await otherAdmin.request.get(`${DEMO_URL}/tenants/${tenant1}/security-plan/export.pdf`)).status()).toBe(404);
	expect((await otherAdmin.request.get(`${DEMO_URL}/tenants/${tenant1}/security-plan/risks/export.csv`)).status()).toBe(404);

	// Leave the demo as other journeys expect it: not shared.
	await tenantAdmin
		.getByRole('region', { name: 'Näkyvyys pääliittyjälle' })
		.getByRole('button', { name: 'Lopeta jakaminen pääliittyjälle' })
		.click();
	await expect(tenantAdmin.getByRole('status')).toHaveText('Pääliittyjä ei enää näe suunnitelmaa.');
	expect((await mcAdmin.goto(`${DEMO_URL}/tenants/${tenant1}/security-plan`))?.status()).toBe(404);
});
