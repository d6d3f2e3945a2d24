/**
 * Signing in with a verified OpenID Connect identity: which account it opens (by linked subject,
 * else by verified e-mail in the organisation the provider serves, else — if the organisation
 * allows it — a new account), and the session, all audited in one transaction.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { emailToken, oidcIdentity, tenant, user, userRole, type User } from '../db/schema';
import { audit } from '../actor';
import { findUserByEmail, getUser, normaliseEmail } from './accounts';
import { createSession, generateSessionToken } from './session';
import { getPolicy, organisationKey } from './oidc-policy';
import type { OidcProvider } from './oidc-providers';
import type { VerifiedIdentity } from './oidc-client';
import type { Client } from './sign-in';

/** `amr` values (RFC 8176) that mean more than one factor was used, or a factor beyond a password. */
const MFA_AMR = ['mfa', 'otp', 'hwk', 'swk', 'sc', 'sms', 'tel', 'fpt', 'face', 'iris', 'retina', 'vbm'];

export function assertsMfa(provider: OidcProvider, identity: Pick<VerifiedIdentity, 'amr' | 'acr'>): boolean {
	if (identity.amr.some((v) => MFA_AMR.includes(v))) return true;
	return identity.acr !== null && provider.mfaAcrValues.includes(identity.acr);
}

/** The tenant id the provider serves (null: the main connector), or undefined when that tenant is not here. */
export function providerOrganisation(db: DbOrTx, provider: OidcProvider): string | null | undefined {
	if (provider.organisation === 'main') return null;
	return db
		.select({ id: tenant.id })
		.from(tenant)
		.where(and(eq(tenant.businessId, provider.organisation.businessId), isNull(tenant.archivedAt)))
		.get()?.id;
}

export function linkedUser(db: DbOrTx, provider: string, subject: string): User | undefined {
	const link = db
		.select({ userId: oidcIdentity.userId })
		.from(oidcIdentity)
		.where(and(eq(oidcIdentity.provider, provider), eq(oidcIdentity.subject, subject)))
		.get();
	return link ? getUser(db, link.userId) : undefined;
}

export function linkedSubject(db: DbOrTx, provider: string, userId: string): string | undefined {
	return db
		.select({ subject: oidcIdentity.subject })
		.from(oidcIdentity)
		.where(and(eq(oidcIdentity.provider, provider), eq(oidcIdentity.userId, userId)))
		.get()?.subject;
}

export type OidcRefusal =
	'organisation_missing' | 'no_account' | 'email_unverified' | 'inactive' | 'other_organisation' | 'linked_elsewhere';

export type OidcSignInResult = { ok: true; token: string; user: User; mfa: boolean; created: boolean } | { ok: false; reason: OidcRefusal };

type Found = { ok: true; user: User; link: boolean; create: boolean } | { ok: false; reason: OidcRefusal; user?: User };

function findAccount(db: DbOrTx, identity: VerifiedIdentity, tenantId: string | null): Found {
	const { provider } = identity;
	const linked = linkedUser(db, provider.id, identity.subject);
	if (linked) {
		if (linked.tenantId !== tenantId) return { ok: false, reason: 'other_organisation', user: linked };
		return linked.status === 'active'
			? { ok: true, user: linked, link: false, create: false }
			: { ok: false, reason: 'inactive', user: linked };
	}
	if (!identity.email) return { ok: false, reason: 'no_account' };
	if (!identity.emailVerified && !provider.trustEmail) return { ok: false, reason: 'email_unverified' };
	const byEmail = findUserByEmail(db, identity.email);
	if (byEmail) {
		if (byEmail.tenantId !== tenantId) return { ok: false, reason: 'other_organisation', user: byEmail };
		// An invited person may accept the invitation by signing in: the provider has verified the e-mail it went to.
		if (byEmail.status !== 'active' && byEmail.status !== 'invited') return { ok: false, reason: 'inactive', user: byEmail };
		// Another identity at this provider already owns the account: a second subject does not take it over.
		if (linkedSubject(db, provider.id, byEmail.id)) return { ok: false, reason: 'linked_elsewhere', user: byEmail };
		return { ok: true, user: byEmail, link: true, create: false };
	}
	return { ok: false, reason: 'no_account' };
}

export function completeOidcSignIn(db: Db, identity: VerifiedIdentity, client: Client, now = new Date()): OidcSignInResult {
	const { provider } = identity;
	const actorLabel = identity.email ? normaliseEmail(identity.email) : `${provider.id}:${identity.subject}`;
	return db.transaction((tx) => {
		const tenantId = providerOrganisation(tx, provider);
		let found: Found = tenantId === undefined ? { ok: false, reason: 'organisation_missing' } : findAccount(tx, identity, tenantId);
		if (
			!found.ok &&
			found.reason === 'no_account' &&
			tenantId !== undefined &&
			identity.email &&
			(identity.emailVerified || provider.trustEmail)
		) {
			const role = getPolicy(tx, organisationKey(tenantId)).autoCreateRole;
			if (role) {
				const id = crypto.randomUUID();
				tx.insert(user)
					.values({
						id,
						email: normaliseEmail(identity.email),
						name: identity.name?.trim() || normaliseEmail(identity.email),
						tenantId,
						status: 'active'
					})
					.run();
				tx.insert(userRole).values({ userId: id, role }).run();
				found = { ok: true, user: getUser(tx, id)!, link: true, create: true };
				audit(
					tx,
					{ id, label: actorLabel, ipAddress: client.ipAddress },
					{ tenantId, action: 'auth.sso_account_created', targetType: 'user', targetId: id, summary: `${provider.id} ${role}` }
				);
			}
		}
		if (!found.ok) {
			audit(
				tx,
				{ id: found.user?.id ?? null, label: actorLabel, ipAddress: client.ipAddress },
				{
					tenantId: found.user?.tenantId ?? tenantId ?? null,
					action: 'auth.sign_in_failed',
					targetType: 'user',
					targetId: found.user?.id ?? '',
					summary: `oidc ${provider.id}: ${found.reason}`
				}
			);
			return { ok: false, reason: found.reason };
		}
		const person = found.user;
		const actor = { id: person.id, label: person.email, ipAddress: client.ipAddress };
		if (person.status === 'invited') {
			tx.update(user).set({ status: 'active' }).where(eq(user.id, person.id)).run();
			tx.update(emailToken)
				.set({ usedAt: now })
				.where(and(eq(emailToken.userId, person.id), eq(emailToken.purpose, 'invitation'), isNull(emailToken.usedAt)))
				.run();
			audit(tx, actor, {
				tenantId: person.tenantId,
				action: 'person.invitation_accepted',
				targetType: 'user',
				targetId: person.id,
				summary: `oidc ${provider.id}`
			});
			person.status = 'active';
		}
		if (found.link) {
			tx.insert(oidcIdentity).values({ provider: provider.id, subject: identity.subject, userId: person.id, linkedAt: now }).run();
			audit(tx, actor, {
				tenantId: person.tenantId,
				action: 'auth.sso_linked',
				targetType: 'user',
				targetId: person.id,
				summary: provider.id
			});
		}
		const mfa = assertsMfa(provider, identity);
		const token = generateSessionToken();
		createSession(tx, token, person.id, client, now, undefined, { provider: provider.id, idToken: identity.idToken, mfa });
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: 'auth.sign_in',
			targetType: 'user',
			targetId: person.id,
			summary: `oidc ${provider.id}${identity.acr ? ` acr=${identity.acr}` : ''}${mfa ? ' mfa' : ''}`
		});
		return { ok: true, token, user: person, mfa, created: found.create };
	});
}

/** A callback that failed the protocol checks (state, nonce, signature, …) or came back with an error. */
export function recordRefusedCallback(db: Db, provider: string, reason: string, client: Client): void {
	audit(
		db,
		{ id: null, label: provider, ipAddress: client.ipAddress },
		{ tenantId: null, action: 'auth.sso_callback_refused', targetType: 'oidc_provider', targetId: provider, summary: reason.slice(0, 300) }
	);
}
