import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { doubleFlateBomb, hexFlateBomb, objectStreamBomb, xrefStreamBomb } from '../../../../tests/fixtures/pdf-bombs';
import { runUntrusted } from './sandbox';

const pem = spawnSync(
	'openssl',
	[
		'req',
		'-x509',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:P-256',
		'-nodes',
		'-keyout',
		'/dev/null',
		'-subj',
		'/CN=sandbox',
		'-days',
		'1'
	],
	{ encoding: 'utf8' }
).stdout;
const certificate = () => new TextEncoder().encode(pem);

describe('runUntrusted (worker thread, bounded heap, time limit)', () => {
	afterEach(() => vi.unstubAllEnvs());

	it('runs a parser in the worker and hands back its result, dates included', async () => {
		const result = await runUntrusted('certificateFile', certificate());
		expect(result.ok && result.value.ok && result.value.certificates[0].validTo).toBeInstanceOf(Date);
	});

	it.each([
		['an object stream bomb', objectStreamBomb],
		['a cross-reference stream bomb', xrefStreamBomb],
		['FlateDecode applied twice', doubleFlateBomb],
		['ASCIIHex over Flate', hexFlateBomb]
	])('refuses %s as too much data', async (_, bomb) => {
		expect(await runUntrusted('pdfClaim', new Uint8Array(bomb()))).toEqual({ ok: false, reason: 'too_much_data' });
	});

	it('stops a worker that runs past the time limit', async () => {
		// No real file is slow enough to test this reliably; a limit of 1 ms is passed by any work.
		vi.stubEnv('LIITOS_UNTRUSTED_TIMEOUT_MS', '1');
		expect(await runUntrusted('certificateFile', certificate())).toEqual({ ok: false, reason: 'timeout' });
	});

	it('turns files away as busy when the line is full', async () => {
		vi.stubEnv('LIITOS_UNTRUSTED_WORKERS', '1');
		vi.stubEnv('LIITOS_UNTRUSTED_QUEUE', '1');
		const results = await Promise.all([1, 2, 3].map(() => runUntrusted('certificateFile', certificate())));
		expect(results.map((r) => r.ok)).toEqual([true, true, false]);
		expect(results[2]).toEqual({ ok: false, reason: 'busy' });
	});
});
