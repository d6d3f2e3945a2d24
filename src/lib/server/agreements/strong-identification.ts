/**
 * Strong identification at signing: when the signatory's organisation requires it, signing and
 * countersigning go through a fresh authentication at a configured OpenID Connect provider
 * (prompt=login, max_age=0, acr_values) instead of the password step-up.
 */
import { sha256Hex } from './templates-store';
import type { Db } from '../db';
import { audit, type Actor } from '../actor';
import type { SessionUser } from '../auth/session';
import { getPolicy, organisationKey } from '../auth/oidc-policy';
import { acrAtLeast, findProvider, type OidcProvider } from '../auth/oidc-providers';
import { beginTransaction } from '../auth/oidc-transaction';
import { authorizationUrl, oidcRedirectUri } from '../auth/oidc-client';
import { linkedSubject } from '../auth/oidc-sign-in';

/** What the provider asserted on return, after openid-client's checks (see redeemCallback). */
export interface StrongIdentification {
	provider: string;
	acr: string | null;
	subject: string;
	authTime: Date | null;
	/** When the signatory was sent to the provider: the authentication must be later. */
	requestedAt: Date;
}

export interface SigningRequirement {
	provider: OidcProvider;
	minAcr: string;
}

/** Clock difference tolerated between the provider and this server. */
const CLOCK_SKEW_MS = 30_000;

export type IdentificationRefusal = 'provider' | 'acr' | 'subject' | 'stale';

/** The organisation's requirement, if any (a provider removed from the configuration cannot be met: null provider). */
export function signingRequirement(db: Db, signer: Pick<SessionUser, 'tenantId'>): SigningRequirement | 'unavailable' | null {
	const policy = getPolicy(db, organisationKey(signer.tenantId));
	if (!policy.signingProvider) return null;
	const provider = findProvider(policy.signingProvider);
	if (!provider) return 'unavailable';
	return { provider, minAcr: policy.signingMinAcr ?? '' };
}

/** A one-time transaction holding what the signatory typed, and the provider's address to go to. */
export async function startIdentification(
	db: Db,
	signer: SessionUser,
	agreementId: string,
	form: { typedName: string; title: string },
	requirement: SigningRequirement,
	now = new Date()
): Promise<{ token: string; url: string; providerName: string }> {
	const { token, row } = beginTransaction(
		db,
		{ provider: requirement.provider.id, purpose: 'signature', userId: signer.id, context: JSON.stringify({ agreementId, ...form }) },
		now
	);
	const url = await authorizationUrl(requirement.provider, row, oidcRedirectUri(), {
		fresh: { acrValues: requirement.minAcr || requirement.provider.acrLevels.at(-1) || '' }
	});
	return { token, url: url.href, providerName: requirement.provider.displayName };
}

/** The subject id is stored only as a hash: a broker's subject can be derived from a personal identity code. */
export const subjectHash = (provider: string, subject: string) => sha256Hex(`${provider}\n${subject}`);

/**
 * Whether the returned identity may sign for `signer`: the required provider, an acr at least the
 * required one, the subject linked to the signatory's account, authenticated after being sent there.
 * A refusal is audited.
 */
export function checkIdentification(
	db: Db,
	actor: Actor,
	signer: SessionUser,
	requirement: SigningRequirement,
	identified: StrongIdentification,
	now = new Date()
): { ok: true } | { ok: false; reason: 'identification_refused'; why: IdentificationRefusal } {
	let why: IdentificationRefusal | null = null;
	if (identified.provider !== requirement.provider.id) why = 'provider';
	else if (requirement.minAcr && !acrAtLeast(requirement.provider, identified.acr ?? undefined, requirement.minAcr)) why = 'acr';
	else if (linkedSubject(db, identified.provider, signer.id) !== identified.subject) why = 'subject';
	else if (
		!identified.authTime ||
		identified.authTime.getTime() < identified.requestedAt.getTime() - CLOCK_SKEW_MS ||
		identified.authTime.getTime() > now.getTime() + CLOCK_SKEW_MS
	)
		why = 'stale';
	if (!why) return { ok: true };
	audit(db, actor, {
		tenantId: signer.tenantId,
		action: 'agreement.identification_refused',
		targetType: 'user',
		targetId: signer.id,
		summary: `${identified.provider} acr=${identified.acr ?? '-'}: ${why}`
	});
	return { ok: false, reason: 'identification_refused', why };
}
