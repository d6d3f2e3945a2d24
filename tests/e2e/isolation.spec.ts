import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { DEMO_DIR, DEMO_PASSWORD, DEMO_URL, expect, signIn, test } from './fixtures';
import { discoverRoutes } from './routes';

/**
 * Proof of isolation: every route of the app, found from the routes folder (so a new route cannot
 * be forgotten), is requested by each of tenant 1's people with real ids of tenant 2's data, for
 * reading and for every form action. None may answer with tenant 2's data or carry out an action.
 */

const OTHER_TENANT_NAME = 'Kotihoito Aalto Oy';
const OTHER_TENANT_MARKERS = [OTHER_TENANT_NAME, '2345678-0', 'tenant2.demo.test', 'Tenant 2 '];

interface Ids {
	tenant: string;
	agreement: string;
	certificate: string;
	evidence: string;
	incident: string | null;
	instruction: string | null;
	trainingRecord: string | null;
	/** A risk of tenant 2's own information-security plan. */
	securityRisk: string | null;
}

/** Real ids of tenant 2's data, read from the demo server's database. */
function otherTenantIds(): Ids {
	const db = new Database(join(DEMO_DIR, 'liitos.db'), { readonly: true, fileMustExist: true });
	try {
		const one = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T | undefined;
		const tenant = one<{ id: string }>('select id from tenant where name = ?', OTHER_TENANT_NAME)!.id;
		const hasTable = (name: string) =>
			one<{ n: number }>("select count(*) as n from sqlite_master where type = 'table' and name = ?", name)!.n > 0;
		return {
			tenant,
			agreement: one<{ id: string }>('select id from agreement where tenant_id = ?', tenant)!.id,
			certificate: one<{ id: string }>('select id from certificate where tenant_id = ?', tenant)!.id,
			evidence: one<{ id: string }>('select id from evidence_file where tenant_id = ?', tenant)!.id,
			// The reports concerning tenant 2, whoever filed them.
			incident: hasTable('incident_tenant')
				? (one<{ id: string }>('select report_id as id from incident_tenant where tenant_id = ?', tenant)?.id ?? null)
				: null,
			instruction: hasTable('instruction_tenant')
				? (one<{ id: string }>(
						'select instruction_id as id from instruction_tenant where tenant_id = ? and instruction_id not in (select instruction_id from instruction_tenant where tenant_id <> ?)',
						tenant,
						tenant
					)?.id ?? null)
				: null,
			trainingRecord:
				one<{ id: string }>('select id from training_record where tenant_id = ? order by evidence_path is null', tenant)?.id ?? null,
			securityRisk:
				one<{ id: string }>('select r.id from security_plan_risk r join security_plan p on p.id = r.plan_id where p.tenant_id = ?', tenant)
					?.id ?? null
		};
	} finally {
		db.close();
	}
}

/**
 * How each route's parameters are filled to point at tenant 2's data, or why the route holds no
 * tenant's data of its own (it is still requested, and its answer still checked for leaks).
 * A route missing from this table fails the test: classify it when you add it.
 */
const ROUTE_TARGETS: Record<string, ((ids: Ids) => string | null) | { global: string }> = {
	'/': { global: 'own home page' },
	'/account': { global: 'own account' },
	'/agreements': { global: 'main connector list' },
	'/agreements/[id=uuid]': (ids) => `/agreements/${ids.agreement}`,
	'/agreements/[id=uuid]/pdf': (ids) => `/agreements/${ids.agreement}/pdf`,
	'/agreements/new': { global: 'administrators only' },
	'/agreements/templates': { global: 'templates are not tenant data' },
	'/agreements/campaigns': { global: 'main connector people only' },
	'/agreements/campaigns/new': { global: 'administrators only' },
	'/agreements/campaigns/[id=uuid]': { global: 'a campaign spans many tenants: main connector people only' },
	'/agreements/campaigns/[id=uuid]/export.csv': { global: 'a campaign spans many tenants: main connector people only' },
	'/audit': { global: 'scoped to the reader' },
	'/certificates': { global: 'scoped to the reader' },
	'/certificates/[id=uuid]': (ids) => `/certificates/${ids.certificate}`,
	'/certificates/export.csv': { global: 'scoped to the reader' },
	'/certificates/new': { global: 'certificate keepers only' },
	'/certificates/settings': { global: 'certificate keepers only' },
	'/evidence/[id=uuid]': (ids) => `/evidence/${ids.evidence}`,
	'/notifications': { global: 'own notifications' },
	'/organisation': { global: 'main connector only' },
	'/organisation/information-systems': { global: 'main connector administrators only' },
	'/outbox': { global: 'administrators only' },
	'/prerequisites': { global: 'catalogue, administrators only' },
	'/prerequisites/[id=uuid]': { global: 'catalogue entry, administrators only' },
	'/prerequisites/new': { global: 'administrators only' },
	'/services': { global: 'catalogue, administrators only' },
	'/tenants': { global: 'main connector list' },
	'/tenants/[id=uuid]': (ids) => `/tenants/${ids.tenant}`,
	'/tenants/[id=uuid]/checklist': (ids) => `/tenants/${ids.tenant}/checklist`,
	'/tenants/[id=uuid]/edit': (ids) => `/tenants/${ids.tenant}/edit`,
	'/tenants/[id=uuid]/instructions': (ids) => `/tenants/${ids.tenant}/instructions`,
	'/tenants/[id=uuid]/training': (ids) => `/tenants/${ids.tenant}/training`,
	'/tenants/new': { global: 'administrators only' },
	'/tenants/import': { global: 'main connector administrators only' },
	'/tenants/export.csv': {
		global: "POST only, from the tenant list's confirmation; main connector administrators only (tenant-bulk.spec.ts)"
	},
	'/tenants/import/template.csv': { global: 'column headers only, main connector administrators only' },
	'/tenants/import/template.xlsx': { global: 'column headers only, main connector administrators only' },
	'/tenants/import/rejected.csv': { global: 'echoes the posted file only, main connector administrators only' },
	'/verify': { global: 'answers only about agreements the reader may see' },
	'/incidents': { global: 'scoped to the reader' },
	'/incidents/new': { global: 'own report form' },
	'/incidents/[id=uuid]': (ids) => (ids.incident ? `/incidents/${ids.incident}` : null),
	'/incidents/export.csv': { global: 'scoped to the reader' },
	'/announcements': { global: 'administrators only' },
	'/announcements/[id=uuid]': { global: 'administrators only' },
	'/instructions': { global: 'administrators only' },
	'/instructions/new': { global: 'administrators only' },
	'/instructions/[id=uuid]': (ids) => (ids.instruction ? `/instructions/${ids.instruction}` : null),
	'/instructions/[id=uuid]/coverage.csv': (ids) => (ids.instruction ? `/instructions/${ids.instruction}/coverage.csv` : null),
	'/instructions/[id=uuid]/attachment/[version]': (ids) => (ids.instruction ? `/instructions/${ids.instruction}/attachment/1` : null),
	'/my-instructions': { global: 'own instructions' },
	'/search': { global: 'scoped to the reader (search.test.ts, search.spec.ts)' },
	'/my-instructions/[id=uuid]': (ids) => (ids.instruction ? `/my-instructions/${ids.instruction}` : null),
	'/training': { global: 'modules, administrators only' },
	'/training/new': { global: 'administrators only' },
	'/training/[id=uuid]': { global: 'training module, administrators only' },
	'/training/records/[id=uuid]/evidence': (ids) => (ids.trainingRecord ? `/training/records/${ids.trainingRecord}/evidence` : null),
	'/my-training': { global: 'own records' },
	'/security-plan': { global: "the reader's own organisation's confidential plan, resolved from the session" },
	'/security-plan/binding': { global: "the sections of the main connector's plan that bind every tenant alike" },
	'/security-plan/export.pdf': { global: "the reader's own organisation's confidential plan, resolved from the session" },
	'/security-plan/[requirement=requirement]': { global: "the reader's own organisation's plan; the id is the framework's" },
	'/security-plan/[requirement=requirement]/documents/[id=uuid]': {
		global: "files of the reader's own organisation's plan, looked up within that plan only (tenant-plans.test.ts)"
	},
	'/security-plan/export.csv': { global: "the reader's own organisation's confidential plan, resolved from the session" },
	'/security-plan/risks': { global: "the reader's own organisation's risk register, resolved from the session" },
	'/security-plan/risks/export.csv': { global: "the reader's own organisation's risk register, resolved from the session" },
	'/security-plan/risks/[id=uuid]': (ids) => (ids.securityRisk ? `/security-plan/risks/${ids.securityRisk}` : null),
	'/security-plan/versions': { global: "the reader's own organisation's plan versions, resolved from the session" },
	'/security-plan/follow-up': { global: "the reader's own organisation's follow-up log, resolved from the session" },
	'/security-plan/frameworks': { global: "the regulation's structure, no organisation's data; main connector administrators only" },
	'/tenants/[id=uuid]/security-plan': (ids) => `/tenants/${ids.tenant}/security-plan`,
	'/tenants/[id=uuid]/security-plan/export.pdf': (ids) => `/tenants/${ids.tenant}/security-plan/export.pdf`,
	'/tenants/[id=uuid]/security-plan/risks/export.csv': (ids) => `/tenants/${ids.tenant}/security-plan/risks/export.csv`,
	'/tenants/[id=uuid]/instructions/coverage.csv': (ids) => `/tenants/${ids.tenant}/instructions/coverage.csv`,
	// Outside the signed-in portal.
	'/login': { global: 'public' },
	'/two-factor': { global: 'own sign-in step' },
	'/two-factor/setup': { global: 'own authenticator' },
	'/logout': { global: 'own session' },
	'/login/oidc/[provider]': { global: 'starts single sign-on; no data (oidc.spec.ts)' },
	'/organisation/single-sign-on': { global: 'main connector administrators only (sso.manage)' },
	'/oidc/callback': { global: 'own sign-in or signature transaction; no data (oidc.spec.ts)' },
	'/language': { global: 'own preference' },
	'/healthz': { global: 'public' },
	'/setup': { global: 'gone after setup' },
	'/password-reset': { global: 'public' },
	'/password-reset/[token]': { global: 'token link' },
	'/invitation/[token]': { global: 'token link' },
	'/calendar/[token]': { global: 'token feed' },
	'/api-tokens': { global: "own organisation's tokens" },
	'/webhooks': { global: "own organisation's endpoints (a tenant's receive its own events only)" },
	// The integration API ignores cookies (401 here); tokens are checked against tenant 2's ids in api.spec.ts.
	'/api/v1/tenants': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/tenants/[id]': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/tenants/[id]/people': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/tenants/[id]/checklist': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/tenants/[id]/agreements': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/agreements/[id]': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/agreements/[id]/pdf': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/certificates': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/certificates/[id]': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/incidents': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/instructions': { global: 'bearer token only, see api.spec.ts' },
	'/api/v1/security-plan': { global: "bearer token only, the main connector's; see api.spec.ts" },
	'/api/v1/[...rest]': { global: 'unknown API routes' },
	'/api/v1/openapi.json': { global: 'public description, no data' },
	'/api/v1/docs': { global: 'public reference, no data' }
};

const routes = discoverRoutes();
const TENANT_PEOPLE = ['admin@tenant1.demo.test', 'signer@tenant1.demo.test', 'staff1@tenant1.demo.test'];

test('every route is classified for the isolation check', () => {
	const unclassified = routes.map((r) => r.pattern).filter((pattern) => !(pattern in ROUTE_TARGETS));
	expect(unclassified, 'add these routes to ROUTE_TARGETS in tests/e2e/isolation.spec.ts').toEqual([]);
});

function leaks(body: string): string[] {
	return OTHER_TENANT_MARKERS.filter((marker) => body.includes(marker));
}

async function check(request: APIRequestContext, who: string, ids: Ids) {
	const problems: string[] = [];
	for (const route of routes) {
		const target = ROUTE_TARGETS[route.pattern];
		if (!target || route.pattern.startsWith('/logout') || route.pattern === '/language') continue;
		const url = typeof target === 'function' ? target(ids) : route.pattern.includes('[') ? null : route.pattern;
		if (!url) continue;
		const response = await request.get(`${DEMO_URL}${url}`, { maxRedirects: 0 });
		const body = await response.text();
		if (typeof target === 'function' && ![403, 404].includes(response.status())) problems.push(`${who} GET ${url} → ${response.status()}`);
		if (response.status() === 200 && leaks(body).length) problems.push(`${who} GET ${url} shows ${leaks(body).join(', ')}`);
		for (const action of route.actions) {
			if (typeof target !== 'function') continue;
			const post = await request.post(action === 'default' ? `${DEMO_URL}${url}` : `${DEMO_URL}${url}?/${action}`, {
				form: { itemId: crypto.randomUUID() },
				headers: { origin: DEMO_URL, accept: 'text/html' },
				maxRedirects: 0
			});
			if (![403, 404].includes(post.status())) problems.push(`${who} POST ${url}?/${action} → ${post.status()}`);
		}
	}
	return problems;
}

test('tenant 1’s people cannot read or change tenant 2’s data through any route', async ({ browser }) => {
	test.setTimeout(180_000);
	const ids = otherTenantIds();
	const problems: string[] = [];
	let requests = 0;
	for (const email of TENANT_PEOPLE) {
		const context = await browser.newContext({ locale: 'en-GB' });
		const page = await context.newPage();
		await signIn(page, DEMO_URL, email, DEMO_PASSWORD);
		problems.push(...(await check(context.request, email, ids)));
		requests += routes.length;
		await context.close();
	}
	expect(requests).toBeGreaterThan(50);
	expect(problems).toEqual([]);
});

test('signed-out visitors reach no data', async ({ request }) => {
	const ids = otherTenantIds();
	const problems: string[] = [];
	for (const route of routes) {
		const target = ROUTE_TARGETS[route.pattern];
		const url = typeof target === 'function' ? target(ids) : route.pattern.includes('[') ? null : route.pattern;
		if (!url || ['/logout', '/language'].includes(url)) continue;
		const response = await request.get(`${DEMO_URL}${url}`, { maxRedirects: 0 });
		if (response.status() === 200 && leaks(await response.text()).length) problems.push(`GET ${url} shows tenant data`);
		if (typeof target === 'function' && ![303, 401, 403, 404].includes(response.status()))
			problems.push(`GET ${url} → ${response.status()}`);
	}
	expect(problems).toEqual([]);
});
