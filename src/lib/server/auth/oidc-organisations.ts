/** The organisations some configured provider serves, with their single sign-on choices (admin page). */
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { MAIN_CONNECTOR_ROLES, mainConnector, tenant, TENANT_ROLES, type Role } from '../db/schema';
import { getPolicy, type OrganisationKey, type PolicyInput } from './oidc-policy';
import type { OidcProvider } from './oidc-providers';

export interface SsoOrganisation {
	key: OrganisationKey;
	tenantId: string | null;
	name: string;
	providers: { id: string; name: string }[];
	roles: readonly Role[];
	policy: PolicyInput;
}

export function ssoOrganisations(db: DbOrTx, providers: OidcProvider[]): SsoOrganisation[] {
	const out: SsoOrganisation[] = [];
	const main = providers.filter((p) => p.organisation === 'main');
	if (main.length)
		out.push({
			key: 'main',
			tenantId: null,
			name: db.select({ name: mainConnector.name }).from(mainConnector).get()?.name ?? '',
			providers: main.map((p) => ({ id: p.id, name: p.displayName })),
			roles: MAIN_CONNECTOR_ROLES,
			policy: getPolicy(db, 'main')
		});
	const businessIds = [...new Set(providers.flatMap((p) => (p.organisation === 'main' ? [] : [p.organisation.businessId])))];
	if (!businessIds.length) return out;
	const tenants = db
		.select({ id: tenant.id, name: tenant.name, businessId: tenant.businessId })
		.from(tenant)
		.where(inArray(tenant.businessId, businessIds))
		.all();
	for (const t of tenants.sort((a, b) => a.name.localeCompare(b.name)))
		out.push({
			key: t.id,
			tenantId: t.id,
			name: t.name,
			providers: providers
				.filter((p) => p.organisation !== 'main' && p.organisation.businessId === t.businessId)
				.map((p) => ({ id: p.id, name: p.displayName })),
			roles: TENANT_ROLES,
			policy: getPolicy(db, t.id)
		});
	return out;
}
