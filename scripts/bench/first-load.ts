/**
 * First-load JavaScript of a page: every /_app/ script it makes the browser fetch (the entry
 * imports of SvelteKit's inline start script, <script src>, and modulepreloads, which SvelteKit
 * sends in the Link header), each gzip-compressed, summed.
 */
import { gzipSync } from 'node:zlib';

export interface FirstLoad {
	files: number;
	gzipKilobytes: number;
}

export async function measureFirstLoad(url: string, path: string, cookie = ''): Promise<FirstLoad> {
	const response = await fetch(url + path, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
	if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
	const text = `${response.headers.get('link') ?? ''}\n${await response.text()}`;
	// Paths are relative to the page ("./_app/…", "../_app/…"), so resolve them against it.
	const scripts = new Set(
		[...text.matchAll(/[<"'(]((?:\.{1,2}\/)*\/?_app\/[^"'()<>\s]+\.js)[>"')]/g)].map((m) => new URL(m[1], url + path).href)
	);
	let bytes = 0;
	for (const script of scripts) {
		const file = await fetch(script);
		if (!file.ok) throw new Error(`${script}: HTTP ${file.status}`);
		bytes += gzipSync(Buffer.from(await file.arrayBuffer())).byteLength;
	}
	return { files: scripts.size, gzipKilobytes: bytes / 1024 };
}
