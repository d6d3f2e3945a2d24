import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAgreementPdf } from './pdf';
import { describeSeal, generateSelfSignedSeal, sealPdf, type SealCredentials } from './seal';

const PDFSIG = '/usr/bin/pdfsig';
const hasPdfsig = existsSync(PDFSIG);
if (!hasPdfsig) console.warn(`seal.test: ${PDFSIG} not found (install poppler-utils); skipping signature validation tests`);

const dir = mkdtempSync(join(tmpdir(), 'liitos-seal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INFO = { reason: 'Sopimuksen sinetöinti', location: 'Helsinki', name: 'Liitos', contactInfo: 'tuki@example.fi' };

function render(): Promise<Uint8Array> {
	return renderAgreementPdf({
		agreementId: 'seal-test',
		language: 'fi',
		title: 'Liittymissopimus – sinetöity',
		blocks: [
			{ type: 'heading', text: '1 § Tarkoitus' },
			{ type: 'paragraph', text: 'Sopimus on voimassa toistaiseksi. Åland, Äänekoski, Östersund. '.repeat(20) },
			{ type: 'annex1' }
		],
		annex1: { columns: ['Kanta service', 'Code'], rows: [['Potilastiedon arkisto', 'KANTA-1']] },
		footer: 'Agreement seal-test',
		pageLabel: (x, y) => `sivu ${x} / ${y}`,
		signaturePage: {
			heading: 'Allekirjoitukset',
			labels: { party: 'Osapuoli', name: 'Nimi', title: 'Asema', organisation: 'Organisaatio', signedAt: 'Aika', method: 'Tapa' },
			signatures: [
				{ party: 'Tilaaja', name: 'Äijälä Matti', title: 'Johtaja', organisation: 'Testi Oy', signedAt: '2026-03-21', method: 'Portaali' }
			]
		},
		metadata: { subject: 'test', keywords: [], author: 'Liitos', creationDate: new Date('2026-03-21T10:00:00Z') }
	});
}

function pdfsig(bytes: Uint8Array, name: string): string {
	const file = join(dir, name);
	writeFileSync(file, bytes);
	// pdfsig exits 0 even for a broken signature, so callers must read what it prints.
	return spawnSync(PDFSIG, [file], { encoding: 'utf8' }).stdout;
}

/** Offset of a byte inside the first content stream, well away from the signature's /Contents. */
function offsetInFirstStream(bytes: Buffer): number {
	const start = bytes.indexOf('stream\n') + 'stream\n'.length;
	const end = bytes.indexOf('endstream', start);
	expect(start).toBeGreaterThan(6);
	expect(end - start).toBeGreaterThan(20);
	return start + Math.floor((end - start) / 2);
}

describe('generateSelfSignedSeal and describeSeal', () => {
	it('creates a self-signed certificate that describeSeal can read back', () => {
		const seal = generateSelfSignedSeal({ commonName: 'Sinetti – Åbo', organisation: 'Äänekosken Liitos Oy', country: 'fi' }, 3);
		const info = describeSeal(seal);
		expect(info.selfSigned).toBe(true);
		expect(info.subject).toBe('CN=Sinetti – Åbo, O=Äänekosken Liitos Oy, C=FI');
		expect(info.issuer).toBe(info.subject);
		expect(info.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
		const years = (info.validTo.getTime() - Date.now()) / (365.25 * 24 * 3600 * 1000);
		expect(years).toBeGreaterThan(2.9);
		expect(years).toBeLessThan(3.1);
		expect(seal.passphrase.length).toBeGreaterThanOrEqual(24);
		expect(() => describeSeal({ ...seal, passphrase: 'wrong' })).toThrow();
	});

	it('gives every seal its own key and passphrase', () => {
		const a = generateSelfSignedSeal({ commonName: 'A', organisation: 'O' });
		const b = generateSelfSignedSeal({ commonName: 'A', organisation: 'O' });
		expect(a.passphrase).not.toBe(b.passphrase);
		expect(describeSeal(a).fingerprintSha256).not.toBe(describeSeal(b).fingerprintSha256);
	});
});

describe.skipIf(!hasPdfsig)('sealPdf (validated with pdfsig)', () => {
	let seal: SealCredentials;
	let sealed: Buffer;
	beforeAll(async () => {
		// Non-ASCII names in UTF8String: the case forge's PKCS#7 writer gets wrong unless sealPdf mends it.
		seal = generateSelfSignedSeal({ commonName: 'Liitos test seal', organisation: 'Äänekosken Liitos Oy', country: 'FI' });
		sealed = await sealPdf(await render(), seal, INFO);
	});

	it('produces a signature pdfsig accepts over the whole document', () => {
		const out = pdfsig(sealed, 'sealed.pdf');
		expect(out).toContain('Signature is Valid.');
		expect(out).toContain('Total document signed');
		expect(out).toContain('Signer Certificate Common Name: Liitos test seal');
		expect(out).toContain('O=Äänekosken Liitos Oy');
	});

	it('can seal twice with the same credentials (a fresh signer per call)', async () => {
		const again = await sealPdf(await render(), seal, INFO);
		expect(pdfsig(again, 'again.pdf')).toContain('Signature is Valid.');
	});

	it('signs with whichever seal it is given, though it keeps the last one opened', async () => {
		const other = generateSelfSignedSeal({ commonName: 'Toinen sinetti', organisation: 'Toinen Oy', country: 'FI' });
		const pdf = await render();
		const [first, second, third] = [await sealPdf(pdf, seal, INFO), await sealPdf(pdf, other, INFO), await sealPdf(pdf, seal, INFO)];
		for (const [bytes, name] of [
			[first, 'Liitos test seal'],
			[second, 'Toinen sinetti'],
			[third, 'Liitos test seal']
		] as const) {
			const out = pdfsig(bytes, `alternating-${name}.pdf`);
			expect(out).toContain('Signature is Valid.');
			expect(out).toContain(`Signer Certificate Common Name: ${name}`);
		}
	});

	it('reports a tampered document as invalid', () => {
		const tampered = Buffer.from(sealed);
		const at = offsetInFirstStream(tampered);
		const contents = tampered.indexOf('/Contents <');
		expect(at < contents || at > tampered.indexOf('>', contents)).toBe(true);
		tampered[at] ^= 0xff;
		const out = pdfsig(tampered, 'tampered.pdf');
		expect(out).toContain('Signature Validation:'); // pdfsig still found and checked the signature…
		expect(out).not.toContain('Signature is Valid.'); // …and rejected it
	});
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** A seal issued by a CA, as a qualified seal is: both with non-ASCII names, packed by openssl. */
function caIssuedSeal(): SealCredentials {
	const run = (args: string[]) => {
		const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`openssl ${args[0]}: ${result.stderr}`);
	};
	run([
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
		'-days',
		'30',
		'-utf8',
		'-subj',
		'/CN=Väestö CA Ääni/O=Digi- ja väestötietovirasto/C=FI'
	]);
	run([
		'req',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		'seal.key',
		'-out',
		'seal.csr',
		'-utf8',
		'-subj',
		'/CN=Kotihoito Ähtäri sinetti/O=Kotihoito Ähtäri Oy/C=FI'
	]);
	run(['x509', '-req', '-in', 'seal.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'seal.pem', '-days', '30']);
	run([
		'pkcs12',
		'-export',
		'-inkey',
		'seal.key',
		'-in',
		'seal.pem',
		'-certfile',
		'ca.pem',
		'-out',
		'seal.p12',
		'-passout',
		'pass:salasana'
	]);
	return { p12: readFileSync(join(dir, 'seal.p12')), passphrase: 'salasana' };
}

describe.skipIf(!hasPdfsig || !hasOpenssl)('sealPdf with a CA-issued seal', () => {
	it('names the seal, not its CA, and signs so that pdfsig finds the signer despite the non-ASCII issuer', async () => {
		const seal = caIssuedSeal();
		expect(describeSeal(seal)).toMatchObject({
			subject: 'CN=Kotihoito Ähtäri sinetti, O=Kotihoito Ähtäri Oy, C=FI',
			issuer: 'CN=Väestö CA Ääni, O=Digi- ja väestötietovirasto, C=FI',
			selfSigned: false
		});
		const out = pdfsig(await sealPdf(await render(), seal, INFO), 'ca-issued.pdf');
		expect(out).toContain('Signer Certificate Common Name: Kotihoito Ähtäri sinetti');
		expect(out).toContain('Signature is Valid.');
		expect(out).toContain('Total document signed');
	});
});
