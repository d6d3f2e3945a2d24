import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { getTenant, setTenantArchived, setTenantStage } from '$lib/server/tenants/tenants';
import { readableTenantPlan } from '$lib/server/security-plan/tenant-plans';
import { listTenantAgreements } from '$lib/server/agreements/agreements';
import { getChecklist } from '$lib/server/prerequisites/checklist';
import { countPeople, listPeople } from '$lib/server/people/people';
import { pageNumber } from '$lib/schemas/fields';
import { listServices, serviceName } from '$lib/server/services/kanta-services';
import { oidMatchesBusinessId } from '$lib/identifiers';
import { changeRoles, deactivate, invite, reactivate, resend, resetTwoFactor } from '$lib/server/http/people-actions';
import { tenantStageSchema } from '$lib/schemas/tenant';
import { invalid, parseForm } from '$lib/server/http/forms';

function tenantOr404(id: string) {
	const tenant = getTenant(db(), id);
	if (!tenant) error(404, m.error_not_found());
	return tenant;
}

/** A large tenant has thousands of people: they are listed a page at a time. */
const PEOPLE_PAGE_SIZE = 50;

export const load: PageServerLoad = (event) => {
	const tenantId = event.params.id;
	const user = authorize(event, 'tenant.view', { tenantId });
	const tenant = tenantOr404(tenantId);
	const locale = getLocale();
	const chosen = new Set(tenant.serviceIds);
	const mayViewPeople = can(user, 'tenant.people.view', { tenantId });
	const page = pageNumber.parse(event.url.searchParams.get('page') ?? undefined);
	return {
		tenant,
		serviceNames: listServices(db())
			.filter((s) => chosen.has(s.id))
			.map((s) => serviceName(s, locale)),
		oidMismatch: !oidMatchesBusinessId(tenant.oid, tenant.businessId),
		peoplePaging: mayViewPeople ? { page, pageSize: PEOPLE_PAGE_SIZE, total: countPeople(db(), tenantId) } : null,
		people: mayViewPeople
			? listPeople(db(), tenantId, { page, pageSize: PEOPLE_PAGE_SIZE }).map((p) => ({
					id: p.id,
					name: p.name,
					email: p.email,
					status: p.status,
					roles: p.roles,
					twoFactorEnabled: p.twoFactorEnabled
				}))
			: [],
		checklist: can(user, 'checklist.view', { tenantId }) ? getChecklist(db(), tenantId, new Date(), { detail: false }).progress : null,
		agreements: can(user, 'agreement.view', { tenantId })
			? listTenantAgreements(db(), tenantId).map((a) => ({
					id: a.id,
					status: a.status,
					language: a.language,
					createdAt: a.createdAt,
					inForceAt: a.inForceAt,
					sealed: a.sealedPath !== null
				}))
			: null,
		currentUserId: user.id,
		may: {
			newAgreement: can(user, 'agreement.manage', { tenantId }) && !tenant.archivedAt,
			edit: can(user, 'tenant.edit', { tenantId }),
			archive: can(user, 'tenant.archive', { tenantId }),
			managePeople: can(user, 'tenant.people.manage', { tenantId }),
			instructionCoverage: can(user, 'instruction.coverage', { tenantId }),
			trainingRecords: can(user, 'training.records', { tenantId }),
			// The tenant's own information-security plan, for the main connector's readers once shared.
			sharedPlan: user.tenantId === null && can(user, 'security_plan.read', { tenantId }) && !!readableTenantPlan(db(), user, tenantId)
		}
	};
};

function peopleAction<R>(handler: (event: RequestEvent, tenantId: string) => R) {
	return (event: RequestEvent) => {
		authorize(event, 'tenant.people.manage', { tenantId: event.params.id });
		tenantOr404(event.params.id);
		return handler(event, event.params.id);
	};
}

export const actions = {
	roles: peopleAction((event, tenantId) => changeRoles(event, tenantId)),
	invite: peopleAction((event, tenantId) => invite(event, tenantId)),
	deactivate: peopleAction(deactivate),
	reactivate: peopleAction(reactivate),
	resend: peopleAction(resend),
	resetTwoFactor: peopleAction(resetTwoFactor),
	stage: async (event) => {
		authorize(event, 'tenant.edit', { tenantId: event.params.id });
		tenantOr404(event.params.id);
		const parsed = parseForm(tenantStageSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		setTenantStage(db(), actorOf(event), event.params.id, parsed.data.stage);
		return { stageSaved: true };
	},
	archive: (event) => {
		authorize(event, 'tenant.archive', { tenantId: event.params.id });
		tenantOr404(event.params.id);
		setTenantArchived(db(), actorOf(event), event.params.id, true);
		return { archived: true };
	},
	restore: (event) => {
		authorize(event, 'tenant.archive', { tenantId: event.params.id });
		tenantOr404(event.params.id);
		setTenantArchived(db(), actorOf(event), event.params.id, false);
		return { restored: true };
	}
} satisfies Actions;
