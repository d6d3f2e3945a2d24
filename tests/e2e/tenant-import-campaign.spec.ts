import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS, DEMO_URL, expect, expectNoAxeViolations, freshTotp, signIn, test } from './fixtures';

/**
 * Issue #17: the whole campaign journey in Finnish and in Swedish. The main connector's administrator
 * imports tenants from a `;` CSV with a byte order mark (as Excel saves it), each with a signatory
 * invited; starts a campaign for them from the tenant list; one invited signatory accepts the
 * invitation and signs; the main connector's signatory countersigns in one go and the agreement is
 * sealed. Every element is found by the text of the language under test (messages/{fi,sv}.json).
 */

type Lang = 'fi' | 'sv';
const messages: Record<Lang, Record<string, string>> = {
	fi: JSON.parse(readFileSync('messages/fi.json', 'utf8')),
	sv: JSON.parse(readFileSync('messages/sv.json', 'utf8'))
};
/** The message `key` in `lang`, its {placeholders} filled from `params`. */
function t(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
	const text = messages[lang][key];
	if (typeof text !== 'string') throw new Error(`no ${lang} message ${key}`);
	return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** A Finnish business ID (Y-tunnus) with its check digit, from seven digits whose remainder is not 1. */
function businessId(digits: number): string {
	const body = String(digits).padStart(7, '0');
	const weights = [7, 9, 10, 5, 8, 4, 2];
	const rest = [...body].reduce((sum, d, i) => sum + Number(d) * weights[i], 0) % 11;
	if (rest === 1) return businessId(digits + 1);
	return `${body}-${rest === 0 ? 0 : 11 - rest}`;
}

/** What differs between the two runs: names, business IDs and the words a spreadsheet in that language holds. */
const RUNS = {
	fi: {
		locale: 'fi-FI',
		prefix: 'Kampanjaklinikka',
		firstDigits: 3200000,
		header:
			'Nimi;Y-tunnus;OID;Soteri-numero;Katuosoite;Postinumero;Postitoimipaikka;Sektori;Palveluntuottajan tyyppi;Sopimuskieli;Yhteyshenkilö;Yhteyshenkilön sähköposti;Kutsuttavan nimi;Kutsuttavan sähköposti;Kutsuttavan rooli',
		city: 'Oulu',
		street: 'Kampanjakatu',
		sector: 'terveydenhuolto',
		provider: 'yksityinen',
		language: 'suomi',
		role: 'allekirjoittaja',
		person: 'Kaisa Kampanja',
		title: 'Toimitusjohtaja'
	},
	sv: {
		locale: 'sv-FI',
		prefix: 'Kampanjvård',
		firstDigits: 3300000,
		header:
			'Namn;FO-nummer;OID;Soteri-nummer;Gatuadress;Postnummer;Postort;Sektor;Typ av tjänsteproducent;Avtalsspråk;Kontaktperson;Kontaktpersonens e-post;Inbjudens namn;Inbjudens e-post;Inbjudens roll',
		city: 'Vasa',
		street: 'Kampanjgatan',
		sector: 'socialvård',
		provider: 'privat',
		language: 'svenska',
		role: 'undertecknare',
		person: 'Karin Kampanj',
		title: 'Verkställande direktör'
	}
} as const;

const TENANTS = 3;

for (const lang of ['fi', 'sv'] as const) {
	const run = RUNS[lang];
	const tenants = Array.from({ length: TENANTS }, (_, i) => {
		const id = businessId(run.firstDigits + i * 10);
		const slug = `${run.prefix
			.toLowerCase()
			.normalize('NFD')
			.replace(/[^a-z]/g, '')}${i + 1}`;
		return {
			name: `${run.prefix} ${i + 1} Oy`,
			id,
			// The first tenant's signatory takes part in the journey; the others are only invited.
			person: i === 0 ? run.person : `${run.person} ${i + 1}`,
			email: `signer@${slug}.test`,
			row: [
				`${run.prefix} ${i + 1} Oy`,
				id,
				`1.2.246.10.${id.replace('-', '')}`,
				`SOTERI-2026-${id.slice(3, 7)}`,
				`${run.street} ${i + 1}`,
				'90100',
				run.city,
				run.sector,
				run.provider,
				run.language,
				i === 0 ? run.person : `${run.person} ${i + 1}`,
				`signer@${slug}.test`,
				i === 0 ? run.person : `${run.person} ${i + 1}`,
				`signer@${slug}.test`,
				run.role
			].join(';')
		};
	});
	const csv = Buffer.from('\uFEFF' + [run.header, ...tenants.map((x) => x.row)].join('\r\n') + '\r\n', 'utf8');

	/** A signed-in page of its own, in the run's language, so several people can take part in one journey. */
	async function as(browser: Browser, email: string): Promise<Page> {
		const context = await browser.newContext({ locale: run.locale });
		const page = await context.newPage();
		await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
		return page;
	}

	test(`campaign in ${lang}: import from a ; CSV → campaign → invited signatory signs → batch countersign → sealed`, async ({
		browser
	}) => {
		// Signing in as the demo administrator and signatory may wait for authenticator steps not yet used.
		test.setTimeout(120_000);
		const admin = await as(browser, 'admin@demo.test');

		// Import: preview, then import; every tenant new, every signatory invited.
		await admin.goto(`${DEMO_URL}/tenants/import`);
		await expect(admin.getByRole('heading', { level: 1, name: t(lang, 'tenant_import_title') })).toBeVisible();
		await admin.getByLabel(t(lang, 'tenant_import_file')).setInputFiles({ name: `${run.prefix}.csv`, mimeType: 'text/csv', buffer: csv });
		await admin.getByRole('button', { name: t(lang, 'tenant_import_check') }).click();
		await expect(admin.getByText(t(lang, 'tenant_import_counts', { new: TENANTS, change: 0, unchanged: 0, error: 0 }))).toBeVisible();
		await expectNoAxeViolations(admin);
		await admin.getByRole('button', { name: t(lang, 'tenant_import_confirm') }).click();
		await expect(admin.getByText(t(lang, 'tenant_import_done', { created: TENANTS, updated: 0, invited: TENANTS }))).toBeVisible();

		// The tenant list: find the imported tenants, tick them and start a campaign for them.
		await admin.goto(`${DEMO_URL}/tenants?q=${encodeURIComponent(run.prefix)}`);
		for (const tenant of tenants) await admin.getByLabel(t(lang, 'tenant_bulk_select_one', { name: tenant.name })).check();
		await expectNoAxeViolations(admin);
		await admin.getByRole('button', { name: t(lang, 'tenant_bulk_campaign') }).click();
		await admin.getByRole('button', { name: t(lang, 'tenant_bulk_campaign_confirm', { count: TENANTS }) }).click();
		await expect(admin.getByText(t(lang, 'campaign_chosen_count', { count: TENANTS }))).toBeVisible();
		for (const tenant of tenants) await expect(admin.getByLabel(tenant.name)).toBeChecked();
		const campaignName = `${run.prefix} 2027`;
		await admin.getByLabel(t(lang, 'campaign_field_name')).fill(campaignName);
		await admin.getByLabel(t(lang, 'campaign_field_message')).fill(`${run.prefix}: ${t(lang, 'campaign_list_intro')}`);
		await expectNoAxeViolations(admin);
		await admin.getByRole('button', { name: t(lang, 'campaign_create') }).click();
		await expect(admin.getByText(t(lang, 'campaign_created', { count: TENANTS }))).toBeVisible();
		await expect(admin.getByRole('heading', { name: campaignName })).toBeVisible();
		const campaignUrl = admin.url().split('?')[0];
		const count = (n: number, state: string) =>
			admin.getByRole('link', { name: `${n} ${t(lang, `campaign_state_${state}`)}`, exact: true });
		// The imported records hold everything the agreement needs: no draft has gaps.
		await expect(count(TENANTS, 'ready')).toBeVisible();
		await expect(count(0, 'gaps')).toBeVisible();
		await expectNoAxeViolations(admin);

		// Send every complete draft.
		await admin.getByRole('button', { name: t(lang, 'campaign_send_submit', { count: TENANTS }) }).click();
		await expect(admin.getByText(t(lang, 'campaign_sent', { count: TENANTS }))).toBeVisible();
		await expect(count(TENANTS, 'waiting')).toBeVisible();
		const tenantRow = admin.getByRole('row', { name: new RegExp(tenants[0].name) });
		await expect(tenantRow).toContainText(t(lang, 'campaign_state_waiting'));
		const agreementUrl = `${DEMO_URL}${await tenantRow.getByRole('link', { name: tenants[0].name }).getAttribute('href')}`;

		// The invitation waits in the outbox (no SMTP in the tests).
		await admin.goto(`${DEMO_URL}/outbox`);
		await expect(admin.getByRole('heading', { level: 1, name: t(lang, 'outbox_title') })).toBeVisible();
		const body = await admin
			.locator('article')
			.filter({ hasText: tenants[0].email })
			.filter({ hasText: '/invitation/' })
			.locator('.msg-body')
			.first()
			.innerText();
		const link = body.match(/https?:\/\/\S+\/invitation\/\S+/)?.[0];
		expect(link, 'the invitation carries a link').toBeTruthy();

		// The invited signatory sets a password and signs the tenant's agreement.
		const context = await browser.newContext({ locale: run.locale });
		const tenantSigner = await context.newPage();
		await tenantSigner.goto(link!);
		await expect(tenantSigner.getByRole('heading', { name: t(lang, 'invitation_title') })).toBeVisible();
		await expectNoAxeViolations(tenantSigner);
		const password = `${run.prefix} 2027 ${tenants[0].email}`;
		await tenantSigner.getByLabel(t(lang, 'field_new_password')).fill(password);
		await tenantSigner.getByLabel(t(lang, 'field_password_confirm')).fill(password);
		await tenantSigner.getByRole('button', { name: t(lang, 'invitation_submit') }).click();
		await tenantSigner.waitForURL((url) => !url.pathname.startsWith('/invitation'));
		await tenantSigner.goto(agreementUrl);
		await expectNoAxeViolations(tenantSigner);
		await tenantSigner.getByLabel(t(lang, 'agreement_typed_name')).fill(tenants[0].person);
		await tenantSigner.getByLabel(t(lang, 'field_title'), { exact: true }).fill(run.title);
		await tenantSigner.getByLabel(t(lang, 'agreement_password_step_up')).fill(password);
		await tenantSigner.getByRole('button', { name: t(lang, 'agreement_sign_submit'), exact: true }).click();
		await expect(tenantSigner.getByText(t(lang, 'agreement_signed_done'))).toBeVisible({ timeout: 15_000 });
		await context.close();

		// The main connector's signatory countersigns every tenant-signed agreement of the campaign at once.
		const mainSigner = await as(browser, 'signer@demo.test');
		await mainSigner.goto(campaignUrl);
		await expect(mainSigner.getByRole('link', { name: `1 ${t(lang, 'campaign_state_signed')}`, exact: true })).toBeVisible();
		await expectNoAxeViolations(mainSigner);
		await mainSigner.getByLabel(t(lang, 'agreement_typed_name')).fill('Sakari Signer');
		await mainSigner.getByLabel(t(lang, 'field_title'), { exact: true }).fill(run.title);
		await mainSigner.getByLabel(t(lang, 'agreement_password_step_up')).fill(DEMO_PASSWORD);
		await mainSigner.getByLabel(t(lang, 'two_factor_code_label')).fill(await freshTotp(DEMO_TOTP_SECRETS['signer@demo.test']));
		await mainSigner.getByRole('button', { name: t(lang, 'campaign_countersign_submit', { count: 1 }) }).click();
		await expect(mainSigner.getByText(t(lang, 'campaign_countersigned', { count: 1 }))).toBeVisible({ timeout: 15_000 });

		// Sealing runs after the response; the page shows it done once the sealed PDF exists.
		await expect(async () => {
			await mainSigner.goto(campaignUrl);
			await expect(mainSigner.getByText(t(lang, 'campaign_sealing_progress', { sealed: 1, total: 1 }))).toBeVisible({ timeout: 2_000 });
		}).toPass({ timeout: 45_000 });
		await expect(mainSigner.getByRole('progressbar')).toHaveAttribute('value', '1');
		await expect(mainSigner.getByRole('row', { name: new RegExp(tenants[0].name) })).toContainText(t(lang, 'campaign_state_countersigned'));
		// The campaign's counts: one countersigned, the others still waiting for their tenant.
		const signerCount = (n: number, state: string) =>
			mainSigner.getByRole('link', { name: `${n} ${t(lang, `campaign_state_${state}`)}`, exact: true });
		await expect(signerCount(1, 'countersigned')).toBeVisible();
		await expect(signerCount(TENANTS - 1, 'waiting')).toBeVisible();
		await expect(signerCount(0, 'signed')).toBeVisible();
		await expect(signerCount(0, 'gaps')).toBeVisible();
		await expectNoAxeViolations(mainSigner);

		// The sealed agreement itself: offered as sealed, and the file downloaded is the one whose hash the page shows.
		await mainSigner.goto(agreementUrl);
		await expect(mainSigner.getByRole('link', { name: t(lang, 'agreement_open_sealed') })).toBeVisible();
		await expect(mainSigner.getByText(t(lang, 'agreement_sealed_sha'))).toBeVisible();
		const shown = (await mainSigner.locator('code.hash').innerText()).trim();
		const pdf = await mainSigner.request.get(`${agreementUrl}/pdf?download`);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		const sealed = await pdf.body();
		expect(sealed.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(createHash('sha256').update(sealed).digest('hex')).toBe(shown);
		await expectNoAxeViolations(mainSigner);
	});
}
