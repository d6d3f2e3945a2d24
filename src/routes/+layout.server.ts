import type { LayoutServerLoad } from './$types';
import { can } from '$lib/server/auth/authorize';
import { getLocale } from '$lib/paraglide/runtime';

export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		locale: getLocale(),
		user: user && { name: user.name, email: user.email, tenantId: user.tenantId, roles: user.roles },
		nav: {
			tenants: can(user, 'tenant.list'),
			agreements: can(user, 'agreement.view'),
			verify: can(user, 'agreement.verify'),
			ownTenant: user?.tenantId ? can(user, 'tenant.view', { tenantId: user.tenantId }) : false,
			organisation: can(user, 'organisation.view'),
			services: can(user, 'services.edit'),
			audit: can(user, 'audit.view') || (user?.tenantId ? can(user, 'audit.view', { tenantId: user.tenantId }) : false),
			outbox: can(user, 'outbox.view')
		}
	};
};
