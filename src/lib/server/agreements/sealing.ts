import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { agreement } from '../db/schema';
import { config } from '../config';
import { audit, SYSTEM_ACTOR } from '../actor';
import { getMainConnector } from '../organisation/organisation';
import { describeSeal, generateSelfSignedSeal, sealPdf, type SealCredentials } from './seal';
import { renderAgreementPdf } from './pdf';
import { buildPdfInput } from './document';
import { getAgreement } from './agreements';
import { sha256Hex } from './templates-store';
import { isSealedUnder, openSecret, sealSecret } from '../auth/secret-box';

const selfSignedDir = () => join(config.dataDir, 'seal');
// The passphrase file is sealed under LIITOS_SECRET_KEY when one is set: a copy of DATA_DIR (a
// backup) then does not hold everything needed to seal documents in the main connector's name.
const PASSPHRASE_CONTEXT = 'seal:self-signed';

/**
 * The main connector's seal: the configured PKCS#12 file, or else a self-signed one generated
 * once under DATA_DIR (the UI says plainly that it is not a trusted certificate).
 */
export function loadSealCredentials(db: Db): SealCredentials & { selfSigned: boolean } {
	if (config.sealP12Path) return { p12: readFileSync(config.sealP12Path), passphrase: config.sealPassphrase, selfSigned: false };
	const dir = selfSignedDir();
	const p12Path = join(dir, 'self-signed.p12');
	const passPath = join(dir, 'self-signed.passphrase');
	const writePassphrase = (passphrase: string) =>
		writeFileSync(passPath, sealSecret(passphrase, PASSPHRASE_CONTEXT, config.secretKey), { mode: 0o600 });
	if (!existsSync(p12Path) || !existsSync(passPath)) {
		const main = getMainConnector(db);
		const generated = generateSelfSignedSeal({
			commonName: `${main?.name ?? 'Liitos'} agreement seal`,
			organisation: main?.name ?? 'Liitos',
			country: 'FI'
		});
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		writeFileSync(p12Path, generated.p12, { mode: 0o600 });
		writePassphrase(generated.passphrase);
		chmodSync(dir, 0o700);
	}
	const stored = readFileSync(passPath, 'utf8');
	const passphrase = openSecret(stored, PASSPHRASE_CONTEXT, [config.secretKey, config.previousSecretKey]);
	if (config.secretKey && !isSealedUnder(stored, config.secretKey)) {
		// Written before the key was set, or under the key being replaced.
		writePassphrase(passphrase);
		audit(db, SYSTEM_ACTOR, { action: 'agreement.seal_passphrase_sealed', targetType: 'seal', targetId: 'self-signed' });
	}
	return { p12: readFileSync(p12Path), passphrase, selfSigned: true };
}

export function sealInfo(db: Db) {
	const credentials = loadSealCredentials(db);
	const seal = describeSeal(credentials); // opening the PKCS#12 costs about 30 ms: once per page
	return { ...seal, selfSigned: credentials.selfSigned || seal.selfSigned };
}

/**
 * Renders the final PDF (agreement, Annex 1, signature page, audit page), seals it once and
 * stores it; the file is written only if none exists and is never rewritten.
 */
export async function sealAgreement(db: Db, id: string, now = new Date()): Promise<void> {
	const current = getAgreement(db, id);
	if (!current || current.sealedPath || !current.inForceAt) return;
	const credentials = loadSealCredentials(db);
	const main = getMainConnector(db);
	const pdf = await renderAgreementPdf(buildPdfInput(db, current, { final: true }));
	const sealed = await sealPdf(pdf, credentials, {
		reason: `Kanta agreement ${current.id}`,
		location: main?.city ?? 'Finland',
		name: main?.name ?? 'Liitos',
		contactInfo: main?.contactEmail ?? ''
	});
	const dir = join(config.dataDir, 'agreements');
	mkdirSync(dir, { recursive: true });
	const path = join(dir, `${current.id}.pdf`);
	// A file left by an interrupted earlier attempt is the sealed original: keep it, never overwrite.
	if (!existsSync(path)) writeFileSync(path, sealed, { flag: 'wx' });
	const sha = sha256Hex(readFileSync(path));
	db.transaction((tx) => {
		tx.update(agreement)
			.set({ sealedPath: path, sealedSha256: sha, sealedAt: now, sealSelfSigned: credentials.selfSigned })
			.where(eq(agreement.id, id))
			.run();
		audit(tx, SYSTEM_ACTOR, {
			tenantId: current.tenantId,
			action: 'agreement.seal',
			targetType: 'agreement',
			targetId: id,
			summary: `sha256 ${sha}`
		});
	});
}
