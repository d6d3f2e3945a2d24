import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Page } from '@playwright/test';
import fc from 'fast-check';
import { DEMO_DIR, DEMO_PASSWORD, DEMO_URL, expect, expectNoAxeViolations, navTo, signIn, test } from './fixtures';

/**
 * The integration API: tokens made on the administration page, and what a token can and cannot
 * read. A tenant's token is tried with the other tenant's real ids on every API route.
 */

const OTHER_TENANT_MARKERS = ['Kotihoito Aalto Oy', '2345678-0', 'tenant2.demo.test'];

function demoIds() {
	const db = new Database(join(DEMO_DIR, 'liitos.db'), { readonly: true, fileMustExist: true });
	try {
		const id = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { id: string }).id;
		const own = id("select id from tenant where name = 'Fysioterapia Lahtinen'");
		const other = id("select id from tenant where name = 'Kotihoito Aalto Oy'");
		return {
			own,
			other,
			ownSealed: id('select id from agreement where tenant_id = ? and sealed_path is not null', own),
			otherAgreement: id('select id from agreement where tenant_id = ?', other),
			otherCertificate: id('select id from certificate where tenant_id = ?', other)
		};
	} finally {
		db.close();
	}
}

/** Creates a token on the page (all offered scopes unless named) and returns it as shown once. */
async function createToken(page: Page, name: string, scopes?: string[]): Promise<string> {
	await page.getByLabel('Name', { exact: true }).fill(name);
	const boxes = page.getByRole('group', { name: 'Permissions' }).getByRole('checkbox');
	for (const box of await boxes.all()) {
		const label = (await box.evaluate((el) => el.parentElement?.textContent ?? '')).trim();
		if (!scopes || scopes.includes(label)) await box.check();
	}
	await page.getByRole('button', { name: 'Create token' }).click();
	const token = await page.getByLabel('Copy the token now').inputValue();
	expect(token).toMatch(/^liitos_[a-z2-7]{32}$/);
	return token;
}

test('a tenant administrator makes a read token; it reads its own tenant and nothing of another', async ({ browser, request }) => {
	test.setTimeout(120_000);
	const ids = demoIds();
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@tenant1.demo.test', DEMO_PASSWORD);
	await navTo(page, 'API tokens');
	await expect(page.getByRole('heading', { name: 'Integration API tokens' })).toBeVisible();
	// A tenant's administrator is offered read scopes only, and never the main connector's plan.
	await expect(page.getByRole('checkbox', { name: 'Certificates: add' })).toHaveCount(0);
	await expect(page.getByRole('checkbox', { name: 'Information-security plan status: read' })).toHaveCount(0);
	await expectNoAxeViolations(page);

	// Nothing chosen: the form answers beside the field and keeps the name.
	await page.getByLabel('Name', { exact: true }).fill('Without scopes');
	await page.getByRole('button', { name: 'Create token' }).click();
	await expect(page.getByText('Choose at least one permitted scope.')).toBeVisible();
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Without scopes');

	const token = await createToken(page, 'Patient system');
	await expectNoAxeViolations(page);
	const auth = { authorization: `Bearer ${token}` };
	const get = (path: string) => request.get(`${DEMO_URL}/api/v1${path}`, { headers: auth, maxRedirects: 0 });

	// Its own tenant.
	const own = await get(`/tenants/${ids.own}`);
	expect(own.status()).toBe(200);
	expect(await own.json()).toMatchObject({ id: ids.own, stage: 'in_production' });
	expect((await get(`/tenants/${ids.own}/people`)).status()).toBe(200);
	expect((await (await get(`/tenants/${ids.own}/checklist`)).json()).tenantId).toBe(ids.own);
	const sealed = await get(`/agreements/${ids.ownSealed}/pdf`);
	expect(sealed.status()).toBe(200);
	expect(sealed.headers()['content-type']).toBe('application/pdf');
	expect((await sealed.body()).subarray(0, 5).toString()).toBe('%PDF-');

	// Every route with the other tenant's ids: 404, and no trace of it anywhere.
	const foreign = [
		`/tenants/${ids.other}`,
		`/tenants/${ids.other}/people`,
		`/tenants/${ids.other}/checklist`,
		`/tenants/${ids.other}/agreements`,
		`/agreements/${ids.otherAgreement}`,
		`/agreements/${ids.otherAgreement}/pdf`,
		`/certificates?tenantId=${ids.other}`,
		`/certificates/${ids.otherCertificate}`
	];
	for (const path of foreign) {
		const response = await get(path);
		expect(response.status(), path).toBe(404);
		expect(response.headers()['content-type']).toBe('application/problem+json');
	}
	for (const path of ['/certificates', '/instructions', `/tenants/${ids.own}/people`]) {
		const body = await (await get(path)).text();
		expect(
			OTHER_TENANT_MARKERS.filter((marker) => body.includes(marker)),
			path
		).toEqual([]);
	}
	// Listing tenants: a tenant's token sees only its own.
	const listed = await get('/tenants');
	expect(listed.status()).toBe(200);
	expect((await listed.json()).data.map((t: { id: string }) => t.id)).toEqual([ids.own]);
	// The main connector's plan is not a tenant's (the scope cannot be given to its token).
	expect((await get('/security-plan')).status()).toBe(403);
	// ETags: the same answer again is a 304 without a body.
	const etag = own.headers()['etag'];
	expect(etag).toMatch(/^"[\w-]+"$/);
	const again = await request.get(`${DEMO_URL}/api/v1/tenants/${ids.own}`, { headers: { ...auth, 'if-none-match': etag } });
	expect(again.status()).toBe(304);
	expect((await again.body()).length).toBe(0);
	const listEtag = listed.headers()['etag'];
	expect((await request.get(`${DEMO_URL}/api/v1/tenants`, { headers: { ...auth, 'if-none-match': listEtag } })).status()).toBe(304);
	expect((await request.get(`${DEMO_URL}/api/v1/tenants`, { headers: { ...auth, 'if-none-match': '"stale"' } })).status()).toBe(200);

	// The tenant's own webhook address: told it hears of its own organisation only.
	await navTo(page, 'Webhooks');
	await expect(page.getByText('The addresses receive only events about your own organisation.')).toBeVisible();
	await page.getByLabel('Address', { exact: true }).fill('https://hooks.tenant1.example.invalid/liitos');
	await page.getByRole('checkbox', { name: 'Checklist item verified' }).check();
	await page.getByRole('button', { name: 'Add address' }).click();
	await expect(page.getByLabel(/Signing secret/)).toHaveValue(/^whsec_/);
	await expect(page.getByRole('region', { name: 'Receiving addresses' })).toContainText('hooks.tenant1.example.invalid');
	await expectNoAxeViolations(page);

	// Revoking asks first; afterwards the token is refused.
	await navTo(page, 'API tokens');
	await page.getByText('Revoke Patient system').click();
	await expect(page.getByText('Revoke token Patient system?')).toBeVisible();
	await page.getByRole('button', { name: 'Revoke token' }).click();
	await expect(page.getByText('The token was revoked.')).toBeVisible();
	await expect(page.getByRole('row', { name: /Patient system/ })).toContainText('Revoked');
	expect((await get(`/tenants/${ids.own}`)).status()).toBe(401);
	await context.close();
});

test('the API answers in problem details: no token, a session cookie, malformed input', async ({ browser, request }) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(90_000);
	const ids = demoIds();
	const noToken = await request.get(`${DEMO_URL}/api/v1/tenants`);
	expect(noToken.status()).toBe(401);
	expect(noToken.headers()['www-authenticate']).toContain('Bearer');
	expect(await noToken.json()).toMatchObject({ status: 401, title: 'Unauthorized' });

	// A signed-in browser's cookie does not open the API.
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	expect((await context.request.get(`${DEMO_URL}/api/v1/tenants/${ids.own}`)).status()).toBe(401);

	await navTo(page, 'API tokens');
	const token = await createToken(page, 'Reporting', ['Tenants: read', 'Agreements: read', 'Information-security plan status: read']);
	await context.close();
	const auth = { authorization: `Bearer ${token}` };
	const get = (path: string) => request.get(`${DEMO_URL}/api/v1${path}`, { headers: auth });

	const badId = await get('/tenants/not-a-uuid');
	expect(badId.status()).toBe(400);
	expect(badId.headers()['content-type']).toBe('application/problem+json');
	const badQuery = await get('/tenants?stage=nonsense&limit=0&colour=red');
	expect(badQuery.status()).toBe(400);
	const paths = ((await badQuery.json()).errors as { path: string }[]).map((e) => e.path).sort();
	expect(paths).toEqual(['(root)', 'limit', 'stage']);
	expect((await get('/tenants?cursor=garbage')).status()).toBe(400);
	expect((await get('/nothing-here')).status()).toBe(404);
	// Outside the token's scopes.
	expect((await get('/certificates')).status()).toBe(403);

	// The main connector's token: tenants in production, walked one page at a time.
	const seen: string[] = [];
	let cursor: string | null = '';
	while (cursor !== null) {
		const page: { data: { id: string; stage: string }[]; nextCursor: string | null } = await (
			await get(`/tenants?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
		).json();
		seen.push(...page.data.map((t) => t.id));
		cursor = page.nextCursor;
	}
	expect(seen.length).toBeGreaterThanOrEqual(3);
	expect(new Set(seen).size).toBe(seen.length);
	const inProduction = await (await get('/tenants?stage=in_production')).json();
	expect(inProduction.data.map((t: { id: string }) => t.id)).toEqual([ids.own]);

	// The plan's status: counts by chapter, none of its text.
	const plan = await get('/security-plan');
	expect(plan.status()).toBe(200);
	const status = await plan.json();
	expect(status).toMatchObject({ counts: { not_described: expect.any(Number) }, progress: expect.any(Number) });
	expect(Object.keys(status).sort()).toEqual(['counts', 'dueForReview', 'framework', 'progress', 'sections', 'started']);
});

test('the OpenAPI document and the reference page are public and readable', async ({ page, request }) => {
	const doc = await request.get(`${DEMO_URL}/api/v1/openapi.json`);
	expect(doc.status()).toBe(200);
	const json = await doc.json();
	expect(json.openapi).toBe('3.1.0');
	expect(Object.keys(json.paths)).toContain('/tenants/{id}');
	await page.goto(`${DEMO_URL}/api/v1/docs`);
	await expect(page.getByRole('heading', { name: 'GET /tenants/{id}', exact: true })).toBeVisible();
	await expectNoAxeViolations(page);
});

/** A fresh self-signed certificate and its key, as openssl makes them. */
function makeCertificate(commonName: string) {
	const dir = mkdtempSync(join(tmpdir(), 'liitos-api-cert-'));
	const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')];
	const result = spawnSync('openssl', [...args, '-days', '20', '-subj', `/CN=${commonName}/O=Demo/C=FI`], { encoding: 'utf8' });
	expect(result.status, result.stderr).toBe(0);
	return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
}

test('a main connector token adds a certificate (refusing a key) and reports an incident', async ({ browser, request }) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(90_000);
	const ids = demoIds();
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await navTo(page, 'API tokens');
	const token = await createToken(page, 'Service desk', ['Certificates: read', 'Certificates: add', 'Incidents: report']);
	await context.close();
	const post = (path: string, data: unknown) =>
		request.post(`${DEMO_URL}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` }, data, maxRedirects: 0 });

	const { cert, key } = makeCertificate('api.demo.test');
	const keyRefused = await post('/certificates', { kind: 'server', holder: { type: 'main_connector' }, pem: cert + key });
	expect(keyRefused.status()).toBe(422);
	expect((await keyRefused.json()).detail).toContain('private key');
	expect((await keyRefused.text()).includes('PRIVATE KEY')).toBe(false);
	const wrongHolder = await post('/certificates', { kind: 'server', holder: { type: 'tenant', tenantId: crypto.randomUUID() }, pem: cert });
	expect(wrongHolder.status()).toBe(422);
	const malformed = await request.post(`${DEMO_URL}/api/v1/certificates`, {
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		data: '{"kind": "server", '
	});
	expect(malformed.status()).toBe(400);
	const invalid = await post('/certificates', { kind: 'professional_card', holder: { type: 'main_connector' } });
	expect(invalid.status()).toBe(400);
	expect(((await invalid.json()).errors as { path: string }[]).map((e) => e.path)).toEqual(['kind']);
	const noFile = await post('/certificates', { kind: 'server', holder: { type: 'main_connector' } });
	expect(((await noFile.json()).errors as { path: string }[]).map((e) => e.path)).toEqual(['pem']);

	const added = await post('/certificates', { kind: 'server', holder: { type: 'tenant', tenantId: ids.own }, pem: cert, reference: 'API' });
	expect(added.status()).toBe(201);
	const certificate = await added.json();
	expect(certificate).toMatchObject({ kind: 'server', tenantId: ids.own, subject: expect.stringContaining('api.demo.test') });
	expect((await request.get(`${DEMO_URL}${added.headers()['location']}`, { headers: { authorization: `Bearer ${token}` } })).status()).toBe(
		200
	);
	expect((await post('/certificates', { kind: 'server', holder: { type: 'tenant', tenantId: ids.own }, pem: cert })).status()).toBe(409);
	const expiring = await (
		await request.get(`${DEMO_URL}/api/v1/certificates?expiringWithinDays=30&tenantId=${ids.own}`, {
			headers: { authorization: `Bearer ${token}` }
		})
	).json();
	expect(expiring.data.map((c: { id: string }) => c.id)).toContain(certificate.id);

	const reported = await post('/incidents', {
		kind: 'system_disturbance',
		noticedAt: new Date(Date.now() - 60_000).toISOString(),
		description: 'Integration test: the patient system lost its connection.',
		reporterName: 'Service desk',
		reporterContact: 'desk@demo.test',
		tenantIds: [ids.own]
	});
	expect(reported.status()).toBe(201);
	expect(await reported.json()).toMatchObject({ kind: 'system_disturbance', status: 'received' });
	const nobody = await post('/incidents', {
		kind: 'other',
		noticedAt: new Date().toISOString(),
		description: 'x',
		reporterName: 'x',
		reporterContact: 'x'
	});
	expect(nobody.status()).toBe(422);
});

/** The API's write routes, read from the routes folder so a new one cannot be left out. */
function writeRoutes(): string[] {
	const root = join(process.cwd(), 'src', 'routes', 'api', 'v1');
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const full = join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name === '+server.ts' && /export const POST\b/.test(readFileSync(full, 'utf8')))
				found.push('/' + relative(root, dir).split(sep).join('/'));
		}
	};
	walk(root);
	return found;
}

test('malformed JSON to every write route never causes a 5xx', async ({ browser, request }) => {
	test.setTimeout(180_000);
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await navTo(page, 'API tokens');
	const token = await createToken(page, 'Fuzz');
	await context.close();
	const routes = writeRoutes();
	expect(routes.sort()).toEqual(['/certificates', '/incidents']);
	const json = fc.oneof(
		fc.string({ maxLength: 200 }),
		fc.json({ maxDepth: 3 }),
		fc
			.record({
				kind: fc.string(),
				holder: fc.anything(),
				pem: fc.string(),
				der: fc.string(),
				noticedAt: fc.string(),
				tenantIds: fc.anything()
			})
			.map((v) => JSON.stringify(v))
	);
	const failures: string[] = [];
	for (const route of routes) {
		await fc.assert(
			fc.asyncProperty(json, fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8'), async (body, type) => {
				const response = await request.post(`${DEMO_URL}/api/v1${route}`, {
					headers: { authorization: `Bearer ${token}`, 'content-type': type },
					data: body,
					maxRedirects: 0
				});
				if (response.status() >= 500) failures.push(`${route} ${body.slice(0, 120)} → ${response.status()}`);
				// 403: SvelteKit's own cross-site check refuses form-typed posts (text/plain) without an
				// Origin before any hook runs; a refusal all the same.
				expect([400, 403, 409, 413, 415, 422, 429]).toContain(response.status());
			}),
			{ numRuns: 50 }
		);
	}
	expect(failures).toEqual([]);
});

test('an administrator registers a webhook address; an incident reported through the API is queued for it', async ({
	browser,
	request
}) => {
	// Signing in as the demo administrator may wait up to 30 s for an authenticator step not yet used.
	test.setTimeout(90_000);
	const ids = demoIds();
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@demo.test', DEMO_PASSWORD);
	await navTo(page, 'Webhooks');
	await expect(page.getByRole('heading', { name: 'Event notifications (webhooks)' })).toBeVisible();
	await expect(page.getByText('hooks.tenant1.example.invalid')).toHaveCount(0);
	await expectNoAxeViolations(page);

	// The server runs in production mode here: plain HTTP is refused, even to this machine.
	await page.getByLabel('Address', { exact: true }).fill('http://localhost:9999/hook');
	await page.getByRole('checkbox', { name: 'Incident reported' }).check();
	await page.getByRole('button', { name: 'Add address' }).click();
	await expect(page.getByText('The address must be HTTPS')).toBeVisible();
	await expect(page.getByLabel('Address', { exact: true })).toHaveValue('http://localhost:9999/hook');

	await page.getByLabel('Address', { exact: true }).fill('https://hooks.example.invalid/liitos');
	await page.getByRole('checkbox', { name: 'Incident reported' }).check();
	await page.getByRole('button', { name: 'Add address' }).click();
	await expect(page.getByLabel(/Signing secret/)).toHaveValue(/^whsec_/);
	await expectNoAxeViolations(page);
	// Every event of issue #19 can be chosen; the address starts enabled.
	for (const event of [
		'Agreement signed by the tenant',
		'Certificate expired',
		'Checklist item verified',
		'Instruction acknowledged by a person'
	])
		await expect(page.getByRole('checkbox', { name: event })).toBeVisible();
	await expect(
		page.getByRole('region', { name: 'Receiving addresses' }).getByRole('row', { name: /hooks\.example\.invalid/ })
	).toContainText('Active');

	await navTo(page, 'API tokens');
	const token = await createToken(page, 'Webhook trigger', ['Incidents: report']);
	const reported = await request.post(`${DEMO_URL}/api/v1/incidents`, {
		headers: { authorization: `Bearer ${token}` },
		data: {
			kind: 'other',
			noticedAt: new Date().toISOString(),
			description: 'Queued for the webhook.',
			reporterName: 'Test',
			reporterContact: 'test@demo.test',
			tenantIds: [ids.own]
		}
	});
	expect(reported.status()).toBe(201);
	await navTo(page, 'Webhooks');
	const row = page
		.getByRole('region', { name: 'Delivery log' })
		.getByRole('row', { name: /Incident reported/ })
		.first();
	await expect(row).toContainText('hooks.example.invalid');
	await expect(row).toContainText('Pending');

	await page.getByText('Remove https://hooks.example.invalid/liitos').click();
	await page.getByRole('button', { name: 'Remove address' }).click();
	await expect(page.getByText('The address was removed.')).toBeVisible();
	await context.close();
});
