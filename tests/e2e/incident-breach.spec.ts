import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, navTo, signIn, test } from './fixtures';

/** A signed-in page of its own, so several people can take part in one journey. */
async function as(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
	return page;
}

const COUNTDOWN = /\d+ h \d+ min left/;

test('a suspected breach: reported by staff → DPO e-mailed → decided within 72 hours → closed; another tenant cannot see it', async ({ browser }) => {
	test.setTimeout(120_000);

	// A tenant 1 professional reports it; the form warns against client data and starts from now.
	const staff = await as(browser, 'staff1@tenant1.demo.test');
	await navTo(staff, 'Reports');
	await expect(staff.getByRole('heading', { name: 'Disturbance and breach reports' })).toBeVisible();
	await expectNoAxeViolations(staff);
	await staff.getByRole('link', { name: 'Report a disturbance or breach' }).click();
	await expect(staff.getByRole('note').filter({ hasText: 'Do not write any client or patient data' })).toBeVisible();
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
	await expect(staff.getByText('Designated persons e-mailed')).toBeVisible();
	// The reporter follows the report but cannot handle it.
	await expect(staff.getByRole('button', { name: 'Record the decision' })).toHaveCount(0);
	await expectNoAxeViolations(staff);
	await staff.context().close();

	// The data protection officer (an e-mail contact, not a user) was e-mailed at once.
	const admin = await as(browser, 'admin@demo.test');
	await admin.goto(`${DEMO_URL}/outbox`);
	const mail = admin.getByRole('article').filter({ hasText: 'To tietosuoja@demo.test' }).filter({ hasText: ref });
	await expect(mail).toHaveCount(1);
	await expect(mail).toContainText('Epäilty tietoturvaloukkaus');
	await expect(mail).toContainText('72 tuntia havaitsemisesta');
	await expectNoAxeViolations(admin);

	// The administrator sees the countdown in the list, then decides and closes the report.
	await navTo(admin, 'Reports');
	const row = admin.getByRole('row').filter({ hasText: ref });
	await expect(row).toContainText(COUNTDOWN);
	await expect(row).toContainText('Fysioterapia Lahtinen');
	await expectNoAxeViolations(admin);
	await row.getByRole('link', { name: ref }).click();
	await expect(admin.getByRole('heading', { name: `Report ${ref}` })).toBeVisible();
	await expect(admin.getByText(COUNTDOWN)).toBeVisible();
	await expectNoAxeViolations(admin);

	// Closing first is refused: the decision has to be on record.
	await admin.getByLabel('New status').selectOption('closed');
	await admin.getByRole('button', { name: 'Change status' }).click();
	await expect(admin.getByRole('alert')).toContainText('can be closed only after the decision');

	// No notification needs reasons; they are asked for when missing.
	await admin.getByLabel('No notification to the Data Protection Ombudsman').check();
	await admin.getByRole('button', { name: 'Record the decision' }).click();
	await expect(admin.locator('#field-reason-error')).toHaveText('Give the reasons for not notifying.');
	await admin.getByLabel('No notification to the Data Protection Ombudsman').check();
	await admin.getByLabel('Reasons').fill('The list was recovered unread from the printer tray within ten minutes.');
	await admin.getByRole('button', { name: 'Record the decision' }).click();
	await expect(admin.getByRole('status').filter({ hasText: 'The decision was recorded.' })).toBeVisible();
	await expect(admin.getByText('Decision recorded', { exact: true })).toBeVisible();
	await expect(admin.getByText(COUNTDOWN)).toHaveCount(0);

	await admin.getByLabel('New status').selectOption('closed');
	await admin.getByRole('button', { name: 'Change status' }).click();
	await expect(admin.getByRole('note').filter({ hasText: 'This report is closed.' })).toBeVisible();
	await expect(admin.getByRole('listitem').filter({ hasText: 'Status changed: Closed' })).toBeVisible();
	await expect(admin.getByRole('button', { name: 'Change status' })).toHaveCount(0);
	await expectNoAxeViolations(admin);
	await admin.context().close();

	// Someone from another tenant neither finds it listed nor opens it.
	const other = await as(browser, 'staff1@tenant3.demo.test');
	const response = await other.goto(reportUrl);
	expect(response?.status()).toBe(404);
	await expectNoAxeViolations(other);
	await other.goto(`${DEMO_URL}/incidents`);
	await expect(other.getByRole('heading', { name: 'Disturbance and breach reports' })).toBeVisible();
	await expect(other.getByText(ref)).toHaveCount(0);
	await expectNoAxeViolations(other);
	await other.context().close();
});
