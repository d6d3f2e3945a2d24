import { constants, createHash, createPrivateKey, privateEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';

export interface SealCredentials {
	p12: Buffer;
	passphrase: string;
}

const { asn1, pki, pkcs12 } = forge;

/** Names as UTF8String, which RFC 5280 asks of new certificates (forge's default cannot hold "ä"). */
function nameAttribute(name: string, value: string): forge.pki.CertificateField {
	return { name, value, valueTagClass: asn1.Type.UTF8 as unknown as forge.asn1.Class }; // @types mislabels the tag's type
}

/**
 * A self-signed organisation seal (RSA 2048, SHA-256) packed as PKCS#12. Meant for development and
 * for deployments without a qualified seal: validators will report the issuer as untrusted.
 */
export function generateSelfSignedSeal(
	subject: { commonName: string; organisation: string; country?: string },
	validYears = 5
): SealCredentials {
	// forge delegates to Node's native generateKeyPairSync when available, so this takes milliseconds.
	const keys = pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
	const cert = pki.createCertificate();
	cert.publicKey = keys.publicKey;
	// Positive serial: a leading 0x01 keeps the DER INTEGER from reading as negative.
	cert.serialNumber = '01' + randomBytes(15).toString('hex');
	const now = new Date();
	cert.validity.notBefore = new Date(now.getTime() - 60_000); // tolerate small clock skew at the verifier
	cert.validity.notAfter = new Date(now);
	cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + validYears);

	const attrs: forge.pki.CertificateField[] = [
		nameAttribute('commonName', subject.commonName),
		nameAttribute('organizationName', subject.organisation)
	];
	// X.520 fixes countryName as a two-letter PrintableString, forge's default.
	if (subject.country) attrs.push({ name: 'countryName', value: subject.country.toUpperCase() });
	cert.setSubject(attrs);
	cert.setIssuer(attrs);
	cert.setExtensions([
		{ name: 'basicConstraints', cA: false, critical: true },
		{ name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
		{ name: 'subjectKeyIdentifier' }
	]);
	cert.sign(keys.privateKey, forge.md.sha256.create());

	const passphrase = randomBytes(24).toString('base64url');
	// AES-256 (PBES2) key and certificate bags, which forge (and so sealPdf) reads back.
	const p12Asn1 = pkcs12.toPkcs12Asn1(keys.privateKey, [cert], passphrase, {
		algorithm: 'aes256',
		friendlyName: subject.commonName
	});
	return { p12: Buffer.from(asn1.toDer(p12Asn1).getBytes(), 'binary'), passphrase };
}

interface OpenedSeal {
	/** The private key for node's crypto, which signs in well under a millisecond where forge takes about 25 ms. */
	keyObject: KeyObject;
	certificate: forge.pki.Certificate;
	chain: forge.pki.Certificate[];
}

// Decrypting the PKCS#12 (PBKDF2 in forge's JavaScript) costs about 30 ms. The process reads the
// file and its passphrase for every seal anyway, so keeping the last one opened exposes nothing new.
let lastOpened: { fingerprint: string; seal: OpenedSeal } | undefined;

/** The seal's private key, its certificate, and every certificate the file holds (the chain). */
function openSeal(credentials: SealCredentials): OpenedSeal {
	const fingerprint = createHash('sha256').update(credentials.p12).update('\0').update(credentials.passphrase).digest('hex');
	if (lastOpened?.fingerprint === fingerprint) return lastOpened.seal;
	const der = forge.util.createBuffer(credentials.p12.toString('binary'));
	const p12 = pkcs12.pkcs12FromAsn1(asn1.fromDer(der), false, credentials.passphrase);
	const chain = (p12.getBags({ bagType: pki.oids.certBag })[pki.oids.certBag] ?? []).flatMap((bag) => (bag.cert ? [bag.cert] : []));
	const key = p12.getBags({ bagType: pki.oids.pkcs8ShroudedKeyBag })[pki.oids.pkcs8ShroudedKeyBag]?.[0]?.key as
		forge.pki.rsa.PrivateKey | undefined;
	if (!key) throw new Error('The PKCS#12 file holds no private key');
	const certificate = chain.find((cert) => {
		const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
		return publicKey.n.equals(key.n) && publicKey.e.equals(key.e);
	});
	if (!certificate) throw new Error('The PKCS#12 file holds no certificate for its private key');
	const seal = { keyObject: createPrivateKey(pki.privateKeyToPem(key)), certificate, chain };
	lastOpened = { fingerprint, seal };
	return seal;
}

// DER of DigestInfo { sha256, NULL } up to the digest itself (RFC 8017, 9.2, note 1).
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * What forge's PKCS#7 asks of a signer's key: sign(md) for RSASSA-PKCS1-v1_5, the DigestInfo
 * encrypted with the private key. Done by node's OpenSSL instead of forge's JavaScript big numbers.
 */
function nodeRsaKey(keyObject: KeyObject): forge.pki.rsa.PrivateKey {
	const sign = (md: forge.md.MessageDigest) => {
		if (md.algorithm !== 'sha256') throw new Error(`Unexpected digest ${md.algorithm}`);
		const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]);
		return privateEncrypt({ key: keyObject, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
	};
	return { sign } as unknown as forge.pki.rsa.PrivateKey; // forge's pkcs7 calls nothing else on the key
}

/**
 * forge reads a UTF8String name back as raw UTF-8 bytes and encodes it as UTF-8 again when it
 * writes the signer's issuer into the PKCS#7, so a non-ASCII CA name ("Väestö CA") no longer matched
 * the certificate and validators rejected the signature. Decoded first, it is written back as it was.
 */
function issuerAsWritten(certificate: forge.pki.Certificate): forge.pki.CertificateField[] {
	return certificate.issuer.attributes.map((attr) =>
		(attr.valueTagClass as unknown) === asn1.Type.UTF8 ? { ...attr, value: forge.util.decodeUtf8(String(attr.value)) } : attr
	);
}

/**
 * A detached PKCS#7 signature with SHA-256 (adbe.pkcs7.detached) by the seal's key, its chain
 * included. The signed attributes are content type, signing time and message digest, in that
 * order, as EU validators expect.
 */
class SealSigner extends Signer {
	constructor(private readonly credentials: SealCredentials) {
		super();
	}

	async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
		const { keyObject, certificate, chain } = openSeal(this.credentials);
		const p7 = forge.pkcs7.createSignedData();
		p7.content = forge.util.createBuffer(pdf.toString('binary'));
		for (const cert of chain) p7.addCertificate(cert);
		p7.addSigner({
			key: nodeRsaKey(keyObject),
			// forge takes the issuer and the serial number from here: the issuer as written (above).
			certificate: { ...certificate, issuer: { ...certificate.issuer, attributes: issuerAsWritten(certificate) } },
			digestAlgorithm: pki.oids.sha256,
			authenticatedAttributes: [
				{ type: pki.oids.contentType, value: pki.oids.data },
				{ type: pki.oids.signingTime, value: (signingTime ?? new Date()) as unknown as string }, // forge takes a Date here
				{ type: pki.oids.messageDigest }
			]
		});
		p7.sign({ detached: true });
		return Buffer.from(asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
	}
}

/**
 * Adds a detached PKCS#7 signature (adbe.pkcs7.detached) covering the whole document. This must be the last
 * step: any later re-save (e.g. with pdf-lib) rewrites bytes inside the signed range.
 */
export async function sealPdf(
	pdf: Uint8Array,
	credentials: SealCredentials,
	info: { reason: string; location: string; name: string; contactInfo: string }
): Promise<Buffer> {
	// updateMetadata: false keeps the renderer's Producer and dates instead of pdf-lib's.
	const doc = await PDFDocument.load(pdf, { updateMetadata: false });
	const signingTime = new Date();
	pdflibAddPlaceholder({ pdfDoc: doc, ...info, signingTime, appName: 'Liitos' });
	const withPlaceholder = Buffer.from(await doc.save({ objectsPerTick: Infinity })); // no pauses for the event loop: each costs a timer tick
	return new SignPdf().sign(withPlaceholder, new SealSigner(credentials), signingTime);
}

function formatName(name: forge.pki.Certificate['subject']): string {
	return name.attributes
		.map((attr) => {
			// forge hands UTF8String values back as raw UTF-8 bytes (BMPStrings come back decoded).
			const raw = String(attr.value);
			const value = (attr.valueTagClass as unknown) === asn1.Type.UTF8 ? forge.util.decodeUtf8(raw) : raw;
			return `${attr.shortName ?? attr.name ?? attr.type}=${value}`;
		})
		.join(', ');
}

/** What an administrator needs to recognise a seal; the fingerprint is SHA-256 over the DER certificate. */
export function describeSeal(credentials: SealCredentials): {
	subject: string;
	issuer: string;
	selfSigned: boolean;
	validTo: Date;
	fingerprintSha256: string;
} {
	const cert = openSeal(credentials).certificate;
	const der = Buffer.from(asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary');
	let selfSigned: boolean;
	try {
		selfSigned = cert.isIssuer(cert) && cert.verify(cert);
	} catch {
		selfSigned = false; // verify throws when the issuer's key does not match
	}
	return {
		subject: formatName(cert.subject),
		issuer: formatName(cert.issuer),
		selfSigned,
		validTo: cert.validity.notAfter,
		fingerprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':')
	};
}
