/**
 * Throughput under concurrent load (autocannon): the portal's tenant list, signed in, against the
 * same query behind a bare node:http handler. Both servers get one process each. The portal is
 * measured twice: the HTML page a browser loads (the target), and the same list as the JSON a
 * page change in the browser asks for (`__data.json`: hooks, session and loads without rendering),
 * so the figures show which share of the gap is the framework and which is rendering HTML.
 */
import autocannon from 'autocannon';
import { startProcess, stopProcess } from './server';

export interface Throughput {
	/** Medians over the rounds. */
	bare: number;
	portal: number;
	/** The median of the rounds' ratios (portal over the bare handler just before it), and their spread. */
	ratio: number;
	ratios: { min: number; max: number };
	/** The same for the list's data as a page change in the browser asks for it. */
	data: number;
	dataRatio: number;
	dataRatios: { min: number; max: number };
	rounds: number;
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function requestsPerSecond(url: string, headers: Record<string, string>, seconds: number): Promise<number> {
	const result = await autocannon({ url, connections: 10, duration: seconds, headers });
	if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
	return result.requests.average;
}

// The machine is shared: its speed drifts over seconds. Short alternating runs let a slow spell
// fall on both servers alike instead of on whichever happened to be measured then; each round's
// ratio is kept, and the median of them reported with their spread, so noise shows rather than decides.
const ROUNDS = 6;
const WARM_UP_SECONDS = 5;

export async function measureThroughput(
	portalUrl: string,
	cookie: string,
	databasePath: string,
	query: string,
	port: number,
	seconds = 18
): Promise<Throughput> {
	const bareUrl = `http://127.0.0.1:${port}`;
	const bareServer = await startProcess(
		['--import', 'tsx', 'scripts/bench/bare-server.ts'],
		{ DATABASE_PATH: databasePath, PORT: String(port) },
		`${bareUrl}/healthz`
	);
	const runBare = (duration: number) => requestsPerSecond(`${bareUrl}/tenants${query}`, {}, duration);
	const runPortal = (duration: number) => requestsPerSecond(`${portalUrl}/tenants${query}`, { cookie, accept: 'text/html' }, duration);
	// What SvelteKit's client fetches on a page change (here with every load run, as the HTML page runs them): data, no HTML.
	const dataQuery = `${query}${query ? '&' : '?'}x-sveltekit-invalidated=111`;
	const runData = (duration: number) => requestsPerSecond(`${portalUrl}/tenants/__data.json${dataQuery}`, { cookie }, duration);
	try {
		// A run each first, so both are warm (JIT-compiled, heap grown) when they are measured.
		await runBare(WARM_UP_SECONDS);
		await runPortal(WARM_UP_SECONDS);
		await runData(WARM_UP_SECONDS);
		const bare: number[] = [];
		const portal: number[] = [];
		const data: number[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			bare.push(await runBare(seconds / ROUNDS));
			portal.push(await runPortal(seconds / ROUNDS));
			data.push(await runData(seconds / ROUNDS));
		}
		const ratios = portal.map((p, i) => p / bare[i]);
		const dataRatios = data.map((d, i) => d / bare[i]);
		return {
			bare: median(bare),
			portal: median(portal),
			ratio: median(ratios),
			ratios: { min: Math.min(...ratios), max: Math.max(...ratios) },
			data: median(data),
			dataRatio: median(dataRatios),
			dataRatios: { min: Math.min(...dataRatios), max: Math.max(...dataRatios) },
			rounds: ROUNDS
		};
	} finally {
		await stopProcess(bareServer);
	}
}
