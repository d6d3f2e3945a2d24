import type { DbOrTx } from '../db';
import type { HolderType } from '../../domain';
import { getMainConnector } from '../organisation/organisation';
import { getTenant } from '../tenants/tenants';
import { getUser } from '../auth/accounts';
import type { Holder } from './registry';

/**
 * A chosen holder, if it exists as chosen: the main connector, a current tenant, or an active
 * person of that very tenant. The certificate form and the integration API both ask this.
 */
export function resolveHolder(db: DbOrTx, choice: { type: HolderType; tenantId: string | null; userId: string | null }): Holder | null {
	if (choice.type === 'main_connector') {
		const main = getMainConnector(db);
		return main ? { type: 'main_connector', tenantId: null, userId: null, name: main.name } : null;
	}
	const tenant = getTenant(db, choice.tenantId ?? '');
	if (!tenant || tenant.archivedAt) return null;
	if (choice.type === 'tenant') return { type: 'tenant', tenantId: tenant.id, userId: null, name: tenant.name };
	const person = getUser(db, choice.userId ?? '');
	if (!person || person.tenantId !== tenant.id || person.status !== 'active') return null;
	return { type: 'person', tenantId: tenant.id, userId: person.id, name: person.name };
}
