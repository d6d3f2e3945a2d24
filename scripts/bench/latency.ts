/**
 * Server-side latency of a page: one request at a time over HTTP (keep-alive), timed from sending
 * to the last byte of the HTML, after a warm-up. Median and 95th percentile.
 */

export interface Latency {
	median: number;
	p95: number;
	/** Size of the HTML, which is most of what a slow page costs. */
	kilobytes: number;
}

export function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function measureLatency(url: string, cookie: string, path: string, requests = 200, warmup = 20): Promise<Latency> {
	const times: number[] = [];
	let bytes = 0;
	for (let i = 0; i < warmup + requests; i++) {
		const started = performance.now();
		const response = await fetch(url + path, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
		const body = await response.arrayBuffer();
		const elapsed = performance.now() - started;
		if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
		if (i >= warmup) times.push(elapsed);
		bytes = body.byteLength;
	}
	times.sort((a, b) => a - b);
	return { median: percentile(times, 50), p95: percentile(times, 95), kilobytes: bytes / 1024 };
}
