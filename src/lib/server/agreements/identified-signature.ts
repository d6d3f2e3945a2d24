/** The return leg of a signature made with strong identification (see strong-identification.ts). */
import { z } from 'zod';
import type { Db } from '../db';
import type { OidcTransaction } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { can } from '../auth/authorize';
import type { VerifiedIdentity } from '../auth/oidc-client';
import { getAgreement, signAgreement, type SignResult } from './agreements';

const contextSchema = z.object({ agreementId: z.string().min(1), typedName: z.string().max(200), title: z.string().max(200) });

export type IdentifiedSignatureResult = SignResult | { ok: false; reason: 'not_yours' };

/**
 * Records the signature the transaction was started for, if the signed-in person is the one who
 * started it and may still sign; signAgreement checks the provider, acr, subject and freshness.
 */
export async function completeIdentifiedSignature(
	db: Db,
	signer: SessionUser,
	tx: OidcTransaction,
	identity: VerifiedIdentity,
	client: { ipAddress: string; userAgent: string },
	now = new Date()
): Promise<{ agreementId: string | null; result: IdentifiedSignatureResult }> {
	const context = contextSchema.safeParse(JSON.parse(tx.context || '{}'));
	if (tx.purpose !== 'signature' || tx.userId !== signer.id || !context.success)
		return { agreementId: null, result: { ok: false, reason: 'not_yours' } };
	const { agreementId, typedName, title } = context.data;
	const current = getAgreement(db, agreementId);
	if (!current || !can(signer, signer.tenantId ? 'agreement.sign' : 'agreement.countersign', { tenantId: current.tenantId }))
		return { agreementId: null, result: { ok: false, reason: 'not_yours' } };
	const result = await signAgreement(db, signer, agreementId, { typedName, title, password: '', code: '' }, client, now, {
		provider: identity.provider.id,
		acr: identity.acr,
		subject: identity.subject,
		authTime: identity.authTime,
		requestedAt: tx.createdAt
	});
	return { agreementId, result };
}
