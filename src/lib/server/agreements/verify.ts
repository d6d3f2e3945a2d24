import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { agreement, type Agreement } from '../db/schema';
import { getAgreement } from './agreements';
import { sha256Hex } from './templates-store';
import { runUntrusted, type Refusal } from '../untrusted/sandbox';

export type Verification =
	| { result: 'identical'; agreement: Agreement; sha256: string }
	| { result: 'modified'; agreement: Agreement; sha256: string }
	| { result: 'unknown'; sha256: string }
	| { result: 'refused'; reason: Refusal; sha256: string };

/**
 * Compares an uploaded PDF with the sealed originals, byte for byte (by SHA-256). A copy that is
 * not identical is still named when it carries an agreement's id, so the user learns it was changed.
 * Looking for that id means reading an untrusted file, which happens in the worker (`claim.ts`);
 * a file that expands too far or takes too long is refused.
 */
export async function verifyPdf(db: DbOrTx, bytes: Uint8Array): Promise<Verification> {
	const sha256 = sha256Hex(bytes);
	const original = db.select().from(agreement).where(eq(agreement.sealedSha256, sha256)).get();
	if (original) return { result: 'identical', agreement: original, sha256 };
	const claim = await runUntrusted('pdfClaim', bytes);
	if (!claim.ok) return { result: 'refused', reason: claim.reason, sha256 };
	const claimed = claim.value;
	const found = claimed ? getAgreement(db, claimed) : undefined;
	return found ? { result: 'modified', agreement: found, sha256 } : { result: 'unknown', sha256 };
}
