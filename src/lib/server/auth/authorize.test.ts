import { describe, expect, it } from 'vitest';
import { MAIN_CONNECTOR_ROLES, ROLES, TENANT_ROLES, type Role } from '../../domain';
import { ACTIONS, can, canReadTrainingEvidence, isMainConnectorUser, type Action } from './authorize';
import type { SessionUser } from './session';

const OWN_TENANT = 'tenant-own';
const OTHER_TENANT = 'tenant-other';

/** The expected matrix, written out by hand: each role's allowed actions. */
const EXPECTED: Record<Role, Action[]> = {
	mc_admin: [
		'dashboard.view',
		'tenant.list',
		'tenant.create',
		'tenant.import',
		'tenant.remind',
		'tenant.export',
		'tenant.view',
		'tenant.edit',
		'tenant.archive',
		'tenant.people.view',
		'tenant.people.manage',
		'organisation.view',
		'organisation.edit',
		'organisation.people.manage',
		'information_system.manage',
		'leaver_task.handle',
		'services.view',
		'services.edit',
		'audit.view',
		'outbox.view',
		'account.manage',
		'agreement.view',
		'agreement.manage',
		'agreement.notice',
		'agreement.verify',
		'template.manage',
		'checklist.view',
		'checklist.submit',
		'checklist.verify',
		'checklist.plan',
		'catalogue.manage',
		'certificate.view',
		'certificate.manage',
		'notifications.view',
		'incident.report',
		'incident.view',
		'incident.handle',
		'incident.assist',
		'incident.decide',
		'incident.notify_onward',
		'announcement.manage',
		'instruction.manage',
		'instruction.read',
		'instruction.coverage',
		'training.manage',
		'training.records',
		'security_plan.read',
		'security_plan.edit',
		'security_plan.binding',
		'security_plan.approve',
		'security_framework.manage',
		'api_token.manage',
		'webhook.manage',
		'sso.manage',
		'campaign.view',
		'campaign.manage'
	],
	mc_signatory: [
		'dashboard.view',
		'tenant.list',
		'tenant.view',
		'tenant.people.view',
		'organisation.view',
		'services.view',
		'account.manage',
		'notifications.view',
		'agreement.view',
		'agreement.countersign',
		'agreement.verify',
		'campaign.view',
		'campaign.countersign',
		'checklist.view',
		'incident.report',
		'instruction.read',
		'security_plan.read',
		'security_plan.binding',
		'security_plan.approve'
	],
	mc_cert_admin: [
		'dashboard.view',
		'tenant.list',
		'tenant.view',
		'tenant.people.view',
		'organisation.view',
		'services.view',
		'account.manage',
		'notifications.view',
		'agreement.verify',
		'checklist.view',
		'certificate.view',
		'certificate.manage',
		'incident.report',
		'instruction.read'
	],
	tenant_admin: [
		'dashboard.view',
		'tenant.view',
		'tenant.people.view',
		'tenant.people.manage',
		'audit.view',
		'services.view',
		'account.manage',
		'agreement.view',
		'agreement.notice',
		'agreement.verify',
		'notifications.view',
		'checklist.view',
		'checklist.submit',
		'checklist.plan',
		'certificate.view',
		'incident.report',
		'incident.view',
		'incident.assist',
		'incident.decide',
		'instruction.read',
		'instruction.coverage',
		'training.records',
		'training.declare',
		'security_plan.binding',
		'security_plan.acknowledge',
		'security_plan.read',
		'security_plan.edit',
		'security_plan.approve',
		'api_token.manage',
		'webhook.manage'
	],
	tenant_signatory: [
		'dashboard.view',
		'tenant.view',
		'tenant.people.view',
		'services.view',
		'account.manage',
		'agreement.view',
		'agreement.sign',
		'agreement.verify',
		'notifications.view',
		'checklist.view',
		'incident.report',
		'instruction.read',
		'training.declare',
		'security_plan.binding',
		'security_plan.read',
		'security_plan.approve'
	],
	tenant_staff: [
		'dashboard.view',
		'tenant.view',
		'tenant.people.view',
		'services.view',
		'account.manage',
		'agreement.verify',
		'notifications.view',
		'incident.report',
		'instruction.read',
		'training.declare',
		'security_plan.binding'
	]
};

/** Actions a tenant's people may take without naming a tenant. */
const TENANT_UNSCOPED: Action[] = [
	'dashboard.view',
	'services.view',
	'account.manage',
	'agreement.verify',
	'notifications.view',
	'incident.report',
	'instruction.read',
	'training.declare'
];

const isTenantRole = (role: Role) => (TENANT_ROLES as readonly Role[]).includes(role);

function person(roles: Role[], tenantId: string | null): SessionUser {
	return { id: 'u1', email: 'p@example.fi', name: 'P', tenantId, roles };
}

function personWithRole(role: Role): SessionUser {
	return person([role], isTenantRole(role) ? OWN_TENANT : null);
}

/** Taken only on the acting organisation's own resource, whoever acts (tested on their own below). */
const OWN_ORGANISATION_ONLY: Action[] = ['incident.decide', 'security_plan.edit', 'security_plan.approve'];
const SCOPED_ACTIONS = ACTIONS.filter((action) => !OWN_ORGANISATION_ONLY.includes(action));

const matrix = ROLES.flatMap((role) => SCOPED_ACTIONS.map((action) => [role, action, EXPECTED[role].includes(action)] as const));

describe('the vocabulary', () => {
	it('has an expected row for exactly the known roles and only known actions', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual([...ROLES].sort());
		for (const actions of Object.values(EXPECTED)) for (const action of actions) expect(ACTIONS).toContain(action);
		expect(ACTIONS).toHaveLength(61);
	});
});

describe('can: role × action on the role’s own scope', () => {
	it.each(matrix)('%s → %s: %s', (role, action, allowed) => {
		const resource = isTenantRole(role) ? { tenantId: OWN_TENANT } : { tenantId: OTHER_TENANT };
		expect(can(personWithRole(role), action, resource)).toBe(allowed);
	});
});

describe('can: main connector people', () => {
	it.each(MAIN_CONNECTOR_ROLES.flatMap((role) => SCOPED_ACTIONS.map((action) => [role, action] as const)))(
		'%s → %s is the same for any tenant and without a resource',
		(role, action) => {
			const user = person([role], null);
			const allowed = EXPECTED[role].includes(action);
			expect(can(user, action)).toBe(allowed);
			expect(can(user, action, {})).toBe(allowed);
			expect(can(user, action, { tenantId: 'a' })).toBe(allowed);
			expect(can(user, action, { tenantId: 'b' })).toBe(allowed);
		}
	);

	it('isMainConnectorUser tells them apart', () => {
		expect(isMainConnectorUser(person(['mc_signatory'], null))).toBe(true);
		expect(isMainConnectorUser(person(['tenant_admin'], OWN_TENANT))).toBe(false);
		expect(isMainConnectorUser(null)).toBe(false);
	});
});

describe('can: a controller’s breach decision (incident.decide) belongs to the controller alone', () => {
	it('the main connector’s administrators decide for its own activity only, never for a tenant', () => {
		const mcAdmin = person(['mc_admin'], null);
		expect(can(mcAdmin, 'incident.decide', { tenantId: null })).toBe(true);
		expect(can(mcAdmin, 'incident.decide', { tenantId: OWN_TENANT })).toBe(false);
		expect(can(mcAdmin, 'incident.decide')).toBe(false);
		expect(can(person(['mc_signatory', 'mc_cert_admin'], null), 'incident.decide', { tenantId: null })).toBe(false);
	});

	it('a tenant’s administrators decide for their own tenant only', () => {
		expect(can(person(['tenant_admin'], OWN_TENANT), 'incident.decide', { tenantId: OWN_TENANT })).toBe(true);
		expect(can(person(['tenant_admin'], OWN_TENANT), 'incident.decide', { tenantId: OTHER_TENANT })).toBe(false);
		expect(can(person(['tenant_admin'], OWN_TENANT), 'incident.decide', { tenantId: null })).toBe(false);
		for (const role of ['tenant_staff', 'tenant_signatory'] as const)
			expect(can(person([role], OWN_TENANT), 'incident.decide', { tenantId: OWN_TENANT })).toBe(false);
	});

	it('assisting is open to both parties, onward notices to the main connector only', () => {
		expect(can(person(['mc_admin'], null), 'incident.assist', { tenantId: OWN_TENANT })).toBe(true);
		expect(can(person(['tenant_admin'], OWN_TENANT), 'incident.assist', { tenantId: OWN_TENANT })).toBe(true);
		expect(can(person(['mc_admin'], null), 'incident.notify_onward', { tenantId: OWN_TENANT })).toBe(true);
		expect(can(person(['tenant_admin'], OWN_TENANT), 'incident.notify_onward', { tenantId: OWN_TENANT })).toBe(false);
	});
});

describe('can: an organisation’s own information-security plan is written and approved by that organisation alone', () => {
	it('the main connector’s people edit and approve the main connector’s plan, never a tenant’s', () => {
		for (const action of ['security_plan.edit', 'security_plan.approve'] as const) {
			expect(can(person(['mc_admin'], null), action, { tenantId: null })).toBe(true);
			expect(can(person(['mc_admin'], null), action, { tenantId: OWN_TENANT })).toBe(false);
			expect(can(person(['mc_admin'], null), action)).toBe(false);
		}
		expect(can(person(['mc_signatory'], null), 'security_plan.approve', { tenantId: null })).toBe(true);
		expect(can(person(['mc_signatory'], null), 'security_plan.edit', { tenantId: null })).toBe(false);
		expect(can(person(['mc_cert_admin'], null), 'security_plan.read', { tenantId: null })).toBe(false);
	});

	it('the main connector’s readers may ask to read a tenant’s plan (the domain then requires it shared)', () => {
		expect(can(person(['mc_admin'], null), 'security_plan.read', { tenantId: OWN_TENANT })).toBe(true);
		expect(can(person(['mc_signatory'], null), 'security_plan.read', { tenantId: OWN_TENANT })).toBe(true);
	});

	it('a tenant’s administrators keep their own plan; its signatories read and approve it; its staff do neither', () => {
		const admin = person(['tenant_admin'], OWN_TENANT);
		for (const action of ['security_plan.read', 'security_plan.edit', 'security_plan.approve'] as const) {
			expect(can(admin, action, { tenantId: OWN_TENANT })).toBe(true);
			expect(can(admin, action, { tenantId: OTHER_TENANT })).toBe(false);
			expect(can(admin, action, { tenantId: null })).toBe(false);
			expect(can(admin, action)).toBe(false);
			expect(can(person(['tenant_staff'], OWN_TENANT), action, { tenantId: OWN_TENANT })).toBe(false);
		}
		expect(can(person(['tenant_signatory'], OWN_TENANT), 'security_plan.read', { tenantId: OWN_TENANT })).toBe(true);
		expect(can(person(['tenant_signatory'], OWN_TENANT), 'security_plan.approve', { tenantId: OWN_TENANT })).toBe(true);
		expect(can(person(['tenant_signatory'], OWN_TENANT), 'security_plan.edit', { tenantId: OWN_TENANT })).toBe(false);
	});
});

describe('can: tenant people stay inside their own tenant', () => {
	const cases = TENANT_ROLES.flatMap((role) => SCOPED_ACTIONS.map((action) => [role, action] as const));

	it.each(cases)('%s → %s is refused on another tenant', (role, action) => {
		expect(can(person([role], OWN_TENANT), action, { tenantId: OTHER_TENANT })).toBe(false);
	});

	it.each(cases)('%s → %s on their own tenant follows the role', (role, action) => {
		expect(can(person([role], OWN_TENANT), action, { tenantId: OWN_TENANT })).toBe(EXPECTED[role].includes(action));
	});

	it.each(cases)('%s → %s without a resource only for their own pages', (role, action) => {
		const expected = EXPECTED[role].includes(action) && TENANT_UNSCOPED.includes(action);
		expect(can(person([role], OWN_TENANT), action)).toBe(expected);
		expect(can(person([role], OWN_TENANT), action, {})).toBe(expected);
	});

	it('is refused tenant data that belongs to no tenant', () => {
		expect(can(person(['tenant_admin'], OWN_TENANT), 'tenant.view', { tenantId: null })).toBe(false);
	});

	it('gets no main connector powers from an mc role while belonging to a tenant', () => {
		// A misassigned role must not lift the tenant scope.
		const user = person(['mc_admin'], OWN_TENANT);
		expect(can(user, 'tenant.edit', { tenantId: OTHER_TENANT })).toBe(false);
		expect(can(user, 'tenant.list')).toBe(false);
	});
});

describe('can: no user', () => {
	it.each(ACTIONS)('refuses %s', (action) => {
		expect(can(null, action)).toBe(false);
		expect(can(null, action, { tenantId: OWN_TENANT })).toBe(false);
	});
});

describe('can: several roles', () => {
	it('main connector: the union of the roles', () => {
		const user = person(['mc_signatory', 'mc_cert_admin'], null);
		for (const action of ACTIONS) {
			expect(can(user, action, { tenantId: OTHER_TENANT })).toBe(
				!OWN_ORGANISATION_ONLY.includes(action) && (EXPECTED.mc_signatory.includes(action) || EXPECTED.mc_cert_admin.includes(action))
			);
		}
		expect(can(person(['mc_signatory', 'mc_admin'], null), 'tenant.create')).toBe(true);
	});

	it('tenant: the union of the roles, still scoped to the own tenant', () => {
		const user = person(['tenant_staff', 'tenant_admin'], OWN_TENANT);
		for (const action of ACTIONS) {
			expect(can(user, action, { tenantId: OWN_TENANT })).toBe(
				EXPECTED.tenant_staff.includes(action) || EXPECTED.tenant_admin.includes(action)
			);
			expect(can(user, action, { tenantId: OTHER_TENANT })).toBe(false);
		}
		expect(can(person(['tenant_staff'], OWN_TENANT), 'tenant.people.manage', { tenantId: OWN_TENANT })).toBe(false);
		expect(can(user, 'tenant.people.manage', { tenantId: OWN_TENANT })).toBe(true);
	});

	it('a person with no roles may do nothing', () => {
		for (const action of ACTIONS) {
			expect(can(person([], null), action)).toBe(false);
			expect(can(person([], OWN_TENANT), action, { tenantId: OWN_TENANT })).toBe(false);
		}
	});
});

describe('canReadTrainingEvidence (ownership policy)', () => {
	const record = { userId: 'u1', tenantId: OWN_TENANT };

	it('lets the person the record belongs to read it, whatever tenant role they hold', () => {
		expect(canReadTrainingEvidence(person(['tenant_staff'], OWN_TENANT), record)).toBe(true);
		expect(canReadTrainingEvidence(person(['tenant_signatory'], OWN_TENANT), record)).toBe(true);
	});

	it('lets whoever keeps the tenant’s training records read it: its administrator and the main connector’s', () => {
		const someoneElse = (roles: Role[], tenantId: string | null) => ({ ...person(roles, tenantId), id: 'u2' });
		expect(canReadTrainingEvidence(someoneElse(['tenant_admin'], OWN_TENANT), record)).toBe(true);
		expect(canReadTrainingEvidence(someoneElse(['mc_admin'], null), record)).toBe(true);
		expect(canReadTrainingEvidence(someoneElse(['tenant_staff'], OWN_TENANT), record)).toBe(false);
		expect(canReadTrainingEvidence(someoneElse(['tenant_admin'], OTHER_TENANT), record)).toBe(false);
		expect(canReadTrainingEvidence(someoneElse(['mc_signatory'], null), record)).toBe(false);
	});

	it('refuses the signed-out and records that do not exist', () => {
		expect(canReadTrainingEvidence(null, record)).toBe(false);
		expect(canReadTrainingEvidence(person(['tenant_admin'], OWN_TENANT), undefined)).toBe(false);
	});
});

describe('can: the information-security plan', () => {
	it('keeps the main connector’s plan closed to every tenant role; of their own tenant’s plan, as the role allows', () => {
		for (const role of TENANT_ROLES)
			for (const action of ['security_plan.read', 'security_plan.edit'] as const) {
				expect(can(person([role], OWN_TENANT), action)).toBe(false);
				expect(can(person([role], OWN_TENANT), action, { tenantId: null })).toBe(false);
				expect(can(person([role], OWN_TENANT), action, { tenantId: OWN_TENANT })).toBe(EXPECTED[role].includes(action));
			}
	});

	it('is read by administrators and signatories, edited by administrators only, and closed to certificate administrators', () => {
		expect(can(person(['mc_admin'], null), 'security_plan.edit', { tenantId: null })).toBe(true);
		expect(can(person(['mc_signatory'], null), 'security_plan.read', { tenantId: null })).toBe(true);
		expect(can(person(['mc_signatory'], null), 'security_plan.edit', { tenantId: null })).toBe(false);
		expect(can(person(['mc_cert_admin'], null), 'security_plan.read', { tenantId: null })).toBe(false);
	});

	it('lets administrators and signatories ask to approve (the domain also requires the designated director), and never a tenant', () => {
		expect(can(person(['mc_signatory'], null), 'security_plan.approve', { tenantId: null })).toBe(true);
		expect(can(person(['mc_cert_admin'], null), 'security_plan.approve', { tenantId: null })).toBe(false);
		for (const role of TENANT_ROLES) expect(can(person([role], OWN_TENANT), 'security_plan.approve', { tenantId: null })).toBe(false);
	});

	it('lets a tenant’s administrator acknowledge for their own tenant only', () => {
		expect(can(person(['tenant_admin'], OWN_TENANT), 'security_plan.acknowledge', { tenantId: OWN_TENANT })).toBe(true);
		expect(can(person(['tenant_admin'], OWN_TENANT), 'security_plan.acknowledge', { tenantId: OTHER_TENANT })).toBe(false);
		expect(can(person(['tenant_staff'], OWN_TENANT), 'security_plan.acknowledge', { tenantId: OWN_TENANT })).toBe(false);
		expect(can(person(['mc_admin'], null), 'security_plan.acknowledge', { tenantId: OWN_TENANT })).toBe(false);
	});
});
