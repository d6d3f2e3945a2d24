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

// The machine is shared: its speed drifts over seconds. Short alternating runs let a slow spell
// fall on both servers alike instead of on whichever happened to be measured then.
const ROUNDS = 4;
const WARM_UP_SECONDS = 5;

export async function measureThroughput(
	portalUrl: string,
	cookie: string,
	databasePath: string,
	query: string,
	port: number,
	seconds = 12
): Promise<Throughput> {
	const bareUrl = `http://127.0.0.1:${port}`;
	const bareServer = await startProcess(
		['--import', 'tsx', 'scripts/bench/bare-server.ts'],
		{ DATABASE_PATH: databasePath, PORT: String(port) },
		`${bareUrl}/healthz`
	);
	const runBare = (duration: number) => requestsPerSecond(`${bareUrl}/tenants${query}`, {}, duration);
	const runPortal = (duration: number) => requestsPerSecond(`${portalUrl}/tenants${query}`, { cookie, accept: 'text/html' }, duration);
	try {
		// A run each first, so both are warm (JIT-compiled, heap grown) when they are measured.
		await runBare(WARM_UP_SECONDS);
		await runPortal(WARM_UP_SECONDS);
		let bare = 0;
		let portal = 0;
		for (let round = 0; round < ROUNDS; round++) {
			bare += (await runBare(seconds / ROUNDS)) / ROUNDS;
			portal += (await runPortal(seconds / ROUNDS)) / ROUNDS;
		}
		return { bare, portal, ratio: portal / bare };
	} finally {
		await stopProcess(bareServer);
	}
}
