import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

/** Signs in with the browser set to `locale`, which the portal follows on a first visit. */
async function as(browser: Browser, email: string, locale: 'fi-FI' | 'sv-FI'): Promise<Page> {
	const context = await browser.newContext({ locale });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

const SOCIAL_WELFARE_TENANT = 'Kotihoito Aalto Oy';

test('registry (fi, sv): a social welfare client system with a valid certificate turns the social welfare tenant’s "system certified" item done', async ({
	browser
}) => {
	test.setTimeout(90_000);
	// The demo main connector has only a patient data system, and the social welfare tenant is told why that does not do.
	const tenantAdmin = await as(browser, 'admin@tenant2.demo.test', 'sv-FI');
	await tenantAdmin.getByRole('link', { name: 'Öppna checklistan' }).click();
	const tenantItem = tenantAdmin.getByRole('article', { name: 'Informationssystemet certifierat' });
	await expect(tenantItem.getByRole('note')).toHaveText(
		/kan inte ansluta sig till Klientdataarkivet för socialvården via ett patientdatasystem/
	);
	await expect(tenantItem.getByText(/Ansvarig: Huvudanslutare/)).toBeVisible();

	const admin = await as(browser, 'admin@demo.test', 'fi-FI');
	await admin.goto(`${DEMO_URL}/tenants`);
	await admin.getByRole('link', { name: SOCIAL_WELFARE_TENANT }).click();
	await admin.getByRole('link', { name: 'Avaa tarkistuslista' }).click();
	await admin.waitForURL(/\/checklist$/);
	const checklistUrl = admin.url();
	const item = admin.getByRole('article', { name: 'Tietojärjestelmä sertifioitu' });
	await expect(item.getByRole('note')).toHaveText(
		/Sosiaalihuollon palveluntuottaja ei voi liittyä sosiaalihuollon asiakastiedon arkistoon potilastietojärjestelmän kautta/
	);
	await expect(item.locator('.badge', { hasText: 'Ei aloitettu' })).toBeVisible();

	await admin.goto(`${DEMO_URL}/organisation`);
	await admin.getByRole('link', { name: 'Tietojärjestelmät ja niiden sertifiointi' }).click();
	await expect(admin.getByRole('heading', { name: 'Tietojärjestelmät', level: 1 })).toBeVisible();
	const add = admin.getByRole('region', { name: 'Lisää tietojärjestelmä' });
	// A name that is too long is refused next to the field, and what was typed stays.
	await add.getByLabel('Järjestelmän nimi').fill('S'.repeat(201));
	await add.getByLabel('Järjestelmän laji').selectOption({ label: 'Sosiaalihuollon asiakastietojärjestelmä' });
	await add.getByLabel('Tietoturvallisuuden arviointitodistus voimassa asti').fill('2031-12-31');
	await add.getByRole('button', { name: 'Lisää tietojärjestelmä' }).click();
	await expect(add.locator('span.error')).toHaveCount(1);
	await expect(add.getByLabel('Tietoturvallisuuden arviointitodistus voimassa asti')).toHaveValue('2031-12-31');
	await expect(add.getByLabel('Järjestelmän laji')).toHaveValue('social_welfare_client');

	await add.getByLabel('Järjestelmän nimi').fill('Sosiaali Plus');
	await add.getByLabel('Luokka').selectOption('A3');
	await add.getByRole('button', { name: 'Lisää tietojärjestelmä' }).click();
	await expect(admin.getByRole('status')).toHaveText('Sosiaali Plus tallennettiin.');
	await expect(admin.getByRole('cell', { name: 'Sosiaali Plus' })).toBeVisible();
	await expectNoAxeViolations(admin);

	await admin.goto(checklistUrl);
	await expect(item.locator('.badge', { hasText: 'Hyväksytty' })).toBeVisible();
	await tenantAdmin.reload();
	await expect(tenantItem.locator('.badge', { hasText: 'Godkänd' })).toBeVisible();
	await expect(item.getByText('Tietoturvallisuuden arviointitodistus voimassa 31.12.2031 asti.')).toBeVisible();
	await expect(item.getByRole('note')).toHaveCount(0);

	// Taken out of the register, the item falls back at once.
	await admin.goto(`${DEMO_URL}/organisation/information-systems`);
	const row = admin.getByRole('row', { name: /Sosiaali Plus/ });
	await row.locator('summary', { hasText: 'Poista' }).click();
	await row.getByRole('button', { name: 'Poista' }).click();
	await expect(admin.getByRole('status')).toHaveText('Järjestelmä poistettiin.');
	await admin.goto(checklistUrl);
	await expect(item.locator('.badge', { hasText: 'Ei aloitettu' })).toBeVisible();
});

test('leavers (sv tenant, fi main connector): deactivating tells the main connector, whose administrator closes the task', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const leaverName = `Lämnar Lindqvist ${Date.now()}`;
	const leaverEmail = `leaver${Date.now()}@tenant2.demo.test`;

	const tenantAdmin = await as(browser, 'admin@tenant2.demo.test', 'sv-FI');
	await tenantAdmin.getByRole('link', { name: 'Alla uppgifter' }).click();
	// Next to the people and their deactivate action: deactivating here is how the main connector hears of it.
	await expect(tenantAdmin.getByText(/inaktivera personen här\. Så meddelar ni huvudanslutaren/)).toBeVisible();
	const invite = tenantAdmin.locator('form[action="?/invite"]');
	await invite.getByLabel('Namn').fill(leaverName);
	await invite.getByLabel('E-post').fill(leaverEmail);
	await invite.getByLabel('Personal').check();
	await invite.getByRole('button', { name: 'Skicka inbjudan' }).click();
	await expect(tenantAdmin.getByText(`En inbjudan skickades till ${leaverEmail}.`)).toBeVisible();
	const row = tenantAdmin.getByRole('row', { name: new RegExp(leaverName) });
	await row.locator('summary', { hasText: 'Inaktivera' }).click();
	await row.getByRole('button', { name: 'Inaktivera' }).click();
	await expect(tenantAdmin.getByText(`${leaverEmail} inaktiverades.`)).toBeVisible();
	await expectNoAxeViolations(tenantAdmin);
	// The task is not the tenant's: its dashboard has no such list, and it cannot close the task itself.
	await tenantAdmin.goto(DEMO_URL);
	await expect(tenantAdmin.getByRole('heading', { name: 'Behörigheter att ta bort' })).toHaveCount(0);

	// Nor is it for the main connector's certificate keeper.
	const certs = await as(browser, 'certs@demo.test', 'fi-FI');
	await expect(certs.getByRole('heading', { name: 'Poistettavat käyttöoikeudet' })).toHaveCount(0);
	expect(await certs.content()).not.toContain(leaverEmail);

	const admin = await as(browser, 'admin@demo.test', 'fi-FI');
	const leavers = admin.getByRole('region', { name: 'Poistettavat käyttöoikeudet' });
	const task = leavers.getByRole('listitem').filter({ hasText: leaverEmail });
	await expect(task).toContainText(`${leaverName} (${leaverEmail}), ${SOCIAL_WELFARE_TENANT}, lopettanut`);
	await expectNoAxeViolations(admin);
	const taskId = await task.locator('input[name=taskId]').inputValue();
	expect(
		(
			await tenantAdmin.request.post(`${DEMO_URL}/?/leaverDone`, { form: { taskId }, headers: { origin: DEMO_URL }, maxRedirects: 0 })
		).status()
	).toBe(403);
	// It stays until someone marks it done.
	await admin.reload();
	await expect(task).toBeVisible();
	await task.getByRole('button', { name: `Henkilön ${leaverName} oikeudet poistettu` }).click();
	await expect(leavers.getByRole('status')).toHaveText(`Merkitty tehdyksi: henkilön ${leaverEmail} oikeudet on poistettu.`);
	await expect(leavers.getByRole('listitem').filter({ hasText: leaverEmail })).toHaveCount(0);
	await admin.goto(`${DEMO_URL}/audit?action=leaver_task`);
	await expect(admin.getByText('leaver_task.complete').first()).toBeVisible();
	await expect(admin.getByText('leaver_task.open').first()).toBeVisible();
});
