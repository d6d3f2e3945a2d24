import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { db } from '$lib/server/db';

/** Liveness for load balancers and the test harness: 200 only when the database answers. */
export function GET() {
	try {
		db().get(sql`select 1`);
		return json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
	} catch {
		return json({ status: 'unavailable' }, { status: 503 });
	}
}
