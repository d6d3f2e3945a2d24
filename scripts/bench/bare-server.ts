/**
 * The limit to compare the portal with: the tenant list's own query (listTenants in
 * src/lib/server/tenants/tenants.ts, written out in SQL) behind a bare node:http handler,
 * JSON out, nothing else: no framework, no session, no HTML.
 *
 * `DATABASE_PATH=… PORT=… tsx scripts/bench/bare-server.ts`
 */
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

const sqlite = new Database(process.env.DATABASE_PATH!, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma('cache_size = -65536'); // as the portal's connection (src/lib/server/db/index.ts)

const WHERE = `archived_at is null and stage = @stage
	and (name like @pattern escape '\\' or business_id like @pattern escape '\\' or city like @pattern escape '\\')`;
const countTenants = sqlite.prepare(`select count(*) as n from tenant where ${WHERE}`);
const pageOfTenants = sqlite.prepare(`select * from tenant where ${WHERE} order by name, id limit @limit offset @offset`);
const PAGE_SIZE = 25;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

createServer((request, response) => {
	const url = new URL(request.url ?? '/', 'http://localhost');
	if (url.pathname === '/healthz') return response.end('ok');
	const page = Math.max(Number(url.searchParams.get('page')) || 1, 1);
	const params = {
		stage: url.searchParams.get('stage') ?? 'onboarding',
		pattern: `%${escapeLike(url.searchParams.get('q') ?? '')}%`,
		limit: PAGE_SIZE,
		offset: (page - 1) * PAGE_SIZE
	};
	const total = (countTenants.get(params) as { n: number }).n;
	const tenants = (pageOfTenants.all(params) as Record<string, unknown>[]).map((t) => ({
		id: t.id,
		name: t.name,
		businessId: t.business_id,
		city: t.city,
		stage: t.stage
	}));
	response.writeHead(200, { 'content-type': 'application/json' });
	response.end(JSON.stringify({ page, pageSize: PAGE_SIZE, total, tenants }));
}).listen(Number(process.env.PORT), '127.0.0.1');
