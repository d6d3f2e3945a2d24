import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containsPrivateKey } from '../../certificates/private-key';
import { MAX_CERTIFICATES_PER_FILE, parseCertificateFile, type ParsedCertificate } from './x509';

// Fixtures are made with openssl at test time so no key or certificate is ever committed.
let dir: string;

function openssl(...args: string[]): string {
	const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
	return result.stdout;
}

function file(name: string): Uint8Array {
	return new Uint8Array(readFileSync(join(dir, name)));
}

function text(name: string): string {
	return readFileSync(join(dir, name), 'utf8');
}

function parsedOk(bytes: Uint8Array): ParsedCertificate[] {
	const result = parseCertificateFile(bytes);
	if (!result.ok) throw new Error(`expected certificates, got ${result.reason}`);
	return result.certificates;
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'liitos-x509-'));
	// Self-signed RSA certificate and its key, plus the key in the other forms people upload.
	openssl(
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		'rsa.key',
		'-out',
		'rsa.pem',
		'-days',
		'365',
		'-subj',
		'/CN=kanta.example.fi/O=Demo Terveys Oy/C=FI'
	);
	openssl('x509', '-in', 'rsa.pem', '-outform', 'DER', '-out', 'rsa.der');
	openssl('x509', '-in', 'rsa.pem', '-text', '-out', 'rsa-with-text.pem');
	openssl('rsa', '-in', 'rsa.key', '-traditional', '-out', 'rsa-traditional.key');
	openssl('rsa', '-in', 'rsa.key', '-traditional', '-outform', 'DER', '-out', 'rsa-pkcs1.der');
	openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'rsa.key', '-outform', 'DER', '-out', 'rsa-pkcs8.der');
	openssl('pkcs8', '-topk8', '-in', 'rsa.key', '-passout', 'pass:secret', '-out', 'rsa-encrypted.key');
	openssl('pkcs8', '-topk8', '-in', 'rsa.key', '-passout', 'pass:secret', '-outform', 'DER', '-out', 'rsa-encrypted.der');
	writeFileSync(join(dir, 'rsa-bundle.pem'), text('rsa.pem') + text('rsa.key'));

	openssl(
		'req',
		'-x509',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:prime256v1',
		'-nodes',
		'-keyout',
		'ec.key',
		'-out',
		'ec.pem',
		'-days',
		'30',
		'-subj',
		'/CN=ec.example.fi'
	);
	openssl('ec', '-in', 'ec.key', '-outform', 'DER', '-out', 'ec-sec1.der');

	// A small CA and a leaf it signed.
	openssl(
		'req',
		'-x509',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:prime256v1',
		'-nodes',
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
		'-days',
		'3650',
		'-subj',
		'/CN=Demo CA/O=Demo Terveys Oy/C=FI'
	);
	openssl(
		'req',
		'-new',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		'leaf.key',
		'-out',
		'leaf.csr',
		'-subj',
		'/CN=palvelu.example.fi/O=Demo Terveys Oy/C=FI'
	);
	openssl(
		'x509',
		'-req',
		'-in',
		'leaf.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca.key',
		'-set_serial',
		'0x1234',
		'-days',
		'90',
		'-out',
		'leaf.pem'
	);
	const crlf = (pem: string) => pem.replace(/\r?\n/g, '\r\n');
	writeFileSync(join(dir, 'chain.pem'), crlf(text('leaf.pem') + text('ca.pem')));
	writeFileSync(join(dir, 'chain-root-first.pem'), crlf(text('ca.pem') + text('leaf.pem')));
	writeFileSync(
		join(dir, 'chain.der'),
		Buffer.concat([readFileSync(join(dir, 'leaf.pem')), readFileSync(join(dir, 'ca.pem'))].map(pemToDer))
	);

	openssl(
		'req',
		'-x509',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:secp384r1',
		'-nodes',
		'-keyout',
		'nordic.key',
		'-out',
		'nordic.pem',
		'-days',
		'30',
		'-utf8',
		'-subj',
		'/CN=Äänekoski/O=Hyvä Oy/C=FI'
	);
}, 60_000);

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

function pemToDer(pem: Buffer): Buffer {
	const body = pem
		.toString('latin1')
		.replace(/-----[^-]+-----/g, '')
		.replace(/\s+/g, '');
	return Buffer.from(body, 'base64');
}

describe('parseCertificateFile with single certificates', () => {
	it('reads the fields of a self-signed RSA certificate', () => {
		const [certificate, ...rest] = parsedOk(file('rsa.pem'));
		expect(rest).toHaveLength(0);
		expect(certificate.subject).toBe('CN=kanta.example.fi, O=Demo Terveys Oy, C=FI');
		expect(certificate.issuer).toBe(certificate.subject);
		expect(certificate.commonName).toBe('kanta.example.fi');
		expect(certificate.keyType).toBe('RSA');
		expect(certificate.keySize).toBe(2048);
		expect(certificate.selfSigned).toBe(true);
		expect(certificate.validTo.getTime() - certificate.validFrom.getTime()).toBe(365 * 24 * 60 * 60 * 1000);
		expect(Math.abs(certificate.validFrom.getTime() - Date.now())).toBeLessThan(10 * 60 * 1000);
	});

	it('gives the same serial number and fingerprint as openssl', () => {
		const [certificate] = parsedOk(file('rsa.pem'));
		const serial = openssl('x509', '-in', 'rsa.pem', '-noout', '-serial')
			.trim()
			.replace(/^serial=/, '');
		const fingerprint = openssl('x509', '-in', 'rsa.pem', '-noout', '-fingerprint', '-sha256')
			.trim()
			.replace(/^.*Fingerprint=/i, '');
		expect(certificate.serialNumber).toBe(serial.toUpperCase());
		expect(certificate.fingerprintSha256).toBe(fingerprint);
		expect(certificate.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
	});

	it('returns public PEM only', () => {
		const [certificate] = parsedOk(file('rsa.pem'));
		expect(certificate.pem.replace(/\r?\n/g, '')).toBe(text('rsa.pem').replace(/\r?\n/g, ''));
		expect(containsPrivateKey(certificate.pem)).toBe(false);
	});

	it('reads the same certificate in DER form', () => {
		const [fromPem] = parsedOk(file('rsa.pem'));
		const [fromDer] = parsedOk(file('rsa.der'));
		expect(fromDer.fingerprintSha256).toBe(fromPem.fingerprintSha256);
		expect(fromDer.pem).toBe(fromPem.pem);
	});

	it('finds the certificate among the text openssl prints around it', () => {
		const [certificate] = parsedOk(file('rsa-with-text.pem'));
		expect(certificate.commonName).toBe('kanta.example.fi');
	});

	it('reports an EC P-256 key as 256 bits', () => {
		const [certificate] = parsedOk(file('ec.pem'));
		expect(certificate.keyType).toBe('EC');
		expect(certificate.keySize).toBe(256);
		expect(certificate.commonName).toBe('ec.example.fi');
	});

	it('keeps Nordic letters readable in the subject', () => {
		const [certificate] = parsedOk(file('nordic.pem'));
		expect(certificate.subject).toBe('CN=Äänekoski, O=Hyvä Oy, C=FI');
		expect(certificate.commonName).toBe('Äänekoski');
		expect(certificate.keySize).toBe(384);
	});
});

describe('parseCertificateFile with chains', () => {
	it('returns leaf and CA from a CRLF chain, leaf first', () => {
		const certificates = parsedOk(file('chain.pem'));
		expect(certificates.map((c) => c.commonName)).toEqual(['palvelu.example.fi', 'Demo CA']);
		const [leaf, ca] = certificates;
		expect(leaf.selfSigned).toBe(false);
		expect(leaf.issuer).toBe('CN=Demo CA, O=Demo Terveys Oy, C=FI');
		expect(leaf.serialNumber).toBe('1234');
		expect(leaf.keyType).toBe('RSA');
		expect(ca.selfSigned).toBe(true);
	});

	it('puts the leaf first even when the file starts with the CA', () => {
		const certificates = parsedOk(file('chain-root-first.pem'));
		expect(certificates.map((c) => c.commonName)).toEqual(['palvelu.example.fi', 'Demo CA']);
	});

	it('reads DER certificates written back to back', () => {
		const certificates = parsedOk(file('chain.der'));
		expect(certificates.map((c) => c.commonName)).toEqual(['palvelu.example.fi', 'Demo CA']);
	});

	it('refuses a chain with a damaged block instead of returning part of it', () => {
		const damaged = text('chain.pem').replace(/(-----BEGIN CERTIFICATE-----\r\n)(.)/, '$1!$2');
		expect(parseCertificateFile(new TextEncoder().encode(damaged))).toEqual({
			ok: false,
			reason: 'not_a_certificate'
		});
	});
});

describe('parseCertificateFile refuses private keys', () => {
	it.each([
		['a certificate bundled with its key', 'rsa-bundle.pem'],
		['a PKCS#8 PEM key', 'rsa.key'],
		['a traditional RSA PEM key', 'rsa-traditional.key'],
		['an encrypted PEM key', 'rsa-encrypted.key'],
		['a PKCS#8 DER key', 'rsa-pkcs8.der'],
		['a PKCS#1 DER key', 'rsa-pkcs1.der'],
		['an encrypted PKCS#8 DER key', 'rsa-encrypted.der'],
		['an EC SEC1 DER key', 'ec-sec1.der']
	])('%s', (_, name) => {
		// Exactly these two fields: nothing from the key may come back.
		expect(parseCertificateFile(file(name))).toStrictEqual({ ok: false, reason: 'private_key' });
	});
});

describe('parseCertificateFile refuses other files', () => {
	it('calls random bytes not a certificate', () => {
		const bytes = new Uint8Array(randomBytes(2048));
		bytes[0] = 0x30; // look like DER so the DER path really runs
		expect(parseCertificateFile(bytes)).toEqual({ ok: false, reason: 'not_a_certificate' });
	});

	it('calls a text file not a certificate', () => {
		const bytes = new TextEncoder().encode('Hei! Tässä on varmenne, terveisin Matti.\n');
		expect(parseCertificateFile(bytes)).toEqual({ ok: false, reason: 'not_a_certificate' });
	});

	it('calls a certificate signing request not a certificate', () => {
		expect(parseCertificateFile(file('leaf.csr'))).toEqual({ ok: false, reason: 'not_a_certificate' });
	});

	it('calls an empty or blank file empty', () => {
		expect(parseCertificateFile(new Uint8Array())).toEqual({ ok: false, reason: 'empty' });
		expect(parseCertificateFile(new TextEncoder().encode(' \r\n\t\n'))).toEqual({ ok: false, reason: 'empty' });
	});

	it('refuses a file over 1 MB without reading it', () => {
		const big = new Uint8Array(2 * 1024 * 1024);
		expect(parseCertificateFile(big)).toEqual({ ok: false, reason: 'too_large' });
	});

	it('accepts a certificate padded to exactly 1 MB', () => {
		const pem = text('rsa.pem');
		const padded = new TextEncoder().encode(pem + ' '.repeat(1024 * 1024 - pem.length));
		expect(padded.byteLength).toBe(1024 * 1024);
		expect(parseCertificateFile(padded).ok).toBe(true);
	});
});

describe('parseCertificateFile bounds the work a file can cause', () => {
	const encode = (value: string) => new TextEncoder().encode(value);

	it('refuses a 1 MB file of unclosed BEGIN lines, even with a certificate at its end', () => {
		const pem = text('rsa.pem');
		const line = '-----BEGIN CERTIFICATE-----\n';
		const hostile = line.repeat(Math.floor((1024 * 1024 - pem.length) / line.length)) + pem;
		expect(hostile.length).toBeGreaterThan(1000 * 1000);
		expect(parseCertificateFile(encode(hostile))).toEqual({ ok: false, reason: 'not_a_certificate' });
	});

	it('refuses an END without a BEGIN', () => {
		expect(parseCertificateFile(encode('-----END CERTIFICATE-----\n' + text('rsa.pem')))).toEqual({
			ok: false,
			reason: 'not_a_certificate'
		});
	});

	it(`accepts ${MAX_CERTIFICATES_PER_FILE} certificates in one file and refuses one more, PEM and DER`, () => {
		const pem = text('rsa.pem');
		expect(parsedOk(encode(pem.repeat(MAX_CERTIFICATES_PER_FILE)))).toHaveLength(MAX_CERTIFICATES_PER_FILE);
		expect(parseCertificateFile(encode(pem.repeat(MAX_CERTIFICATES_PER_FILE + 1)))).toEqual({ ok: false, reason: 'too_many' });
		const der = pemToDer(Buffer.from(pem));
		const manyDer = Buffer.concat(new Array(MAX_CERTIFICATES_PER_FILE + 1).fill(der));
		expect(parseCertificateFile(new Uint8Array(manyDer))).toEqual({ ok: false, reason: 'too_many' });
	});

	it('stops at the certificate cap before reading the unclosed BEGIN lines after it', () => {
		const pem = text('rsa.pem');
		const hostile = pem.repeat(MAX_CERTIFICATES_PER_FILE + 1) + '-----BEGIN CERTIFICATE-----\n'.repeat(20000);
		expect(parseCertificateFile(encode(hostile))).toEqual({ ok: false, reason: 'too_many' });
	});
});

describe('containsPrivateKey', () => {
	it.each([
		'-----BEGIN PRIVATE KEY-----',
		'-----BEGIN RSA PRIVATE KEY-----',
		'-----BEGIN EC PRIVATE KEY-----',
		'-----BEGIN ENCRYPTED PRIVATE KEY-----',
		'-----BEGIN OPENSSH PRIVATE KEY-----',
		'-----BEGIN DSA PRIVATE KEY-----',
		'PuTTY-User-Key-File-3: ssh-ed25519'
	])('finds %s inside other text', (marker) => {
		expect(containsPrivateKey(`certificate below\r\n${marker}\r\nMIIE...\r\n`)).toBe(true);
	});

	it('finds the keys openssl writes', () => {
		expect(containsPrivateKey(text('rsa.key'))).toBe(true);
		expect(containsPrivateKey(text('rsa-traditional.key'))).toBe(true);
		expect(containsPrivateKey(text('rsa-encrypted.key'))).toBe(true);
		expect(containsPrivateKey(text('ec.key'))).toBe(true);
	});

	it('leaves certificates, public keys and requests alone', () => {
		expect(containsPrivateKey(text('chain.pem'))).toBe(false);
		expect(containsPrivateKey(text('leaf.csr'))).toBe(false);
		expect(containsPrivateKey('-----BEGIN PUBLIC KEY-----\nMFkw...\n-----END PUBLIC KEY-----')).toBe(false);
		expect(containsPrivateKey('')).toBe(false);
	});
});
