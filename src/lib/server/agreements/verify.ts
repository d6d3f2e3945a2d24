import { eq } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import type { DbOrTx } from '../db';
import { agreement, type Agreement } from '../db/schema';
import { getAgreement } from './agreements';
import { sha256Hex } from './templates-store';

export type Verification =
	| { result: 'identical'; agreement: Agreement; sha256: string }
	| { result: 'modified'; agreement: Agreement; sha256: string }
	| { result: 'unknown'; sha256: string };

const ID_MARK = /liitos-agreement:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;

/** Which agreement a (possibly altered) copy claims to be, from the keywords the portal wrote. */
async function claimedAgreementId(bytes: Uint8Array): Promise<string | null> {
	const raw = ID_MARK.exec(Buffer.from(bytes).toString('latin1'));
	if (raw) return raw[1];
	try {
		const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
		return ID_MARK.exec(pdf.getKeywords() ?? '')?.[1] ?? null;
	} catch {
		return null;
	}
}

/**
 * Compares an uploaded PDF with the sealed originals, byte for byte (by SHA-256). A copy that is
 * not identical is still named when it carries an agreement's id, so the user learns it was changed.
 */
export async function verifyPdf(db: DbOrTx, bytes: Uint8Array): Promise<Verification> {
	const sha256 = sha256Hex(bytes);
	const original = db.select().from(agreement).where(eq(agreement.sealedSha256, sha256)).get();
	if (original) return { result: 'identical', agreement: original, sha256 };
	const claimed = await claimedAgreementId(bytes);
	const found = claimed ? getAgreement(db, claimed) : undefined;
	return found ? { result: 'modified', agreement: found, sha256 } : { result: 'unknown', sha256 };
}
