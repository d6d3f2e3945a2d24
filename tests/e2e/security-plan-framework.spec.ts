import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, signIn, test } from './fixtures';

const SHIPPED = readFileSync(join(process.cwd(), 'templates', 'security-plan', 'thl-3-2024.v1.json'), 'utf8');

/** The shipped framework as THL might revise it: a new version number and one requirement reworded in English. */
function revision(version: number, change: (data: { sections: { chapter: string; requirements: { en: string }[] }[] }) => void) {
	const data = JSON.parse(SHIPPED);
	data.version = version;
	data.replaces = 1;
	change(data);
	return JSON.stringify(data, null, '\t');
}

test('security plan framework (fi): an administrator adds a revised version (a broken file refused by line, the text kept); a tenant moves its own plan onto it', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const context = await browser.newContext({ locale: 'fi-FI' });
	const admin = await context.newPage();
	await signIn(admin, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await admin.goto(`${DEMO_URL}/security-plan`);
	await admin.getByRole('link', { name: 'Rungon versiot' }).click();
	await expect(admin.getByRole('heading', { name: 'Tietoturvasuunnitelman rungon versiot', level: 1 })).toBeVisible();
	await expect(admin.getByRole('row').filter({ hasText: 'thl-3-2024' }).first()).toBeVisible();
	await expectNoAxeViolations(admin);

	// A version unique to this run, so the journey does not depend on what ran before it on this server.
	const version = 2 + (Date.now() % 100_000);
	const upload = admin.getByRole('region', { name: 'Lisää uusi versio' });
	const broken = revision(version, (d) => (d.sections[4].chapter = '6.13'));
	await upload.getByLabel('…tai liitä sen teksti tähän').fill(broken);
	await upload.getByRole('button', { name: 'Tallenna uutena versiona' }).click();
	const line = broken.split('\n').findIndex((l) => l.includes('"chapter": "6.13"')) + 1;
	await expect(upload.getByRole('alert')).toContainText(`Rivi ${line}:`);
	await expect(upload.getByLabel('…tai liitä sen teksti tähän')).toHaveValue(broken);
	await expectNoAxeViolations(admin);

	// Checked first: what it changes against the newest stored version; then saved.
	const fixed = revision(version, (d) => (d.sections[0].requirements[1].en += ' (revised)'));
	await upload.getByLabel('…tai liitä sen teksti tähän').fill(fixed);
	await upload.getByRole('button', { name: 'Tarkista ja esikatsele' }).click();
	await expect(upload.getByRole('status')).toContainText(`versio ${version}`);
	await expect(upload.getByRole('status')).toContainText('1 uudelleen muotoiltua vaatimusta');
	await expect(upload.getByRole('status')).toContainText('Uudelleen muotoillut: 3-2');
	await upload.getByRole('button', { name: 'Tallenna uutena versiona' }).click();
	await expect(admin.getByRole('status').first()).toHaveText(`Versio ${version} tallennettiin. Uudet suunnitelmat laaditaan sen mukaan.`);
	await expect(admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: String(version), exact: true }) })).toBeVisible();

	// The same version again is refused: a stored version never changes.
	await upload.getByLabel('…tai liitä sen teksti tähän').fill(fixed);
	await upload.getByRole('button', { name: 'Tallenna uutena versiona' }).click();
	await expect(upload.getByRole('alert')).toContainText(`versio ${version} on jo tallennettu`);

	// A plan already made keeps its version until its editors move it: here a tenant's own plan.
	const tenantAdmin = await (await browser.newContext({ locale: 'fi-FI' })).newPage();
	await signIn(tenantAdmin, DEMO_URL, 'admin@tenant2.demo.test', DEMO_PASSWORD);
	await tenantAdmin.goto(`${DEMO_URL}/security-plan`);
	const move = tenantAdmin.getByRole('region', { name: `Rungon versio ${version} on saatavilla` });
	await expect(move).toContainText('Uudelleen muotoillut: 3-2');
	await expectNoAxeViolations(tenantAdmin);
	await move.getByRole('button', { name: `Siirrä suunnitelma versioon ${version}` }).click();
	await expect(tenantAdmin.getByRole('status').first()).toHaveText(
		`Suunnitelma siirrettiin rungon versioon ${version}. Vastuullinen johtaja hyväksyy sen uudelleen.`
	);
	await expect(tenantAdmin.getByRole('region', { name: /Rungon versio \d+ on saatavilla/ })).toHaveCount(0);

	// Tenant people and signatories do not reach the page.
	const signer = await (await browser.newContext({ locale: 'fi-FI' })).newPage();
	await signIn(signer, DEMO_URL, 'signer@demo.test', DEMO_PASSWORD);
	expect((await signer.goto(`${DEMO_URL}/security-plan/frameworks`))?.status()).toBe(403);
});
