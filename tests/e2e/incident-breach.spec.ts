import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from '@playwright/test';
import { DEMO_DIR, DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, navTo, signIn, test } from './fixtures';

/** A signed-in page of its own, so several people can take part in one journey. */
async function as(browser: Browser, email: string, locale = 'en-GB'): Promise<Page> {
	const context = await browser.newContext({ locale });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

/** A tenant's id, read from the demo server's database. */
function tenantId(name: string): string {
	const db = new Database(join(DEMO_DIR, 'liitos.db'), { readonly: true, fileMustExist: true });
	try {
		return (db.prepare('select id from tenant where name = ?').get(name) as { id: string }).id;
	} finally {
		db.close();
	}
}

const COUNTDOWN = /\d+ h \d+ min left/;
const today = () => new Date().toISOString().slice(0, 10);

test('a suspected breach: reported by staff → DPO e-mailed → the tenant, as controller, decides → closed; another tenant cannot see it', async ({
	browser
}) => {
	test.setTimeout(150_000);

	// A tenant 1 professional reports it; the form warns against client data and starts from now.
	const staff = await as(browser, 'staff1@tenant1.demo.test');
	await navTo(staff, 'Reports');
	await expect(staff.getByRole('heading', { name: 'Disturbance and breach reports' })).toBeVisible();
	await expectNoAxeViolations(staff);
	await staff.getByRole('link', { name: 'Report a disturbance or breach' }).click();
	await expect(staff.getByRole('note').filter({ hasText: 'Do not write any client or patient data' })).toBeVisible();
	// A tenant's people report for their own tenant: nothing to choose.
	await expect(staff.getByRole('note').filter({ hasText: 'This report concerns the activity of Fysioterapia Lahtinen.' })).toBeVisible();
	await expect(staff.getByLabel('Your name')).toHaveValue('Tenant 1 Staff One');
	await expect(staff.getByLabel('How to reach you')).toHaveValue('staff1@tenant1.demo.test');
	await expect(staff.getByLabel('Noticed at')).not.toHaveValue('');
	await expectNoAxeViolations(staff);

	await staff.getByLabel('What happened').fill('A day list of appointments was printed on the shared printer and taken by someone else.');
	await staff.getByLabel('Who or what is affected').fill('Clients booked for one day');
	await staff.getByLabel('Suspected personal data breach').check();
	await staff.getByRole('button', { name: 'Send the report' }).click();
	await expect(staff.getByRole('status').filter({ hasText: 'Your report was sent' })).toBeVisible();
	const reportUrl = staff.url().split('?')[0];
	const ref = reportUrl.split('/').pop()!.slice(0, 8);
	await expect(staff.getByRole('heading', { name: `Report ${ref}` })).toBeVisible();
	await expect(staff.getByText(COUNTDOWN)).toBeVisible();
	// The main connector's designated persons and the tenant's own contact person were e-mailed.
	await expect(
		staff.getByRole('listitem').filter({ hasText: 'Designated persons e-mailed' }).filter({ hasText: 'tietosuoja@demo.test' })
	).toBeVisible();
	await expect(
		staff.getByRole('listitem').filter({ hasText: 'Designated persons e-mailed' }).filter({ hasText: 'laura@tenant1.demo.test' })
	).toBeVisible();
	// The reporter follows the report but cannot decide on it.
	await expect(staff.getByRole('button', { name: 'Record the decision' })).toHaveCount(0);
	await expectNoAxeViolations(staff);
	await staff.context().close();

	// The data protection officer (an e-mail contact, not a user) was e-mailed at once, in Finnish and Swedish.
	const admin = await as(browser, 'admin@demo.test');
	await admin.goto(`${DEMO_URL}/outbox`);
	const mail = admin.getByRole('article').filter({ hasText: 'To tietosuoja@demo.test' }).filter({ hasText: ref });
	await expect(mail).toHaveCount(1);
	await expect(mail).toContainText('Epäilty henkilötietojen tietoturvaloukkaus');
	await expect(mail).toContainText('Misstänkt personuppgiftsincident');
	await expect(mail).toContainText('72 tuntia havaitsemisesta');

	// The main connector sees the countdown but is not the controller of the tenant's documents.
	await navTo(admin, 'Reports');
	const row = admin.getByRole('row').filter({ hasText: ref });
	await expect(row).toContainText(COUNTDOWN);
	await expect(row).toContainText('Fysioterapia Lahtinen');
	await row.getByRole('link', { name: ref }).click();
	await expect(admin.getByText('Controller: Fysioterapia Lahtinen')).toBeVisible();
	await expect(admin.getByText("Only the controller's administrators record this decision")).toBeVisible();
	await expect(admin.getByRole('button', { name: 'Record the decision' })).toHaveCount(0);
	// Closing first is refused: the decision has to be on record.
	await admin.getByLabel('New status').selectOption('closed');
	await admin.getByRole('button', { name: 'Change status' }).click();
	await expect(admin.getByRole('alert')).toContainText('can be closed only after every controller');

	// Tenant 1's administrator, the controller, decides; reasons are asked for when missing.
	const controller = await as(browser, 'admin@tenant1.demo.test');
	await controller.goto(reportUrl);
	await expect(controller.getByText(COUNTDOWN)).toBeVisible();
	await expectNoAxeViolations(controller);
	await controller.getByLabel('No notification to the Data Protection Ombudsman').check();
	await controller.getByLabel('The data subjects are not informed').check();
	await controller.getByRole('button', { name: 'Record the decision' }).click();
	await expect(controller.locator('#field-reason-error')).toHaveText('Give the reasons for not notifying.');
	await expect(controller.locator('#field-subjectsReason-error')).toHaveText('Give the reasons for not informing the data subjects.');
	await controller.getByLabel('No notification to the Data Protection Ombudsman').check();
	await controller.getByLabel('The data subjects are not informed').check();
	await controller.getByLabel('Reasons', { exact: true }).fill('The list was recovered unread from the printer tray within ten minutes.');
	await controller.getByLabel('Reasons for not informing', { exact: true }).fill('Nobody outside the staff saw it.');
	await controller.getByRole('button', { name: 'Record the decision' }).click();
	await expect(controller.getByRole('status').filter({ hasText: 'The decision was recorded.' })).toBeVisible();
	await expect(controller.getByText('Decision recorded', { exact: true })).toBeVisible();
	await expect(controller.getByText(COUNTDOWN)).toHaveCount(0);
	await expectNoAxeViolations(controller);
	await controller.context().close();

	// Now the main connector can close it.
	await admin.reload();
	await expect(admin.getByText('admin@tenant1.demo.test').first()).toBeVisible();
	await admin.getByLabel('New status').selectOption('closed');
	await admin.getByRole('button', { name: 'Change status' }).click();
	await expect(admin.getByRole('note').filter({ hasText: 'This report is closed.' })).toBeVisible();
	await expect(admin.getByRole('listitem').filter({ hasText: 'Status changed: Closed' })).toBeVisible();
	await expectNoAxeViolations(admin);
	await admin.context().close();

	// Someone from another tenant neither finds it listed nor opens it.
	const other = await as(browser, 'staff1@tenant3.demo.test');
	const response = await other.goto(reportUrl);
	expect(response?.status()).toBe(404);
	await other.goto(`${DEMO_URL}/incidents`);
	await expect(other.getByText(ref)).toHaveCount(0);
	await other.context().close();
});

test('a breach the main connector finds about tenant 2: tenant 2’s administrator alone decides; tenant 1 sees nothing of it', async ({
	browser
}) => {
	test.setTimeout(150_000);

	// The main connector's administrator files it in Finnish, naming tenant 2 and the prescription service.
	const admin = await as(browser, 'admin@demo.test', 'fi-FI');
	await admin.goto(`${DEMO_URL}/incidents/new`);
	await admin.getByLabel('Epäilty henkilötietojen tietoturvaloukkaus').check();
	await admin
		.getByLabel('Mitä tapahtui')
		.fill('Ylläpidon lokitarkastuksessa havaittiin, että reseptitietoja oli avattu ilman hoitosuhdetta.');
	await admin.getByLabel('Keitä tai mitä asia koskee').fill('Muutama kotihoidon asiakas');
	// Whom it concerns must be said; what was typed stays.
	await admin.getByRole('button', { name: 'Lähetä ilmoitus' }).click();
	await expect(admin.locator('#concerns-error')).toHaveText('Valitse vähintään yksi vuokralainen tai pääliittyjän oma toiminta.');
	await expect(admin.getByLabel('Mitä tapahtui')).toHaveValue(/ilman hoitosuhdetta/);
	await admin.getByLabel('Kotihoito Aalto Oy').check();
	await admin.getByLabel('Reseptikeskus').check();
	await expectNoAxeViolations(admin);
	await admin.getByRole('button', { name: 'Lähetä ilmoitus' }).click();
	await expect(admin.getByRole('status').filter({ hasText: 'Ilmoitus lähetettiin' })).toBeVisible();
	const reportUrl = admin.url().split('?')[0];
	const ref = reportUrl.split('/').pop()!.slice(0, 8);
	await expect(admin.getByRole('note').filter({ hasText: 'Kela on rekisteröityjen yhteyspiste' })).toContainText('Reseptikeskus');
	await expect(admin.getByText('Rekisterinpitäjä: Kotihoito Aalto Oy')).toBeVisible();
	await expect(admin.getByRole('button', { name: 'Kirjaa päätös' })).toHaveCount(0);
	// Not even a hand-made request records the decision for the tenant.
	const forged = await admin.request.post(`${reportUrl}?/decision`, {
		form: {
			controller: tenantId('Kotihoito Aalto Oy'),
			decision: 'no_notification',
			reason: 'x',
			subjectsDecision: 'not_inform_subjects',
			subjectsReason: 'x'
		},
		headers: { origin: DEMO_URL, accept: 'text/html' },
		maxRedirects: 0
	});
	expect([403, 404]).toContain(forged.status());

	// The main connector records its onward notice to the supervisory authority.
	await admin.getByLabel('Kenelle').selectOption({ label: 'Lupa- ja valvontavirasto' });
	await admin.getByLabel('Ilmoittaja').fill('Aino Admin');
	await admin.getByLabel('Miten', { exact: true }).fill('Sähköposti kirjaamoon');
	await admin.getByRole('button', { name: 'Kirjaa ilmoitus' }).click();
	await expect(admin.getByRole('status').filter({ hasText: 'Ilmoitus kirjattiin.' })).toBeVisible();
	await expect(admin.getByRole('cell', { name: 'Lupa- ja valvontavirasto' })).toBeVisible();
	await expectNoAxeViolations(admin);

	// Tenant 2's administrator, in Swedish, finds it and records the decisions as controller.
	const tenant2 = await as(browser, 'admin@tenant2.demo.test', 'sv-FI');
	await tenant2.goto(`${DEMO_URL}/incidents`);
	await tenant2.getByRole('row').filter({ hasText: ref }).getByRole('link', { name: ref }).click();
	await expect(tenant2.getByRole('heading', { name: `Anmälan ${ref}` })).toBeVisible();
	await expect(tenant2.getByRole('note').filter({ hasText: 'FPA är de registrerades kontaktpunkt' })).toContainText('Recepttjänsten');
	await expect(tenant2.getByRole('cell', { name: 'Tillstånds- och tillsynsverket' })).toBeVisible();
	await expectNoAxeViolations(tenant2);
	await tenant2.getByLabel('Dataombudsmannen underrättas').check();
	await tenant2.getByLabel('Anmält till dataombudsmannen').fill(today());
	await tenant2.getByLabel('De registrerade informeras', { exact: true }).check();
	await tenant2.getByLabel('De registrerade informerade den').fill(today());
	await tenant2.getByRole('button', { name: 'Registrera beslutet' }).click();
	await expect(tenant2.getByRole('status').filter({ hasText: 'Beslutet registrerades.' })).toBeVisible();
	await expect(tenant2.getByText('Beslut registrerat', { exact: true })).toBeVisible();
	await tenant2.getByLabel('Vad gjordes').fill('Vi har kontaktat de berörda klienterna per telefon.');
	await tenant2.getByRole('button', { name: 'Lägg till i loggen' }).click();
	await expect(tenant2.getByRole('status').filter({ hasText: 'Tillagt i loggen.' })).toBeVisible();
	await expectNoAxeViolations(tenant2);
	await tenant2.context().close();

	// The main connector sees the tenant's decision and the entry in the action log.
	await admin.reload();
	await expect(admin.getByText('Tietosuojavaltuutetulle ilmoitetaan', { exact: true })).toBeVisible();
	await expect(admin.getByRole('listitem').filter({ hasText: 'Vi har kontaktat' })).toContainText('admin@tenant2.demo.test');
	await admin.context().close();

	// Tenant 1 sees nothing of it.
	const tenant1 = await as(browser, 'admin@tenant1.demo.test');
	expect((await tenant1.goto(reportUrl))?.status()).toBe(404);
	await tenant1.goto(`${DEMO_URL}/incidents?q=${ref}`);
	await expect(tenant1.getByText(ref)).toHaveCount(0);
	const export1 = await tenant1.request.get(`${DEMO_URL}/incidents/export.csv`);
	expect(await export1.text()).not.toContain(ref);
	await tenant1.context().close();
});
