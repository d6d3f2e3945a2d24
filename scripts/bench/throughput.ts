/**
 * Throughput under concurrent load (autocannon): the portal's tenant list, signed in, against the
 * same query behind a bare node:http handler. Both servers get one process each.
 */
import autocannon from 'autocannon';
import { startProcess, stopProcess } from './server';

export interface Throughput {
	bare: number;
	portal: number;
	ratio: number;
}

async function requestsPerSecond(url: string, headers: Record<string, string>, seconds: number): Promise<number> {
	const result = await autocannon({ url, connections: 10, duration: seconds, headers });
	if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
	return result.requests.average;
}

export async function measureThroughput(portalUrl: string, cookie: string, databasePath: string, query: string, port: number, seconds = 10): Promise<Throughput> {
	const bareUrl = `http://127.0.0.1:${port}`;
	const bareServer = await startProcess(['--import', 'tsx', 'scripts/bench/bare-server.ts'], { DATABASE_PATH: databasePath, PORT: String(port) }, `${bareUrl}/healthz`);
	try {
		// A short run each first, so both are warm when they are measured.
		await requestsPerSecond(`${bareUrl}/tenants${query}`, {}, 2);
		const bare = await requestsPerSecond(`${bareUrl}/tenants${query}`, {}, seconds);
		await requestsPerSecond(`${portalUrl}/tenants${query}`, { cookie, accept: 'text/html' }, 2);
		const portal = await requestsPerSecond(`${portalUrl}/tenants${query}`, { cookie, accept: 'text/html' }, seconds);
		return { bare, portal, ratio: portal / bare };
	} finally {
		await stopProcess(bareServer);
	}
}
