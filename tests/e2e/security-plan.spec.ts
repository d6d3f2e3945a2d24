import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, navTo, signIn, test } from './fixtures';

/** Signs in with the browser set to `locale`, which the portal follows on a first visit. */
async function as(browser: Browser, email: string, locale = 'fi-FI'): Promise<Page> {
	const context = await browser.newContext({ locale });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

test('information-security plan (fi): the administrator describes a requirement, a refused save keeps the input, a due review is marked done', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const admin = await as(browser, 'admin@demo.test');
	await navTo(admin, 'Tietoturvasuunnitelma');
	await expect(admin.getByRole('heading', { name: 'Tietoturvasuunnitelma', level: 1 })).toBeVisible();
	await expect(admin.getByRole('heading', { name: /6\.12 Kanta-palveluihin liittyminen/, level: 2 })).toBeVisible();
	// The demo plan: described sections, and one requirement past its review date.
	await expect(admin.getByRole('region', { name: 'Tarkistus erääntynyt' }).getByRole('link', { name: '6.2-3', exact: true })).toBeVisible();
	await expect(admin.getByRole('row').filter({ has: admin.getByRole('link', { name: '6.6-2', exact: true }) })).toContainText(
		'Järjestelmätoimittaja: Demo Potilastieto Oy'
	);
	await expectNoAxeViolations(admin);

	await admin.getByRole('link', { name: '6.3-2', exact: true }).click();
	await expect(admin.getByRole('heading', { name: 'Vaatimus 6.3-2', level: 1 })).toBeVisible();
	await expect(admin.getByText('THL:n määräys 3/2024, luku 6.3')).toBeVisible();

	// Marked described with no text, and carried by a supplier with no agreement: refused next to the fields.
	const edit = admin.getByRole('region', { name: 'Muokkaa' });
	await edit.getByLabel('Tila', { exact: true }).selectOption({ label: 'Kuvattu' });
	await edit.getByLabel('Kuka vastaa').selectOption({ label: 'Järjestelmätoimittaja' });
	await edit.getByLabel('Osapuolen nimi').fill('Potilasjärjestelmä Oy');
	await edit.getByRole('button', { name: 'Tallenna vaatimus' }).click();
	await expect(edit.getByRole('alert')).toBeVisible();
	await expect(edit.locator('#field-description-error')).toHaveText(/Kerro, miten vaatimus täytetään/);
	await expect(edit.locator('#field-agreementReference-error')).toHaveText(/Kerro sopimus/);
	await expect(edit.getByLabel('Tila', { exact: true })).toHaveValue('described');
	await expect(edit.getByLabel('Osapuolen nimi')).toHaveValue('Potilasjärjestelmä Oy');
	await expectNoAxeViolations(admin);

	await edit
		.getByLabel('Miten vaatimus täytetään')
		.fill('Koulutukset kirjataan **koulutusrekisteriin**.\n\n- perehdytys\n- vuosittainen kertaus');
	await edit.getByLabel('Sopimus, jossa vastuu on sovittu').fill('Ylläpitosopimus 2025, liite 2');
	await edit.getByLabel('Omistaja').selectOption({ index: 1 });
	await edit.getByRole('button', { name: 'Tallenna vaatimus' }).click();
	await expect(admin.getByRole('status')).toHaveText('Vaatimus 6.3-2 tallennettiin.');
	const current = admin.getByRole('region', { name: 'Nykyinen kuvaus' });
	// Markdown renders as instructions do.
	await expect(current.locator('strong', { hasText: 'koulutusrekisteriin' })).toBeVisible();
	await expect(current.getByRole('listitem').filter({ hasText: 'vuosittainen kertaus' })).toBeVisible();
	await expect(current.getByText('Järjestelmätoimittaja: Potilasjärjestelmä Oy. Sopimus: Ylläpitosopimus 2025, liite 2')).toBeVisible();

	// A review date in the past makes the requirement due on the plan's overview.
	await edit.getByLabel('Viimeksi tarkistettu').fill('2025-01-02');
	await edit.getByLabel('Seuraava tarkistus', { exact: true }).fill('2025-06-30');
	await edit.getByRole('button', { name: 'Tallenna vaatimus' }).click();
	await expect(admin.getByRole('status')).toHaveText('Vaatimus 6.3-2 tallennettiin.');
	// The dashboard points at the plan while a review is due.
	await admin.goto(`${DEMO_URL}/`);
	await admin.getByRole('link', { name: /Tietoturvasuunnitelmassa on tarkistettavia vaatimuksia: \d+/ }).click();
	const due = admin.getByRole('region', { name: 'Tarkistus erääntynyt' });
	await expect(due.getByRole('link', { name: '6.3-2', exact: true })).toBeVisible();
	const row = admin.getByRole('row').filter({ has: admin.getByRole('link', { name: '6.3-2', exact: true }) });
	await expect(row.getByText('Kuvattu')).toBeVisible();
	await expectNoAxeViolations(admin);

	await due.getByRole('button', { name: 'Merkitse tarkistetuksi tänään: 6.3-2' }).click();
	await expect(admin.getByRole('status')).toHaveText(/Vaatimus 6\.3-2 merkittiin tarkistetuksi\. Seuraava tarkistus/);
	await expect(due.getByRole('link', { name: '6.3-2', exact: true })).toHaveCount(0);

	// The export for the supervisory authority.
	const href = await admin.getByRole('link', { name: 'Tietoturvasuunnitelma PDF-tiedostona valvontaviranomaiselle' }).getAttribute('href');
	const pdf = await admin.request.get(`${DEMO_URL}${href}`);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

	// The follow-up log (ch. 3) shows the review, and takes a check done by hand; a date ahead is refused, the text kept.
	await admin.getByRole('link', { name: 'Seurantaloki' }).click();
	await expect(admin.getByRole('heading', { name: 'Seurantaloki', level: 1 })).toBeVisible();
	await expect(admin.getByRole('row').filter({ hasText: 'Vaatimus 6.3-2 merkittiin tarkistetuksi.' }).first()).toBeVisible();
	const record = admin.getByRole('region', { name: 'Kirjaa tarkistus' });
	await record.getByLabel('Tarkistuspäivä').fill('2099-01-01');
	await record.getByRole('checkbox', { name: /^6\.5 / }).check();
	await record.getByLabel('Mitä tarkistettiin ja miten').fill('Käyttöoikeuksista otettiin otos.');
	await record.getByRole('button', { name: 'Kirjaa tarkistus' }).click();
	await expect(record.locator('#field-checkedOn-error')).toHaveText(/päivä ei voi olla tulevaisuudessa/);
	await expect(record.getByLabel('Mitä tarkistettiin ja miten')).toHaveValue('Käyttöoikeuksista otettiin otos.');
	await expect(record.getByRole('checkbox', { name: /^6\.5 / })).toBeChecked();
	await expectNoAxeViolations(admin);
	await record.getByLabel('Tarkistuspäivä').fill('2026-01-15');
	await record.getByLabel('Havainnot ja toimenpiteet').fill('Kaksi vanhentunutta tunnusta poistettiin.');
	await record.getByRole('button', { name: 'Kirjaa tarkistus' }).click();
	await expect(admin.getByRole('status')).toHaveText('Tarkistus kirjattiin seurantalokiin.');
	await expect(admin.getByRole('row').filter({ hasText: 'Kaksi vanhentunutta tunnusta poistettiin.' })).toContainText('6.5');
});

test('information-security plan: confidential, so tenant people never see the main connector’s plan (their administrators get their own at the same address)', async ({
	browser
}) => {
	const staff = await as(browser, 'staff1@tenant1.demo.test');
	await expect(staff.locator('header nav a[href="/security-plan"]')).toHaveCount(0);
	for (const path of ['/security-plan', '/security-plan/6.3-2', '/security-plan/export.pdf']) {
		const response = await staff.request.get(`${DEMO_URL}${path}`, { maxRedirects: 0 });
		expect(response.status(), `staff ${path}`).toBe(404);
		expect(await response.text()).not.toContain('koulutusrekisteriin');
	}
	const refused = await staff.request.post(`${DEMO_URL}/security-plan/6.3-2?/save`, {
		form: { description: 'x', status: 'described', responsibleParty: 'tenant' },
		headers: { origin: DEMO_URL },
		maxRedirects: 0
	});
	expect(refused.status(), 'staff saving').toBe(404);
	await staff.context().close();

	// The tenant's administrator: the menu leads to the tenant's own plan, which holds nothing of the main connector's.
	const admin = await as(browser, 'admin@tenant1.demo.test');
	await expect(admin.locator('header nav a[href="/security-plan"]')).toHaveCount(1);
	for (const path of ['/security-plan', '/security-plan/6.3-2', '/security-plan/export.csv']) {
		const response = await admin.request.get(`${DEMO_URL}${path}`, { maxRedirects: 0 });
		expect(response.status(), `admin ${path}`).toBe(200);
		expect(await response.text()).not.toContain('koulutusrekisteriin');
	}
	await admin.context().close();
});

test('information-security plan: a section marked binding reaches tenant staff only through an approved version', async ({ browser }) => {
	test.setTimeout(60_000);
	const admin = await as(browser, 'admin@demo.test');
	await admin.goto(`${DEMO_URL}/security-plan`);
	const section = admin.getByRole('region', { name: /^6\.9 / });
	await section.getByRole('button', { name: 'Näytä vuokralaisille osio 6.9' }).click();
	await expect(admin.getByRole('status')).toHaveText('Osio 6.9 näkyy nyt vuokralaisille.');
	await expect(section.getByText('Vuokralaiset näkevät tämän osion ja noudattavat sitä.')).toBeVisible();
	// The editors are told that tenants do not see this before the responsible director approves it.
	const pendingNote = 'Suunnitelman vuokralaisia sitoviin osioihin on tehty muutoksia, joita ei ole vielä hyväksytty.';
	await expect(admin.getByRole('note').filter({ hasText: pendingNote })).toBeVisible();
	await admin.goto(`${DEMO_URL}/security-plan/binding`);
	await expect(admin.getByRole('note').filter({ hasText: pendingNote })).toBeVisible();

	const staff = await as(browser, 'staff1@tenant1.demo.test');
	await navTo(staff, 'Tietoturvasuunnitelma');
	await expect(staff.getByRole('heading', { name: 'Pääliittyjän tietoturvasuunnitelma: teitä sitovat osiot', level: 1 })).toBeVisible();
	// Not approved: the live section is not shown, and tenant people get no note about the main connector's drafts.
	await expect(staff.getByRole('heading', { name: /^6\.9 Fyysinen turvallisuus/, level: 2 })).toHaveCount(0);
	await expect(staff.getByRole('note').filter({ hasText: pendingNote })).toHaveCount(0);
	await expectNoAxeViolations(staff);

	await admin.goto(`${DEMO_URL}/security-plan`);
	await section.getByRole('button', { name: 'Piilota osio 6.9 vuokralaisilta' }).click();
	await expect(admin.getByRole('status')).toHaveText('Osio 6.9 ei enää näy vuokralaisille.');
	await staff.reload();
	await expect(staff.getByRole('heading', { name: /^6\.9 /, level: 2 })).toHaveCount(0);
});
