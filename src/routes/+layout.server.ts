import type { LayoutServerLoad } from './$types';
import { can } from '$lib/server/auth/authorize';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { countUnread } from '$lib/server/notifications/notifications';
import { instructionsFor } from '$lib/server/instructions/instructions';
import { config } from '$lib/server/config';
import { sessionAbsoluteEnd } from '$lib/server/auth/session';

export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		// For the notice before the session runs out (SessionExpiryNotice).
		session: user && locals.session ? { idleMs: config.sessionLimits.idleMs, endsAt: sessionAbsoluteEnd(locals.session).getTime() } : null,
		locale: getLocale(),
		user: user && { name: user.name, email: user.email, tenantId: user.tenantId, roles: user.roles },
		unread: user ? countUnread(db(), user.id) : 0,
		nav: {
			tenants: can(user, 'tenant.list'),
			agreements: can(user, 'agreement.view'),
			verify: can(user, 'agreement.verify'),
			ownTenant: user?.tenantId ? can(user, 'tenant.view', { tenantId: user.tenantId }) : false,
			organisation: can(user, 'organisation.view'),
			services: can(user, 'services.edit'),
			audit: can(user, 'audit.view') || (user?.tenantId ? can(user, 'audit.view', { tenantId: user.tenantId }) : false),
			outbox: can(user, 'outbox.view'),
			apiTokens: user ? can(user, 'api_token.manage', { tenantId: user.tenantId }) : false,
			webhooks: user ? can(user, 'webhook.manage', { tenantId: user.tenantId }) : false,
			certificates: can(user, 'certificate.view') || (user?.tenantId ? can(user, 'certificate.view', { tenantId: user.tenantId }) : false),
			prerequisites: can(user, 'catalogue.manage'),
			notifications: can(user, 'notifications.view'),
			incidents: can(user, 'incident.report') || can(user, 'incident.view'),
			announcements: can(user, 'announcement.manage'),
			// Confidential (THL 3/2024 ch. 5): the main connector's plan, for the roles given it.
			securityPlan: can(user, 'security_plan.read', { tenantId: null }),
			// A tenant's own plan (same workspace, same pages), for the tenant's roles given it.
			ownSecurityPlan: !!user?.tenantId && can(user, 'security_plan.read', { tenantId: user.tenantId }),
			// Tenants' people: the sections that bind them (agreement §2); readers of the whole plan have it there.
			bindingPlan:
				can(user, 'security_plan.binding', { tenantId: user?.tenantId ?? null }) && !can(user, 'security_plan.read', { tenantId: null }),
			instructions: can(user, 'instruction.manage'),
			// The library already lists every instruction for those who manage it.
			myInstructions: can(user, 'instruction.read') && !can(user, 'instruction.manage'),
			training: can(user, 'training.manage'),
			myTraining: can(user, 'training.declare')
		},
		pendingInstructions: user?.tenantId && can(user, 'instruction.read') ? instructionsFor(db(), user).filter((i) => i.pending).length : 0
	};
};
