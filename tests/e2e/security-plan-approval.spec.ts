import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS, DEMO_URL, expect, expectNoAxeViolations, freshTotp, signIn, test } from './fixtures';

/** Signs in with the browser set to Finnish, which the portal follows on a first visit. */
async function as(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'fi-FI' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

/** The responsible director approves what the page shows, confirming with password and authenticator code. */
async function approve(director: Page, expectedVersion: number) {
	await director.goto(`${DEMO_URL}/security-plan/versions`);
	const approval = director.getByRole('region', { name: 'Hyväksyntä', exact: true });
	await approval.getByLabel('Salasanasi henkilöllisyytesi vahvistamiseksi').fill(DEMO_PASSWORD);
	await approval.getByLabel('Todennussovelluksen koodi').fill(await freshTotp(DEMO_TOTP_SECRETS['signer@demo.test']));
	await approval.getByRole('button', { name: 'Hyväksy suunnitelma' }).click();
	await expect(director.getByRole('status')).toHaveText(`Suunnitelman versio ${expectedVersion} hyväksyttiin ja lukittiin.`);
}

const INSTRUCTION = 'Tietoturvasuunnitelma: mikä teitä sitoo';

/** The checklist item "staff follow the plan" of tenant 1, as its administrator sees it. */
async function followedItem(tenantAdmin: Page) {
	await tenantAdmin.goto(`${DEMO_URL}/`);
	await tenantAdmin.getByRole('link', { name: 'Avaa tarkistuslista' }).click();
	return tenantAdmin.getByRole('article', { name: 'Henkilöstö noudattaa tietoturvasuunnitelmaa' });
}

/** "n/total" people who have acknowledged, read from the item's note (other journeys may have added people). */
async function acknowledgedCount(item: ReturnType<Page['getByRole']>): Promise<{ acknowledged: number; total: number }> {
	const note = await item.getByRole('note').textContent();
	const found = /(\d+)\/(\d+) henkilöä on kuitannut/.exec(note ?? '');
	expect(found, note ?? '').not.toBeNull();
	return { acknowledged: Number(found![1]), total: Number(found![2]) };
}

test('information-security plan: a risk is added and accepted, the responsible director approves with step-up, the diff shows what changed, tenant staff acknowledge the binding parts person by person', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const admin = await as(browser, 'admin@demo.test');

	// The risk register: a refused add keeps what was typed; then the risk is added.
	await admin.goto(`${DEMO_URL}/security-plan`);
	await admin.getByRole('link', { name: 'Riskirekisteri' }).click();
	await expect(admin.getByRole('heading', { name: 'Riskirekisteri', level: 1 })).toBeVisible();
	const add = admin.getByRole('region', { name: 'Lisää riski' });
	await add.getByLabel('Riski', { exact: true }).fill('Potilastietojärjestelmä ei ole käytettävissä');
	await add.getByLabel('Tietojärjestelmät, joita riski koskee').fill('Demo Potilastieto');
	await add.getByRole('checkbox', { name: /^6\.2 / }).check();
	await add.getByLabel('Todennäköisyys').selectOption({ label: 'Kohtalainen' });
	await add.getByLabel('Vaikutus').selectOption({ label: 'Korkea' });
	await add.getByLabel('Jäännösriski').selectOption({ label: 'Matala' });
	await add.getByRole('button', { name: 'Lisää riski' }).click();
	await expect(add.getByRole('alert')).toBeVisible();
	await expect(add.locator('#field-treatment-error')).toBeVisible();
	await expect(add.getByLabel('Riski', { exact: true })).toHaveValue('Potilastietojärjestelmä ei ole käytettävissä');
	await expect(add.getByRole('checkbox', { name: /^6\.2 / })).toBeChecked();
	await add.getByLabel('Käsittely').fill('Paperilomakkeet ja vuosittainen jatkuvuusharjoitus.');
	await add.getByRole('button', { name: 'Lisää riski' }).click();
	await expect(admin.getByRole('status')).toHaveText('Riski Potilastietojärjestelmä ei ole käytettävissä lisättiin.');
	const riskRow = admin.getByRole('row').filter({ hasText: 'Potilastietojärjestelmä ei ole käytettävissä' });
	await expect(riskRow).toContainText('Ei hyväksytty');
	await expect(riskRow).toContainText('Osiot 6.2');
	await expectNoAxeViolations(admin);

	// A second risk, added and removed after confirmation.
	await add.getByLabel('Riski', { exact: true }).fill('Kadonnut kannettava');
	await add.getByLabel('Todennäköisyys').selectOption({ label: 'Matala' });
	await add.getByLabel('Vaikutus').selectOption({ label: 'Kohtalainen' });
	await add.getByLabel('Jäännösriski').selectOption({ label: 'Matala' });
	await add.getByLabel('Käsittely').fill('Levyjen salaus.');
	await add.getByRole('button', { name: 'Lisää riski' }).click();
	await admin.getByRole('link', { name: 'Kadonnut kannettava' }).click();
	await admin.locator('summary', { hasText: 'Poista riski' }).click();
	await admin.getByRole('button', { name: 'Poista riski' }).click();
	await expect(admin.getByRole('heading', { name: 'Riskirekisteri', level: 1 })).toBeVisible();
	await expect(admin.getByRole('link', { name: 'Kadonnut kannettava' })).toHaveCount(0);

	// Section 6.1 binds tenants; the signatory is named the responsible director.
	await admin.goto(`${DEMO_URL}/security-plan`);
	await admin
		.getByRole('region', { name: /^6\.1 / })
		.getByRole('button', { name: 'Näytä vuokralaisille osio 6.1' })
		.click();
	await expect(admin.getByRole('status')).toHaveText('Osio 6.1 näkyy nyt vuokralaisille.');
	await admin.getByRole('link', { name: 'Hyväksyntä ja versiot' }).first().click();
	await admin.getByRole('combobox', { name: 'Vastuullinen johtaja' }).selectOption({ label: 'Sakari Signer' });
	await admin.getByRole('button', { name: 'Tallenna vastuullinen johtaja' }).click();
	await expect(admin.getByRole('status')).toHaveText('Vastuullinen johtaja tallennettiin.');
	// The administrator is not the director: no approval form for them.
	await expect(admin.getByText('Vastuullinen johtaja Sakari Signer hyväksyy suunnitelman.')).toBeVisible();
	await expect(admin.getByRole('button', { name: 'Hyväksy suunnitelma' })).toHaveCount(0);

	// The director accepts the residual risk and approves; a wrong password is refused beside the field.
	const director = await as(browser, 'signer@demo.test');
	await director.goto(`${DEMO_URL}/security-plan/risks`);
	await director.getByRole('link', { name: 'Hyväksy jäännösriski: Potilastietojärjestelmä ei ole käytettävissä' }).click();
	// Accepting a residual risk is confirmed as approval is: a wrong password accepts nothing.
	const acceptance = director.getByRole('region', { name: 'Jäännösriskin hyväksyntä' });
	await acceptance.getByLabel('Salasanasi henkilöllisyytesi vahvistamiseksi').fill('väärä salasana');
	await acceptance.getByLabel('Todennussovelluksen koodi').fill('000000');
	await acceptance.getByRole('button', { name: 'Hyväksy jäännösriski' }).click();
	await expect(director.locator('#field-password-error')).toBeVisible();
	await expect(acceptance.getByText('Ei hyväksytty')).toBeVisible();
	await expectNoAxeViolations(director);
	await acceptance.getByLabel('Salasanasi henkilöllisyytesi vahvistamiseksi').fill(DEMO_PASSWORD);
	await acceptance.getByLabel('Todennussovelluksen koodi').fill(await freshTotp(DEMO_TOTP_SECRETS['signer@demo.test']));
	await acceptance.getByRole('button', { name: 'Hyväksy jäännösriski' }).click();
	await expect(director.getByRole('status')).toHaveText('Jäännösriski hyväksyttiin.');
	await expect(acceptance).toContainText('Hyväksynyt Sakari Signer');
	await director.goto(`${DEMO_URL}/security-plan/risks`);
	await expect(director.getByRole('row').filter({ hasText: 'Potilastietojärjestelmä' })).toContainText('Hyväksynyt Sakari Signer');
	await director.goto(`${DEMO_URL}/security-plan/versions`);
	const approval = director.getByRole('region', { name: 'Hyväksyntä', exact: true });
	await expect(approval.getByText('Sisällön tiiviste (SHA-256)')).toBeVisible();
	await approval.getByLabel('Salasanasi henkilöllisyytesi vahvistamiseksi').fill('väärä salasana');
	await approval.getByLabel('Todennussovelluksen koodi').fill('000000');
	await approval.getByRole('button', { name: 'Hyväksy suunnitelma' }).click();
	await expect(director.locator('#field-password-error')).toBeVisible();
	await expect(
		director.getByRole('region', { name: 'Hyväksytyt versiot' }).getByText('Hyväksyttyjä versioita ei ole vielä.')
	).toBeVisible();
	await expectNoAxeViolations(director);
	await approve(director, 1);
	await expect(director.getByRole('heading', { name: 'Versio 1: koko sisältö' })).toBeVisible();
	await expect(director.getByText('Suunnitelma on sama kuin viimeksi hyväksytty versio. Hyväksyttävää ei ole.')).toBeVisible();

	// Version 1 binds 6.1: its text is now an instruction that each of a tenant's people acknowledges.
	const staff = await as(browser, 'staff1@tenant1.demo.test');
	await staff.goto(`${DEMO_URL}/my-instructions`);
	await staff
		.getByRole('region', { name: /^Odottaa kuittaustasi/ })
		.getByRole('link', { name: INSTRUCTION })
		.click();
	await expect(staff.getByRole('heading', { name: INSTRUCTION, level: 1 })).toBeVisible();
	const text = staff.getByRole('article', { name: 'Ohje' });
	await expect(text.getByRole('heading', { name: /^6\.1 / })).toBeVisible();
	await expect(text.getByText(/Tietoturvapolitiikka v3/)).toBeVisible();
	await expectNoAxeViolations(staff);
	await staff.getByRole('button', { name: 'Olen lukenut ohjeen ja noudatan sitä' }).click();
	await expect(staff.getByRole('status')).toHaveText('Kiitos. Kuittauksesi kirjattiin.');
	const managed = `${DEMO_URL}${new URL(staff.url()).pathname.replace('/my-instructions/', '/instructions/')}`;

	// The main connector reads it among its instructions, with coverage, but cannot edit it by hand.
	await admin.goto(managed);
	await expect(admin.getByRole('heading', { name: INSTRUCTION, level: 1 })).toBeVisible();
	await expect(admin.getByRole('note').filter({ hasText: 'Ohjetta ei voi muokata, kohdentaa eikä arkistoida käsin.' })).toBeVisible();
	await expect(admin.getByRole('button', { name: 'Julkaise uusi versio' })).toHaveCount(0);
	await expect(admin.getByRole('button', { name: 'Arkistoi ohje' })).toHaveCount(0);
	await expect(admin.getByRole('region', { name: /^Kuittaukset/ })).toBeVisible();
	await expectNoAxeViolations(admin);
	const handEdit = await admin.request.post(`${managed}?/archive`, {
		headers: { origin: DEMO_URL, accept: 'text/html' },
		form: {},
		maxRedirects: 0
	});
	expect(handEdit.status()).toBe(409);
	expect(await handEdit.text()).toContain('Tätä ohjetta ei voi muuttaa käsin');
	await admin.reload();
	await expect(admin.getByText('Arkistoitu')).toHaveCount(0);

	// The administrator changes a binding requirement; the director approves version 2; the diff shows the change.
	await admin.goto(`${DEMO_URL}/security-plan/6.1-1`);
	const edit = admin.getByRole('region', { name: 'Muokkaa' });
	await edit
		.getByLabel('Miten vaatimus täytetään')
		.fill('Tietoturvapolitiikka v4 (hyväksytty johtoryhmässä), intranetissä kohdassa *Tietoturva*.');
	await edit.getByRole('button', { name: 'Tallenna vaatimus' }).click();
	await expect(admin.getByRole('status')).toHaveText('Vaatimus 6.1-1 tallennettiin.');
	// Saved but not approved: tenant staff still read version 1, and the main connector is told so.
	await staff.goto(`${DEMO_URL}/security-plan/binding`);
	await expect(staff.getByText(/^Alla on suunnitelman versio 1 sellaisena kuin se hyväksyttiin /)).toBeVisible();
	await expect(staff.getByText(/Tietoturvapolitiikka v3/).first()).toBeVisible();
	await expect(staff.getByText(/Tietoturvapolitiikka v4/)).toHaveCount(0);
	await admin.goto(`${DEMO_URL}/security-plan/binding`);
	await expect(admin.getByRole('note')).toContainText('joita ei ole vielä hyväksytty');
	await expect(admin.getByText(/Tietoturvapolitiikka v4/)).toHaveCount(0);
	await admin.goto(`${DEMO_URL}/security-plan/6.1-1`);
	// Documents the description refers to: a link refused when it is not http(s), then a link and a file.
	const documents = admin.getByRole('region', { name: 'Asiakirjat' });
	await documents.getByLabel('Asiakirjan nimi').fill('Tietoturvapolitiikka v4');
	await documents.getByLabel('Linkki').fill('ftp://intra.example.fi/politiikka');
	await documents.getByRole('button', { name: 'Lisää asiakirja' }).click();
	await expect(documents.locator('#field-url-error')).toBeVisible();
	await expect(documents.getByLabel('Asiakirjan nimi')).toHaveValue('Tietoturvapolitiikka v4');
	await documents.getByLabel('Linkki').fill('https://intra.example.fi/politiikka');
	await documents.getByRole('button', { name: 'Lisää asiakirja' }).click();
	await expect(admin.getByRole('status')).toHaveText('Asiakirja Tietoturvapolitiikka v4 lisättiin.');
	await documents.getByLabel('Asiakirjan nimi').fill('Salasanaohje');
	await documents
		.getByLabel('Tiedosto')
		.setInputFiles({ name: 'salasanaohje.txt', mimeType: 'text/plain', buffer: Buffer.from('Salasanat vaihdetaan vuosittain.\n') });
	await documents.getByRole('button', { name: 'Lisää asiakirja' }).click();
	await expect(admin.getByRole('status')).toHaveText('Asiakirja Salasanaohje lisättiin.');
	const fileHref = await documents.getByRole('link', { name: 'Salasanaohje' }).getAttribute('href');
	const file = await admin.request.get(`${DEMO_URL}${fileHref}`);
	expect(file.status()).toBe(200);
	expect(await file.text()).toContain('Salasanat vaihdetaan');
	await expectNoAxeViolations(admin);
	await approve(director, 2);
	const diff = director.getByRole('region', { name: 'Muutokset: versio 1 → versio 2' });
	await expect(diff.getByRole('link', { name: '6.1-1' })).toBeVisible();
	await expect(diff.getByText('Muutettu')).toBeVisible();
	await expect(diff.locator('del', { hasText: /^v3$/ })).toBeVisible();
	await expect(diff.locator('ins', { hasText: /^v4$/ })).toBeVisible();
	await expect(diff.getByText(/Tietoturvapolitiikka v4 <https:\/\/intra\.example\.fi\/politiikka>/)).toBeVisible();
	await expect(director.getByRole('region', { name: 'Hyväksytyt versiot' }).getByRole('row')).toHaveCount(3);
	await expectNoAxeViolations(director);

	// A tenant's staff see the new version on the binding page, and that each of them acknowledges it personally.
	await staff.goto(`${DEMO_URL}/security-plan/binding`);
	await expect(staff.getByText(/^Alla on suunnitelman versio 2 sellaisena kuin se hyväksyttiin /)).toBeVisible();
	await expect(staff.getByText(/Tietoturvapolitiikka v4/).first()).toBeVisible();
	const personal = staff.getByRole('region', { name: 'Oma kuittauksesi' });
	await expect(personal.getByText('Kuittaamatta')).toBeVisible();
	await expect(staff.getByRole('button', { name: /Kuittaa organisaation puolesta/ })).toHaveCount(0);
	await expectNoAxeViolations(staff);

	// The administrator confirms for the organisation; that alone does not meet "staff follow the plan".
	const tenantAdmin = await as(browser, 'admin@tenant1.demo.test');
	await tenantAdmin.goto(`${DEMO_URL}/security-plan/binding`);
	const ack = tenantAdmin.getByRole('region', { name: 'Kuittaus' });
	await expect(ack).toContainText('Voimassa on suunnitelman versio 2');
	await expect(ack).toContainText('Teitä sitovat siinä osiot 6.1.');
	await expect(ack.getByText('Kuittaamatta')).toBeVisible();
	await expect(ack.getByText('Teitä sitovat kuvaukset tässä versiossa')).toBeVisible();
	await expectNoAxeViolations(tenantAdmin);
	await ack.getByRole('button', { name: 'Kuittaa organisaation puolesta: noudatamme version 2 sitovia osioita' }).click();
	await expect(tenantAdmin.getByRole('status')).toHaveText('Kuittasitte suunnitelman version 2 sitovat osiot.');
	await expect(ack.getByText('Kuitattu', { exact: true })).toBeVisible();
	let followed = await followedItem(tenantAdmin);
	await expect(followed.locator('.badge')).not.toHaveText('Hyväksytty');
	const before = await acknowledgedCount(followed);
	await expectNoAxeViolations(tenantAdmin);

	// The staff member reads what changed since the version they acknowledged, and acknowledges the new one.
	await personal.getByRole('link', { name: `Lue ja kuittaa: ${INSTRUCTION}` }).click();
	await expect(staff.getByRole('heading', { name: INSTRUCTION, level: 1 })).toBeVisible();
	const changes = staff.getByRole('region', { name: /^Mitä on muuttunut edellisen kuittauksesi/ });
	await expect(changes.locator('del', { hasText: 'v3' })).toBeVisible();
	await expect(changes.locator('ins', { hasText: 'v4' })).toBeVisible();
	await expectNoAxeViolations(staff);
	await staff.getByRole('button', { name: 'Olen lukenut ohjeen ja noudatan sitä' }).click();
	await expect(staff.getByRole('status')).toHaveText('Kiitos. Kuittauksesi kirjattiin.');
	await staff.goto(`${DEMO_URL}/security-plan/binding`);
	await expect(staff.getByRole('region', { name: 'Oma kuittauksesi' }).getByText('Kuitattu', { exact: true })).toBeVisible();

	// The checklist counts the staff member's acknowledgement: one more person of the same number.
	followed = await followedItem(tenantAdmin);
	if (before.acknowledged + 1 === before.total) await expect(followed.locator('.badge')).toHaveText('Hyväksytty');
	else {
		await expect(followed.getByRole('note')).toContainText(`${before.acknowledged + 1}/${before.total} henkilöä on kuitannut`);
		await expect(followed.locator('.badge')).not.toHaveText('Hyväksytty');
	}
	// The main connector's plan is approved but has a requirement whose review date has come (the demo's 6.2-3).
	const inPlace = tenantAdmin.getByRole('article', { name: 'Pääliittyjän tietoturvasuunnitelma laadittu' });
	await expect(inPlace.getByRole('note')).toContainText('tarkistuspäivä on koittanut');
	await expect(inPlace).toContainText('Tarkistettavat vaatimukset: 6.2-3');
	await expect(inPlace.getByRole('button', { name: /Lähetä/ })).toHaveCount(0);

	// The main connector sees who acknowledged which version.
	await admin.goto(`${DEMO_URL}/security-plan/versions`);
	const acks = admin.getByRole('region', { name: 'Vuokralaisten kuittaukset' });
	const tenantRow = acks.getByRole('row').filter({ hasText: 'Fysioterapia Lahtinen' });
	await expect(tenantRow.getByRole('cell').nth(1)).toHaveText('2');
	await expect(acks.getByRole('row').filter({ hasText: 'Kotihoito Aalto Oy' })).toContainText('Ei kuitannut');

	// The exports: CSV of the plan and of the risk register, neutralised and confidential.
	const csv = await admin.request.get(`${DEMO_URL}/security-plan/risks/export.csv`);
	expect(csv.status()).toBe(200);
	expect(csv.headers()['content-type']).toContain('text/csv');
	expect(await csv.text()).toContain('Potilastietojärjestelmä ei ole käytettävissä');
	const plan = await admin.request.get(`${DEMO_URL}/security-plan/export.csv`);
	expect(await plan.text()).toContain('Tietoturvapolitiikka v4');
	// At the same addresses a tenant's administrator gets the tenant's own plan, never a word of the
	// main connector's; the main connector's file is not found; the tenant's staff get nothing.
	const ownPlanPaths = ['/security-plan/risks', '/security-plan/versions', '/security-plan/export.csv', '/security-plan/risks/export.csv'];
	for (const path of ownPlanPaths) {
		const response = await tenantAdmin.request.get(`${DEMO_URL}${path}`, { maxRedirects: 0 });
		expect(response.status(), path).toBe(200);
		const body = await response.text();
		expect(body, path).not.toContain('Potilastietojärjestelmä ei ole käytettävissä');
		expect(body, path).not.toContain('Tietoturvapolitiikka v4');
	}
	expect((await tenantAdmin.request.get(`${DEMO_URL}${fileHref!}`, { maxRedirects: 0 })).status()).toBe(404);
	for (const path of [...ownPlanPaths, fileHref!])
		expect((await staff.request.get(`${DEMO_URL}${path}`, { maxRedirects: 0 })).status(), path).toBe(404);

	// Leave the demo as the other journeys expect it: no section binding tenants.
	await admin.goto(`${DEMO_URL}/security-plan`);
	await admin
		.getByRole('region', { name: /^6\.1 / })
		.getByRole('button', { name: 'Piilota osio 6.1 vuokralaisilta' })
		.click();
	await expect(admin.getByRole('status')).toHaveText('Osio 6.1 ei enää näy vuokralaisille.');

	// The PDF for the authority is the approved version 2 from its frozen content, with its approval
	// page; the live plan (6.1 no longer binding) prints only as a draft, marked so.
	const pdfText = async (path: string) => {
		const response = await admin.request.get(`${DEMO_URL}${path}`);
		expect(response.status()).toBe(200);
		const dir = mkdtempSync(join(tmpdir(), 'plan-e2e-'));
		writeFileSync(join(dir, 'plan.pdf'), await response.body());
		const out = spawnSync('pdftotext', [join(dir, 'plan.pdf'), '-'], { encoding: 'utf8' });
		return { disposition: response.headers()['content-disposition'], text: out.stdout.replace(/\s+/g, ' ') };
	};
	const approvedPdf = await pdfText('/security-plan/export.pdf');
	expect(approvedPdf.disposition).toContain('information-security-plan-v2.pdf');
	expect(approvedPdf.text).toContain('Tietoturvapolitiikka v4');
	expect(approvedPdf.text).toContain('Hyväksyjä Sakari Signer');
	expect(approvedPdf.text).not.toContain('LUONNOS');
	await expect(admin.getByRole('link', { name: 'Luonnos PDF-tiedostona (hyväksymättömät muutokset mukana)' })).toBeVisible();
	const draftPdf = await pdfText('/security-plan/export.pdf?edition=draft');
	expect(draftPdf.disposition).toContain('information-security-plan-draft.pdf');
	expect(draftPdf.text).toContain('LUONNOS – suunnitelma sellaisena kuin se nyt on');
});
