/**
 * Many people at once: each signed in with a session of their own (distinct users: the main
 * connector's administrator and certificate administrator, tenant administrators and staff of
 * different tenants), each opening a page from what their role uses, waiting, and again.
 * Then the same mix without waits, for the throughput where the portal saturates.
 */
import Database from 'better-sqlite3';
import { signIn } from './server';
import { percentile } from './latency';

interface Person {
	cookie: string;
	pages: string[];
}

export interface ConcurrentResult {
	people: number;
	requests: number;
	errors: number;
	median: number;
	p95: number;
	perSecond: number;
	/** Errors by page and status, e.g. "/my-training 500". */
	errorKinds: Record<string, number>;
	/** The pages with the slowest 95th percentile, for finding what holds the rest up. */
	slowest: string;
}

/** Who takes part, with the pages each opens: a tenant's people open their own tenant's pages. */
export async function signInPeople(
	url: string,
	path: string,
	count: number,
	main: { adminEmail: string; adminTotpSecret: string; password: string; tenantId: string }
): Promise<Person[]> {
	const sqlite = new Database(path, { readonly: true, fileMustExist: true });
	let tenantPeople: { email: string; tenantId: string; role: string }[];
	try {
		// One person a tenant, administrators and staff in turn, from tenants still in use.
		tenantPeople = sqlite
			.prepare(
				`select u.email, u.tenant_id as tenantId, r.role from user u join user_role r on r.user_id = u.id join tenant t on t.id = u.tenant_id
				 where u.status = 'active' and t.archived_at is null and r.role = ? group by u.tenant_id limit ?`
			)
			.all('tenant_admin', Math.ceil(count / 2)) as typeof tenantPeople;
		tenantPeople.push(
			...(sqlite
				.prepare(
					`select u.email, u.tenant_id as tenantId, r.role from user u join user_role r on r.user_id = u.id join tenant t on t.id = u.tenant_id
					 where u.status = 'active' and t.archived_at is null and r.role = 'tenant_staff' and u.tenant_id not in
					 (select tenant_id from user where email in (${tenantPeople.map(() => '?').join(',') || "''"})) group by u.tenant_id limit ?`
				)
				.all(...tenantPeople.map((p) => p.email), count) as typeof tenantPeople)
		);
	} finally {
		sqlite.close();
	}
	const mcPages = [
		'/',
		'/tenants',
		'/tenants?q=terveys&stage=onboarding',
		`/tenants/${main.tenantId}`,
		'/certificates?bucket=within_30',
		'/agreements'
	];
	const people: Person[] = [
		{ cookie: await signIn(url, main.adminEmail, main.password, main.adminTotpSecret), pages: mcPages },
		{
			cookie: await signIn(url, 'certs@bench.test', main.password),
			pages: ['/', '/certificates', '/certificates?bucket=within_30', '/tenants']
		}
	];
	for (const p of tenantPeople) {
		if (people.length >= count) break;
		const pages =
			p.role === 'tenant_admin'
				? ['/', `/tenants/${p.tenantId}`, `/tenants/${p.tenantId}/checklist`, '/certificates', '/incidents']
				: ['/', '/my-instructions', '/my-training', '/notifications'];
		people.push({ cookie: await signIn(url, p.email, main.password), pages });
	}
	return people;
}

/** Everyone at once for `seconds`: a page, then `thinkMs` of reading, and again. */
export async function runConcurrent(url: string, people: Person[], seconds: number, thinkMs: number): Promise<ConcurrentResult> {
	const times: number[] = [];
	const byPage = new Map<string, number[]>();
	const errorKinds: Record<string, number> = {};
	let errors = 0;
	const failed = (what: string) => {
		errors++;
		errorKinds[what] = (errorKinds[what] ?? 0) + 1;
	};
	const until = performance.now() + seconds * 1000;
	const started = performance.now();
	await Promise.all(
		people.map(async (person, i) => {
			// Staggered starts, as people do not all click in the same millisecond.
			if (thinkMs) await new Promise((r) => setTimeout(r, (i / people.length) * thinkMs));
			while (performance.now() < until) {
				const page = person.pages[Math.floor(Math.random() * person.pages.length)];
				const t0 = performance.now();
				try {
					const response = await fetch(url + page, { headers: { cookie: person.cookie, accept: 'text/html' }, redirect: 'manual' });
					await response.arrayBuffer();
					if (response.status !== 200) failed(`${page} ${response.status}`);
				} catch (e) {
					failed(`${page} ${(e as Error).message}`);
				}
				const elapsed = performance.now() - t0;
				times.push(elapsed);
				const key = page.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>');
				byPage.set(key, [...(byPage.get(key) ?? []), elapsed]);
				if (thinkMs) await new Promise((r) => setTimeout(r, thinkMs));
			}
		})
	);
	const elapsed = (performance.now() - started) / 1000;
	times.sort((a, b) => a - b);
	return {
		people: people.length,
		requests: times.length,
		errors,
		median: percentile(times, 50),
		p95: percentile(times, 95),
		perSecond: times.length / elapsed,
		errorKinds,
		slowest: [...byPage]
			.map(
				([page, t]) =>
					[
						page,
						percentile(
							t.sort((a, b) => a - b),
							95
						)
					] as const
			)
			.sort((a, b) => b[1] - a[1])
			.slice(0, 3)
			.map(([page, p95]) => `${page} ${p95.toFixed(0)} ms`)
			.join(', ')
	};
}
