import { createHash, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';

export interface SealCredentials {
	p12: Buffer;
	passphrase: string;
}

const { asn1, pki, pkcs12 } = forge;

/**
 * forge reads a UTF8String name back as raw bytes and UTF-8-encodes it again when P12Signer writes the
 * signer's issuer into the PKCS#7, so a non-ASCII issuer no longer matches the certificate and
 * validators reject the signature. ASCII is immune (the encoding is the identity); other text goes
 * into a BMPString, which forge converts symmetrically in both directions.
 */
function nameAttribute(name: string, value: string): forge.pki.CertificateField {
	const tag = /^[\x20-\x7e]*$/.test(value) ? asn1.Type.UTF8 : asn1.Type.BMPSTRING;
	return { name, value, valueTagClass: tag as unknown as forge.asn1.Class }; // @types mislabels the tag's type
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
	// AES-256 (PBES2) key and certificate bags: forge, and therefore P12Signer, reads them back.
	const p12Asn1 = pkcs12.toPkcs12Asn1(keys.privateKey, [cert], passphrase, {
		algorithm: 'aes256',
		friendlyName: subject.commonName
	});
	return { p12: Buffer.from(asn1.toDer(p12Asn1).getBytes(), 'binary'), passphrase };
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
	const withPlaceholder = Buffer.from(await doc.save());
	// P12Signer holds per-signature state: one instance per seal.
	const signer = new P12Signer(credentials.p12, { passphrase: credentials.passphrase });
	return new SignPdf().sign(withPlaceholder, signer, signingTime);
}

function readCertificate(credentials: SealCredentials): forge.pki.Certificate {
	const der = forge.util.createBuffer(credentials.p12.toString('binary'));
	const p12 = pkcs12.pkcs12FromAsn1(asn1.fromDer(der), false, credentials.passphrase);
	const bag = p12.getBags({ bagType: pki.oids.certBag })[pki.oids.certBag]?.[0];
	if (!bag?.cert) throw new Error('The PKCS#12 file holds no certificate');
	return bag.cert;
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
	const cert = readCertificate(credentials);
	const der = Buffer.from(asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary');
	let selfSigned = false;
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
