import { createPrivateKey, X509Certificate } from 'node:crypto';
import { containsPrivateKey } from '../../certificates/private-key';

export interface ParsedCertificate {
	/** One-line DN in the order it is encoded, RFC 4514 escapes kept, e.g. "CN=a, O=b, C=FI". */
	subject: string;
	/** The CN value with escapes removed, or '' when the subject has none. */
	commonName: string;
	issuer: string;
	/** Upper-case hex. */
	serialNumber: string;
	/** Upper-case hex pairs separated by colons, as `openssl x509 -fingerprint -sha256` prints. */
	fingerprintSha256: string;
	validFrom: Date;
	validTo: Date;
	/** 'RSA', 'EC', 'Ed25519', ... */
	keyType: string;
	/** RSA/DSA modulus bits or the curve size; null when it cannot be told. */
	keySize: number | null;
	selfSigned: boolean;
	/** The certificate alone, re-encoded as PEM. */
	pem: string;
}

export type ParseResult =
	| { ok: true; certificates: ParsedCertificate[] }
	| { ok: false; reason: 'private_key' | 'empty' | 'not_a_certificate' | 'too_large' | 'too_many' };

export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;
/** A certificate with its chain is a handful; more is not a certificate file (README, limits). */
export const MAX_CERTIFICATES_PER_FILE = 20;

// Only the markers are matched, never what lies between them: a lazy match from each BEGIN to
// the next END took quadratic time on a file of unclosed BEGIN lines.
const PEM_MARKER = /-----(BEGIN|END) (?:X509 )?CERTIFICATE-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads an uploaded certificate file (PEM with one or more certificates, or a single DER
 * certificate). Anything that holds a private key is refused before any parsing is attempted,
 * and the refusal carries only a reason so no key material can travel further.
 */
export function parseCertificateFile(bytes: Uint8Array): ParseResult {
	// The size check needs no look at the content, so it bounds all the work that follows.
	if (bytes.byteLength > MAX_CERTIFICATE_FILE_BYTES) return { ok: false, reason: 'too_large' };

	const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	// latin1 maps every byte to one character, so the ASCII PEM markers are found even when the
	// rest of the file is not valid UTF-8.
	const text = buffer.toString('latin1');
	if (containsPrivateKey(text) || isDerPrivateKey(buffer)) return { ok: false, reason: 'private_key' };
	if (text.trim() === '') return { ok: false, reason: 'empty' };

	const certificates = readPemCertificates(text) ?? readDerCertificates(buffer);
	if (certificates === 'too_many') return { ok: false, reason: 'too_many' };
	if (!certificates || certificates.length === 0) return { ok: false, reason: 'not_a_certificate' };

	return { ok: true, certificates: leafFirst(certificates).map(describeCertificate) };
}

function isDerPrivateKey(buffer: Buffer): boolean {
	// Every DER key structure is an ASN.1 SEQUENCE; skipping other input avoids asking OpenSSL
	// to decode text files three times.
	if (buffer.length === 0 || buffer[0] !== 0x30) return false;
	for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
		try {
			createPrivateKey({ key: buffer, format: 'der', type });
			return true;
		} catch (error) {
			// An encrypted PKCS#8 key is recognised as a key and then fails for want of a passphrase.
			if ((error as { code?: unknown }).code === 'ERR_MISSING_PASSPHRASE') return true;
		}
	}
	return false;
}

/**
 * null when there are no certificate blocks; [] when one is broken (a BEGIN without its END, an
 * END without a BEGIN), so the whole file is refused. One pass over the markers: linear time.
 */
function readPemCertificates(text: string): X509Certificate[] | 'too_many' | null {
	const bodies: string[] = [];
	let open = -1;
	for (const marker of text.matchAll(PEM_MARKER)) {
		const begins = marker[1] === 'BEGIN';
		const inside = open >= 0;
		// A BEGIN inside a block, or an END outside one, breaks the file.
		if (begins === inside) return [];
		if (begins) {
			if (bodies.length === MAX_CERTIFICATES_PER_FILE) return 'too_many';
			open = marker.index + marker[0].length;
		} else {
			bodies.push(text.slice(open, marker.index));
			open = -1;
		}
	}
	if (open >= 0) return [];
	if (bodies.length === 0) return null;
	const certificates: X509Certificate[] = [];
	for (const body of bodies) {
		const base64 = body.replace(/\s+/g, '');
		// Buffer.from(base64) silently drops invalid characters; a damaged block should not
		// turn into a different certificate by accident.
		if (!BASE64_BODY.test(base64)) return [];
		const certificate = tryCertificate(Buffer.from(base64, 'base64'));
		if (!certificate) return [];
		certificates.push(certificate);
	}
	return certificates;
}

/** Accepts one DER certificate, or several written back to back. */
function readDerCertificates(buffer: Buffer): X509Certificate[] | 'too_many' | null {
	const certificates: X509Certificate[] = [];
	let offset = 0;
	while (offset < buffer.length) {
		if (certificates.length === MAX_CERTIFICATES_PER_FILE) return 'too_many';
		const rest = buffer.subarray(offset);
		// X509Certificate would also accept PEM; only DER (a SEQUENCE) belongs on this path.
		if (rest[0] !== 0x30) return null;
		const certificate = tryCertificate(rest);
		if (!certificate) return null;
		certificates.push(certificate);
		offset += certificate.raw.length;
	}
	return certificates;
}

function tryCertificate(der: Buffer): X509Certificate | null {
	try {
		return new X509Certificate(der);
	} catch {
		return null;
	}
}

/**
 * Puts the leaf first and keeps the others in file order. Most files already start with the
 * leaf, but some tools write the chain root first; the leaf is the one that issued none of the
 * others. Issuer names are collected once, so this is linear rather than a signature check for
 * every pair of certificates.
 */
function leafFirst(certificates: X509Certificate[]): X509Certificate[] {
	const issuerNames = new Set(certificates.filter((c) => c.issuer !== c.subject).map((c) => c.issuer));
	const leafIndex = certificates.findIndex((candidate) => !issuerNames.has(candidate.subject));
	if (leafIndex <= 0) return certificates;
	return [certificates[leafIndex], ...certificates.filter((_, i) => i !== leafIndex)];
}

function isIssuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
	try {
		return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
	} catch {
		// A signature algorithm OpenSSL cannot verify says nothing either way; treat as unrelated.
		return false;
	}
}

function describeCertificate(certificate: X509Certificate): ParsedCertificate {
	const subjectParts = splitName(certificate.subject);
	const commonNames = subjectParts.filter((part) => part.startsWith('CN='));
	const key = certificate.publicKey;
	return {
		subject: subjectParts.join(', '),
		// With several CNs the last is the most specific one, as in hostname matching.
		commonName: commonNames.length ? unescapeDnValue(commonNames[commonNames.length - 1].slice(3)) : '',
		issuer: splitName(certificate.issuer).join(', '),
		serialNumber: certificate.serialNumber.toUpperCase(),
		fingerprintSha256: certificate.fingerprint256.toUpperCase(),
		validFrom: certificateDate(certificate, 'validFrom'),
		validTo: certificateDate(certificate, 'validTo'),
		keyType: describeKeyType(key.asymmetricKeyType),
		keySize: describeKeySize(key.asymmetricKeyType, key.asymmetricKeyDetails),
		selfSigned: isIssuedBy(certificate, certificate),
		pem: certificate.toString()
	};
}

/** Node prints one attribute per line; values already carry RFC 2253 escapes for ',', '+', '"' and so on. */
function splitName(name: string): string[] {
	return name.split('\n').filter((line) => line !== '');
}

function unescapeDnValue(value: string): string {
	// Control characters come out as \XX hex, everything else as a backslash before the character.
	return value.replace(/\\([0-9A-Fa-f]{2}|.)/g, (_, escaped: string) =>
		escaped.length === 2 ? String.fromCharCode(parseInt(escaped, 16)) : escaped
	);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function certificateDate(certificate: X509Certificate, field: 'validFrom' | 'validTo'): Date {
	// Node 22 adds validFromDate/validToDate; Node 20 only has OpenSSL's text form.
	const native = (certificate as unknown as Record<string, unknown>)[`${field}Date`];
	if (native instanceof Date) return native;
	// OpenSSL prints e.g. "Nov  2 09:05:00 2026 GMT"; Date.parse of that format is not specified.
	const match = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(certificate[field]);
	if (!match) return new Date(certificate[field]);
	const [, month, day, hours, minutes, seconds, year] = match;
	return new Date(Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), Number(hours), Number(minutes), Number(seconds)));
}

const KEY_TYPE_NAMES: Record<string, string> = {
	rsa: 'RSA',
	'rsa-pss': 'RSA-PSS',
	dsa: 'DSA',
	ec: 'EC',
	ed25519: 'Ed25519',
	ed448: 'Ed448',
	x25519: 'X25519',
	x448: 'X448'
};

function describeKeyType(type: string | undefined): string {
	if (!type) return 'unknown';
	return KEY_TYPE_NAMES[type] ?? type.toUpperCase();
}

function describeKeySize(type: string | undefined, details: { modulusLength?: number; namedCurve?: string } | undefined): number | null {
	if (details?.modulusLength) return details.modulusLength;
	if (type === 'ed25519' || type === 'x25519') return 256;
	if (type === 'ed448' || type === 'x448') return 448;
	// Curve names carry their field size: prime256v1, secp384r1, secp521r1, brainpoolP512r1.
	const bits = details?.namedCurve ? /(\d{3})/.exec(details.namedCurve) : null;
	return bits ? Number(bits[1]) : null;
}
