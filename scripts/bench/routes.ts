/**
 * Every GET route of the portal, found from the routes folder as the isolation test finds them (so a
 * new route cannot be left out), requested with real ids from the bench data set by the person who
 * uses it: the main connector's administrator, or a tenant's administrator or staff member.
 *
 * A route missing from VISITS is reported as unmeasured, and so is a visit whose data the bench
 * data set lacks: both show in the table, neither passes silently.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { discoverRoutes, type DiscoveredRoute } from '../../tests/e2e/routes';
import { openDatabase } from '../../src/lib/server/db';
import { createCalendarToken } from '../../src/lib/server/calendar/feed';
import { percentile } from './latency';
import { addOneOfEach } from './dataset/extras';
import { addRouteExtras } from './dataset/route-extras';

export type Role =
	| 'main connector admin'
	| 'tenant admin'
	| 'largest tenant admin'
	| 'tenant staff'
	| 'signed out'
	/** An integration with the main connector's API token: no cookie, `Authorization: Bearer`. */
	| 'api client';

export interface RouteIds {
	tenant: string;
	agreement: string;
	tenantAgreement: string | null;
	certificate: string | null;
	instructionChosen: string;
	instructionAll: string;
	attachment: { instruction: string; version: number } | null;
	trainingModule: string | null;
	trainingRecord: string | null;
	prerequisite: string | null;
	evidence: string | null;
	incident: string | null;
	announcement: string | null;
	calendarToken: string;
	tenantAdmin: { id: string; email: string };
	tenantStaff: { id: string; email: string };
	/** The tenant with the most people, and its administrator. */
	largestTenant: { id: string; people: number; admin: { id: string; email: string } };
	campaign: string;
	requirement: string;
	planDocument: string;
	risk: string;
	sealedAgreement: string;
	apiTokens: string[];
}

interface Visit {
	as: Role;
	/** The path to request, or null with `missing` when the data set has no such row. */
	path: (ids: RouteIds) => string | null;
	note?: string;
	/** The answer expected, when not 200 (an unknown token's page is a 404). */
	status?: number;
	/** Measure after every other route. */
	last?: boolean;
}

type Plan = Visit[] | { skip: string };

const mc = (path: string | ((ids: RouteIds) => string | null), note?: string): Visit => ({
	as: 'main connector admin',
	path: typeof path === 'string' ? () => path : path,
	note
});
const as = (role: Role, path: string | ((ids: RouteIds) => string | null), note?: string): Visit => ({
	as: role,
	path: typeof path === 'string' ? () => path : path,
	note
});

const api = (path: string | ((ids: RouteIds) => string | null), note?: string): Visit => as('api client', path, note);

/** Who opens each route, and with which ids. Add a new route here (the table says when one is missing). */
export const VISITS: Record<string, Plan> = {
	'/': [mc('/'), as('tenant admin', '/'), as('largest tenant admin', '/', 'the tenant with the most people'), as('tenant staff', '/')],
	'/account': [mc('/account'), as('tenant staff', '/account')],
	'/agreements': [mc('/agreements')],
	'/agreements/[id=uuid]': [
		mc((ids) => `/agreements/${ids.agreement}`, 'in force'),
		as('tenant admin', (ids) => (ids.tenantAgreement ? `/agreements/${ids.tenantAgreement}` : null))
	],
	'/agreements/[id=uuid]/pdf': [
		mc((ids) => `/agreements/${ids.agreement}/pdf`, 'no sealed file: rendered on request'),
		mc((ids) => `/agreements/${ids.sealedAgreement}/pdf`, 'sealed file')
	],
	'/agreements/new': [mc('/agreements/new')],
	'/agreements/campaigns': [mc('/agreements/campaigns')],
	'/agreements/campaigns/new': [mc('/agreements/campaigns/new')],
	'/agreements/campaigns/[id=uuid]': [
		mc((ids) => `/agreements/campaigns/${ids.campaign}`, 'every current tenant, 5% with gaps'),
		mc((ids) => `/agreements/campaigns/${ids.campaign}?state=ready&page=40`, 'every current tenant, one state, a late page')
	],
	'/agreements/campaigns/[id=uuid]/export.csv': [mc((ids) => `/agreements/campaigns/${ids.campaign}/export.csv`, 'every current tenant')],
	'/api-tokens': [mc('/api-tokens')],
	'/api/v1/agreements/[id]': [api((ids) => `/api/v1/agreements/${ids.agreement}`)],
	'/api/v1/agreements/[id]/pdf': [api((ids) => `/api/v1/agreements/${ids.sealedAgreement}/pdf`, 'sealed file')],
	'/api/v1/certificates': [api('/api/v1/certificates', 'first page')],
	'/api/v1/certificates/[id]': [api((ids) => (ids.certificate ? `/api/v1/certificates/${ids.certificate}` : null))],
	'/api/v1/docs': [as('signed out', '/api/v1/docs')],
	'/api/v1/instructions': [api('/api/v1/instructions', 'first page')],
	'/api/v1/openapi.json': [as('signed out', '/api/v1/openapi.json')],
	'/api/v1/security-plan': [api('/api/v1/security-plan')],
	'/api/v1/tenants': [api('/api/v1/tenants', 'first page'), api('/api/v1/tenants?q=terveys&stage=onboarding', 'search and filter')],
	'/api/v1/tenants/[id]': [api((ids) => `/api/v1/tenants/${ids.tenant}`)],
	'/api/v1/tenants/[id]/agreements': [api((ids) => `/api/v1/tenants/${ids.tenant}/agreements`)],
	'/api/v1/tenants/[id]/checklist': [api((ids) => `/api/v1/tenants/${ids.tenant}/checklist`)],
	'/api/v1/tenants/[id]/people': [
		api((ids) => `/api/v1/tenants/${ids.tenant}/people`),
		api((ids) => `/api/v1/tenants/${ids.largestTenant.id}/people`, 'largest tenant, first page')
	],
	'/security-plan': [mc('/security-plan')],
	'/security-plan/[requirement=requirement]': [mc((ids) => `/security-plan/${ids.requirement}`, 'described, with a document')],
	'/security-plan/[requirement=requirement]/documents/[id=uuid]': [
		mc((ids) => `/security-plan/${ids.requirement}/documents/${ids.planDocument}`, 'stored file')
	],
	'/security-plan/binding': [mc('/security-plan/binding')],
	'/security-plan/export.csv': [mc('/security-plan/export.csv')],
	'/security-plan/export.pdf': [mc('/security-plan/export.pdf')],
	'/security-plan/risks': [mc('/security-plan/risks')],
	'/security-plan/risks/[id=uuid]': [mc((ids) => `/security-plan/risks/${ids.risk}`)],
	'/security-plan/risks/export.csv': [mc('/security-plan/risks/export.csv')],
	'/security-plan/versions': [mc('/security-plan/versions', 'one approved version')],
	'/security-plan/frameworks': [mc('/security-plan/frameworks')],
	'/security-plan/follow-up': [mc('/security-plan/follow-up')],
	'/webhooks': [mc('/webhooks')],
	'/organisation/single-sign-on': [mc('/organisation/single-sign-on')],
	'/search': [mc('/search', 'no query yet')],
	'/tenants/import': [mc('/tenants/import')],
	'/tenants/import/template.csv': [mc('/tenants/import/template.csv')],
	'/tenants/import/template.xlsx': [mc('/tenants/import/template.xlsx')],
	// The bench's tenants keep no plan of their own: measured as the answer to a plan not shared.
	'/tenants/[id=uuid]/security-plan': [
		{ ...mc((ids) => `/tenants/${ids.tenant}/security-plan`, 'no plan shared: the refusal'), status: 404 }
	],
	'/tenants/[id=uuid]/security-plan/export.pdf': [
		{ ...mc((ids) => `/tenants/${ids.tenant}/security-plan/export.pdf`, 'no plan shared: the refusal'), status: 404 }
	],
	'/tenants/[id=uuid]/security-plan/risks/export.csv': [
		{ ...mc((ids) => `/tenants/${ids.tenant}/security-plan/risks/export.csv`, 'no plan shared: the refusal'), status: 404 }
	],
	// No sign-in provider is configured in the bench: measured as the refusal a visitor gets.
	'/login/oidc/[provider]': [{ ...as('signed out', '/login/oidc/bench', 'no such provider: the refusal'), status: 404 }],
	'/oidc/callback': [as('signed out', '/oidc/callback', 'no sign-in under way: the refusal page')],
	'/agreements/templates': [mc('/agreements/templates')],
	'/audit': [mc('/audit'), as('tenant admin', '/audit')],
	'/certificates': [mc('/certificates'), as('tenant admin', '/certificates')],
	'/certificates/[id=uuid]': [mc((ids) => (ids.certificate ? `/certificates/${ids.certificate}` : null))],
	'/certificates/export.csv': [mc('/certificates/export.csv', 'every certificate, up to the export’s 50,000 rows')],
	'/certificates/new': [mc('/certificates/new'), mc('/certificates/new?holderQuery=virtanen', 'holder search')],
	'/certificates/settings': [mc('/certificates/settings')],
	'/evidence/[id=uuid]': [mc((ids) => (ids.evidence ? `/evidence/${ids.evidence}` : null))],
	'/notifications': [mc('/notifications'), as('tenant staff', '/notifications')],
	'/organisation': [mc('/organisation')],
	'/organisation/information-systems': [mc('/organisation/information-systems')],
	'/outbox': [mc('/outbox')],
	'/prerequisites': [mc('/prerequisites')],
	'/prerequisites/[id=uuid]': [mc((ids) => (ids.prerequisite ? `/prerequisites/${ids.prerequisite}` : null))],
	'/prerequisites/new': [mc('/prerequisites/new')],
	'/services': [mc('/services')],
	'/tenants': [mc('/tenants'), mc('/tenants?q=terveys&stage=onboarding', 'search and filter')],
	'/tenants/[id=uuid]': [
		mc((ids) => `/tenants/${ids.tenant}`),
		as('tenant admin', (ids) => `/tenants/${ids.tenant}`),
		mc((ids) => `/tenants/${ids.largestTenant.id}`, 'the tenant with the most people'),
		as('largest tenant admin', (ids) => `/tenants/${ids.largestTenant.id}`, 'the tenant with the most people')
	],
	'/tenants/[id=uuid]/checklist': [
		mc((ids) => `/tenants/${ids.tenant}/checklist`),
		as('tenant admin', (ids) => `/tenants/${ids.tenant}/checklist`)
	],
	'/tenants/[id=uuid]/edit': [mc((ids) => `/tenants/${ids.tenant}/edit`)],
	'/tenants/[id=uuid]/instructions': [
		mc((ids) => `/tenants/${ids.tenant}/instructions`),
		as('tenant admin', (ids) => `/tenants/${ids.tenant}/instructions`)
	],
	'/tenants/[id=uuid]/instructions/coverage.csv': [
		as('tenant admin', (ids) => `/tenants/${ids.tenant}/instructions/coverage.csv`),
		as('largest tenant admin', (ids) => `/tenants/${ids.largestTenant.id}/instructions/coverage.csv`, 'the tenant with the most people')
	],
	'/tenants/[id=uuid]/training': [
		mc((ids) => `/tenants/${ids.tenant}/training`),
		as('tenant admin', (ids) => `/tenants/${ids.tenant}/training`)
	],
	'/tenants/new': [mc('/tenants/new')],
	'/verify': [mc('/verify')],
	'/incidents': [mc('/incidents'), as('tenant admin', '/incidents')],
	'/incidents/new': [as('tenant staff', '/incidents/new')],
	'/incidents/[id=uuid]': [mc((ids) => (ids.incident ? `/incidents/${ids.incident}` : null))],
	'/incidents/export.csv': [mc('/incidents/export.csv')],
	'/announcements': [mc('/announcements')],
	'/announcements/[id=uuid]': [mc((ids) => (ids.announcement ? `/announcements/${ids.announcement}` : null))],
	'/instructions': [mc('/instructions')],
	'/instructions/new': [mc('/instructions/new')],
	'/instructions/[id=uuid]': [
		mc((ids) => `/instructions/${ids.instructionChosen}`, 'chosen tenants'),
		mc((ids) => `/instructions/${ids.instructionAll}`, 'all tenants'),
		mc((ids) => `/instructions/${ids.instructionAll}?tenant=${ids.tenant}`, 'all tenants, one opened')
	],
	'/instructions/[id=uuid]/coverage.csv': [
		mc((ids) => `/instructions/${ids.instructionChosen}/coverage.csv`, 'chosen tenants'),
		mc((ids) => `/instructions/${ids.instructionAll}/coverage.csv`, 'all tenants: everyone in the country')
	],
	'/instructions/[id=uuid]/attachment/[version]': [
		mc((ids) => (ids.attachment ? `/instructions/${ids.attachment.instruction}/attachment/${ids.attachment.version}` : null))
	],
	'/my-instructions': [as('tenant staff', '/my-instructions')],
	'/my-instructions/[id=uuid]': [as('tenant staff', (ids) => `/my-instructions/${ids.instructionAll}`)],
	'/training': [mc('/training')],
	'/training/new': [mc('/training/new')],
	'/training/[id=uuid]': [mc((ids) => (ids.trainingModule ? `/training/${ids.trainingModule}` : null))],
	'/training/records/[id=uuid]/evidence': [mc((ids) => (ids.trainingRecord ? `/training/records/${ids.trainingRecord}/evidence` : null))],
	'/my-training': [as('tenant staff', '/my-training')],
	// Measured last: at national scale it held the whole server up for minutes.
	'/calendar/[token]': [{ ...as('signed out', (ids) => `/calendar/${ids.calendarToken}.ics`, 'administrator’s feed'), last: true }],
	'/login': [as('signed out', '/login')],
	'/password-reset': [as('signed out', '/password-reset')],
	'/password-reset/[token]': [{ ...as('signed out', `/password-reset/${'a'.repeat(32)}`, 'unknown token: 404'), status: 404 }],
	'/invitation/[token]': [{ ...as('signed out', `/invitation/${'a'.repeat(32)}`, 'unknown token: 404'), status: 404 }],
	'/healthz': [as('signed out', '/healthz')],
	'/two-factor/setup': [as('tenant admin', '/two-factor/setup')],
	'/two-factor': { skip: 'a step of signing in, shown only half-way through it' },
	'/setup': { skip: 'first run only; redirects once the portal is set up' },
	'/logout': { skip: 'POST only' },
	'/language': { skip: 'POST only' }
};

/** Real ids from the data set, and a calendar feed token made the portal's way. */
export function routeIds(
	path: string,
	sample: { tenantId: string; agreementId: string; instructionAll: string; instructionChosen: string; adminId: string }
): RouteIds {
	// One row of each kind the data set lacks (with its file), so those routes are measured too.
	const staff = new Database(path, { readonly: true, fileMustExist: true })
		.prepare(
			`select u.id from user u join user_role r on r.user_id = u.id where u.tenant_id = ? and u.status = 'active' and r.role = 'tenant_staff' limit 1`
		)
		.get(sample.tenantId) as { id: string };
	addOneOfEach(path, { tenantId: sample.tenantId, adminId: sample.adminId, staffId: staff.id, instructionId: sample.instructionChosen });
	// One token per API visit: each token has its own rate limit (120 at once), and a visit makes about 43 requests.
	const apiVisits = Object.values(VISITS)
		.flatMap((plan) => (Array.isArray(plan) ? plan : []))
		.filter((v) => v.as === 'api client').length;
	const extras = addRouteExtras(path, { adminId: sample.adminId, agreementId: sample.agreementId, apiTokens: apiVisits });
	const sqlite = new Database(path, { readonly: true, fileMustExist: true });
	let ids: Omit<RouteIds, 'calendarToken'>;
	try {
		const one = <T>(sql: string, ...args: unknown[]) => sqlite.prepare(sql).get(...args) as T | undefined;
		const id = (sql: string, ...args: unknown[]) => one<{ id: string }>(sql, ...args)?.id ?? null;
		const hasTable = (name: string) =>
			one<{ n: number }>("select count(*) as n from sqlite_master where type = 'table' and name = ?", name)!.n > 0;
		const person = (role: string) =>
			one<{ id: string; email: string }>(
				`select u.id, u.email from user u join user_role r on r.user_id = u.id where u.tenant_id = ? and u.status = 'active' and r.role = ? limit 1`,
				sample.tenantId,
				role
			)!;
		const largest = () => {
			const top = one<{ id: string; people: number }>(
				`select u.tenant_id as id, count(*) as people from user u join tenant t on t.id = u.tenant_id
				 where u.status = 'active' and t.archived_at is null group by u.tenant_id order by people desc limit 1`
			)!;
			const admin = one<{ id: string; email: string }>(
				`select u.id, u.email from user u join user_role r on r.user_id = u.id where u.tenant_id = ? and u.status = 'active' and r.role = 'tenant_admin' limit 1`,
				top.id
			)!;
			return { ...top, admin };
		};
		const attachment = one<{ instruction: string; version: number }>(
			'select instruction_id as instruction, version from instruction_version where attachment_path is not null limit 1'
		);
		ids = {
			tenant: sample.tenantId,
			agreement: sample.agreementId,
			tenantAgreement: id('select id from agreement where tenant_id = ? order by created_at desc limit 1', sample.tenantId),
			certificate:
				id('select id from certificate where tenant_id = ? limit 1', sample.tenantId) ?? id('select id from certificate limit 1'),
			instructionChosen: sample.instructionChosen,
			instructionAll: sample.instructionAll,
			attachment: attachment ?? null,
			trainingModule: id('select id from training_module limit 1'),
			trainingRecord: id('select id from training_record where evidence_path is not null limit 1'),
			prerequisite: id('select id from prerequisite_type limit 1'),
			evidence: id('select id from evidence_file limit 1'),
			incident: hasTable('incident_report') ? id('select id from incident_report limit 1') : null,
			announcement: hasTable('announcement') ? id('select id from announcement limit 1') : null,
			tenantAdmin: person('tenant_admin'),
			tenantStaff: person('tenant_staff'),
			largestTenant: largest(),
			...extras
		};
	} finally {
		sqlite.close();
	}
	const db = openDatabase(path);
	try {
		const token = createCalendarToken(db, { id: sample.adminId, label: 'bench', ipAddress: '' }, sample.adminId);
		return { ...ids, calendarToken: token };
	} finally {
		db.$client.close();
	}
}

export interface RouteFigure {
	route: string;
	as: Role;
	path: string;
	note?: string;
	/** Why it was not measured, if it was not. */
	skipped?: string;
	status?: number;
	timedOut?: boolean;
	expected?: number;
	html?: boolean;
	requests?: number;
	/** Of the whole answer for a page; of the first byte of the body for a file (not HTML). */
	median?: number;
	p95?: number;
	/** A file's whole download, median. */
	wholeMedian?: number;
	kilobytes?: number;
}

/** Endpoints count when they answer GET (logout and the language switch take POST only). */
const answersGet = (route: DiscoveredRoute) =>
	route.kind === 'page' || /export\s+(const|async function|function)\s+GET\b/.test(readFileSync(route.file, 'utf8'));

/**
 * One request at a time after a short warm-up, until `requests` are timed or `budgetMs` has passed
 * (at least 5): slow routes get fewer samples rather than holding the whole run up, and a route
 * slower than REQUEST_TIMEOUT_MS is reported as such after one try.
 */
const REQUEST_TIMEOUT_MS = 30_000;

async function measure(
	url: string,
	headers: Record<string, string>,
	path: string,
	requests: number,
	budgetMs: number,
	expected = 200
): Promise<Omit<RouteFigure, 'route' | 'as' | 'path'>> {
	const times: number[] = [];
	const firstBytes: number[] = [];
	let bytes = 0;
	let status = 0;
	let html = false;
	const started = performance.now();
	let warmup = 3;
	for (let i = 0; i < warmup + requests; i++) {
		const t0 = performance.now();
		let firstByte: number;
		try {
			const response = await fetch(url + path, {
				headers,
				redirect: 'manual',
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
			});
			status = response.status;
			html = (response.headers.get('content-type') ?? '').includes('text/html');
			// The first part of the body: a file sent in parts starts arriving long before its end.
			const reader = response.body?.getReader();
			bytes = 0;
			firstByte = NaN;
			for (;;) {
				const part = reader ? await reader.read() : { done: true as const, value: undefined };
				if (Number.isNaN(firstByte)) firstByte = performance.now() - t0;
				if (part.done) break;
				bytes += part.value.byteLength;
			}
		} catch {
			return { status: 0, timedOut: true, html, requests: 0, kilobytes: undefined };
		}
		const elapsed = performance.now() - t0;
		if (status !== expected) break;
		// A route taking seconds is warm after one request; more would only hold the run up.
		if (i === 0 && elapsed > 1000) warmup = 1;
		if (i >= warmup) {
			times.push(elapsed);
			firstBytes.push(firstByte);
		}
		const spent = performance.now() - started;
		if ((times.length >= 5 && spent > budgetMs) || (times.length >= 1 && spent > 10 * budgetMs)) break;
	}
	times.sort((a, b) => a - b);
	firstBytes.sort((a, b) => a - b);
	// Files (not HTML) are judged by their first byte, with the whole download beside it.
	const judged = html ? times : firstBytes;
	return {
		status,
		html,
		requests: times.length,
		median: judged.length ? percentile(judged, 50) : undefined,
		p95: judged.length ? percentile(judged, 95) : undefined,
		wholeMedian: !html && times.length ? percentile(times, 50) : undefined,
		kilobytes: bytes / 1024
	};
}

export async function measureRoutes(
	url: string,
	ids: RouteIds,
	cookies: Record<Exclude<Role, 'api client'>, string>,
	options: { requests: number; budgetMs: number; progress: (text: string) => void }
): Promise<RouteFigure[]> {
	const figures: RouteFigure[] = [];
	const discovered = discoverRoutes();
	// POST-only endpoints are listed with the reason they are not measured.
	const routes = [...new Set(discovered.filter((r) => answersGet(r) || r.pattern in VISITS).map((r) => r.pattern))].sort();
	const deferred: [string, Visit][] = [];
	let apiVisit = 0;
	const visit = async (route: string, v: Visit) => {
		const path = v.path(ids);
		if (path === null) {
			figures.push({ route, as: v.as, path: route, note: v.note, skipped: 'no such row in the bench data set' });
			return;
		}
		options.progress(`route ${path} as ${v.as}`);
		const headers: Record<string, string> =
			v.as === 'api client'
				? { authorization: `Bearer ${ids.apiTokens[apiVisit++]}`, accept: 'application/json' }
				: { cookie: cookies[v.as], accept: 'text/html' };
		const result = await measure(url, headers, path, options.requests, options.budgetMs, v.status);
		figures.push({ route, as: v.as, path, note: v.note, expected: v.status ?? 200, ...result });
		if (result.timedOut && v.last) figures.at(-1)!.note = `${v.note ? `${v.note}; ` : ''}the server was still busy with it when stopped`;
		else if (result.timedOut) {
			// The request was given up, not the work: wait until the server answers again before the next route.
			const t0 = performance.now();
			while (performance.now() - t0 < 600_000) {
				try {
					if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) })).ok) break;
				} catch {
					// still busy
				}
			}
			figures.at(-1)!.note =
				`${v.note ? `${v.note}; ` : ''}server busy ${((performance.now() - t0) / 1000 + REQUEST_TIMEOUT_MS / 1000).toFixed(0)} s`;
		}
	};
	// BENCH_ROUTE_FILTER=campaigns measures only the routes whose pattern holds that text (a quicker look at a few).
	const only = process.env.BENCH_ROUTE_FILTER;
	for (const route of routes) {
		if (only && !route.includes(only)) continue;
		const plan = VISITS[route];
		if (!plan) {
			figures.push({ route, as: 'main connector admin', path: route, skipped: 'not in VISITS of scripts/bench/routes.ts: add it' });
			continue;
		}
		if (!Array.isArray(plan)) {
			figures.push({ route, as: 'signed out', path: route, skipped: plan.skip });
			continue;
		}
		for (const v of plan) {
			if (v.last) deferred.push([route, v]);
			else await visit(route, v);
		}
	}
	for (const [route, v] of deferred) await visit(route, v);
	return figures;
}

export const ROUTE_P95_MS = 50;
export const ROUTE_HTML_KB = 150;

export function routeMet(f: RouteFigure): boolean | null {
	if (f.skipped) return null;
	if (f.status !== f.expected || f.p95 === undefined) return false;
	return f.p95 <= ROUTE_P95_MS && (!f.html || f.kilobytes! <= ROUTE_HTML_KB);
}

export function routesMarkdown(figures: RouteFigure[]): string {
	const ms = (v?: number) => (v === undefined ? '' : `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms`);
	const size = (f: RouteFigure) =>
		f.kilobytes === undefined ? '' : `${f.kilobytes.toFixed(f.kilobytes < 10 ? 1 : 0)} kB${f.html ? '' : ' (not HTML)'}`;
	const lines = figures.map((f) => {
		const met = routeMet(f);
		const what = f.skipped
			? `not measured: ${f.skipped}`
			: f.timedOut
				? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`
				: f.status !== f.expected
					? `HTTP ${f.status}`
					: `${f.requests} requests${f.wholeMedian === undefined ? '' : `; whole file median ${ms(f.wholeMedian)}`}`;
		const path = f.path === f.route ? '' : ` \`${f.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>')}\``;
		return `| \`${f.route}\`${path}${f.note ? ` (${f.note})` : ''} | ${f.as} | ${ms(f.median)} | ${ms(f.p95)} | ${size(f)} | ${what} | ${met === null ? '' : met ? '✓' : '✗'} |`;
	});
	return [
		`For a file (not HTML: CSV, PDF, JSON, calendar) the median and p95 are the time to the first byte of the body, as exports are sent in parts; the whole download's median is beside the number of requests.`,
		'',
		`| Route | As | Median | p95 (target ≤ ${ROUTE_P95_MS} ms) | Size (HTML target ≤ ${ROUTE_HTML_KB} kB) | Requests | Met |`,
		'| --- | --- | --- | --- | --- | --- | --- |',
		...lines
	].join('\n');
}
