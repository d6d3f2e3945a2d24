/** Each organisation's single sign-on choices (the `oidcPolicy` table); 'main' is the main connector. */
import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { MAIN_CONNECTOR_ROLES, oidcPolicy, TENANT_ROLES, type OidcPolicy, type Role } from '../db/schema';
import { audit, type Actor } from '../actor';

export type OrganisationKey = 'main' | (string & {});

export const organisationKey = (tenantId: string | null): OrganisationKey => tenantId ?? 'main';

export interface PolicyInput {
	autoCreateRole: Role | null;
	ssoOnly: boolean;
	signingProvider: string | null;
	signingMinAcr: string | null;
}

export const NO_POLICY: PolicyInput = { autoCreateRole: null, ssoOnly: false, signingProvider: null, signingMinAcr: null };

export function getPolicy(db: DbOrTx, organisation: OrganisationKey): PolicyInput {
	const row = db.select().from(oidcPolicy).where(eq(oidcPolicy.organisation, organisation)).get();
	return row
		? { autoCreateRole: row.autoCreateRole, ssoOnly: row.ssoOnly, signingProvider: row.signingProvider, signingMinAcr: row.signingMinAcr }
		: NO_POLICY;
}

/**
 * Whether a person must sign in through their organisation's provider: no password may be set for
 * them (invitation, reset), since it could not be used to sign in anyway.
 */
export function passwordRefusedFor(db: DbOrTx, person: { tenantId: string | null }): boolean {
	return getPolicy(db, organisationKey(person.tenantId)).ssoOnly;
}

export type PolicyProblem = 'role_of_other_organisation' | 'acr_without_provider';

/** Saves an organisation's choices; a role belonging to the other kind of organisation is refused. */
export function setPolicy(
	db: Db,
	actor: Actor,
	organisation: OrganisationKey,
	input: PolicyInput,
	now = new Date()
): { ok: true } | { ok: false; problem: PolicyProblem } {
	const allowed: readonly Role[] = organisation === 'main' ? MAIN_CONNECTOR_ROLES : TENANT_ROLES;
	if (input.autoCreateRole && !allowed.includes(input.autoCreateRole)) return { ok: false, problem: 'role_of_other_organisation' };
	if (input.signingMinAcr && !input.signingProvider) return { ok: false, problem: 'acr_without_provider' };
	const row: OidcPolicy = { organisation, ...input, updatedAt: now };
	db.transaction((tx) => {
		tx.insert(oidcPolicy).values(row).onConflictDoUpdate({ target: oidcPolicy.organisation, set: row }).run();
		audit(tx, actor, {
			tenantId: organisation === 'main' ? null : organisation,
			action: 'auth.sso_policy_update',
			targetType: 'oidc_policy',
			targetId: organisation,
			summary: JSON.stringify(input)
		});
	});
	return { ok: true };
}
