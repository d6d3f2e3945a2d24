import type { Role } from '../db/schema';
import type { SessionUser } from './session';

/**
 * Everything a person may try to do. Each load, action and endpoint names one of these and asks
 * `can()`; nothing else decides access.
 */
export const ACTIONS = [
	'dashboard.view',
	'tenant.list',
	'tenant.create',
	// Creating and updating many tenants at once from a spreadsheet.
	'tenant.import',
	// Bulk actions on the tenant list: reminding many tenants' administrators at once, and exporting
	// many tenants' register data as a spreadsheet (both recorded per tenant in the audit log).
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
	// The registry of the main connector's information systems (agreement §3).
	'information_system.manage',
	// Removing a leaver's rights in the information system (agreement §6): the main connector's
	// administrators grant and remove those rights, so only mc_admin holds this.
	'leaver_task.handle',
	'services.view',
	'services.edit',
	'audit.view',
	'outbox.view',
	'account.manage',
	'agreement.view',
	'agreement.manage',
	'agreement.sign',
	'agreement.countersign',
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
	'training.declare',
	// An organisation's own information-security plan (THL 3/2024; each service provider makes one):
	// the main connector's, or a tenant's own. Confidential (ch. 5): the resource's `tenantId` names the
	// plan's owner. Editing and approving are the owner's alone (OWN_ORGANISATION_ONLY); the main
	// connector's readers may read a tenant's plan only while the tenant shares it (the domain checks).
	'security_plan.read',
	'security_plan.edit',
	// The sections of the main connector's plan chosen to bind tenants (agreement §2), and only those.
	'security_plan.binding',
	// Approving a version of the plan and accepting residual risks: the domain also requires the
	// plan's designated responsible director (client data act §78), whoever holds the role.
	'security_plan.approve',
	// A tenant's acknowledgement that it follows the binding sections of an approved version.
	'security_plan.acknowledge',
	// Adding a new version of the plans' framework when THL revises the regulation: every plan of the
	// installation, the tenants' own too, is made against these, so the main connector's administrators only.
	'security_framework.manage',
	// Integration API tokens for one's own organisation (a tenant's administrators: read tokens only).
	'api_token.manage',
	// Webhook endpoints of one's own organisation: the main connector's administrators (every
	// tenant's events) and a tenant's administrators (that tenant's events only; webhooks/outbox.ts).
	'webhook.manage',
	// Single sign-on choices of the main connector and of each tenant (accounts created on first
	// sign-in, SSO only, strong identification at signing): the main connector's administrators only.
	'sso.manage',
	// Agreement campaigns (many tenants at once): following one, starting and sending one, and the
	// batch countersignature, which binds the main connector and so takes its signatory.
	'campaign.view',
	'campaign.manage',
	'campaign.countersign'
] as const;
export type Action = (typeof ACTIONS)[number];

/** What the action touches. `tenantId` is set whenever the data belongs to one tenant. */
export interface Resource {
	tenantId?: string | null;
}

const MAIN_CONNECTOR_READ: readonly Action[] = [
	'dashboard.view',
	'tenant.list',
	'tenant.view',
	'tenant.people.view',
	'organisation.view',
	'services.view',
	'account.manage',
	'notifications.view'
];

const MAIN_CONNECTOR_ROLE_ACTIONS: Record<'mc_admin' | 'mc_signatory' | 'mc_cert_admin', readonly Action[]> = {
	// Administrators do everything except sign for the main connector: that takes a signatory.
	// Declaring one's own training is for tenant people; the main connector's records are not kept here.
	// Listed one by one: a new action is granted to nobody until someone decides who needs it.
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
		...MAIN_CONNECTOR_READ,
		'agreement.view',
		'agreement.countersign',
		'agreement.verify',
		'campaign.view',
		'campaign.countersign',
		'checklist.view',
		'incident.report',
		'instruction.read',
		// Signatories answer for the organisation; the plan is theirs to read, not to write.
		'security_plan.read',
		'security_plan.binding',
		'security_plan.approve'
	],
	mc_cert_admin: [
		...MAIN_CONNECTOR_READ,
		'agreement.verify',
		'checklist.view',
		'certificate.view',
		'certificate.manage',
		'incident.report',
		'instruction.read'
	]
};

/** Tenant roles act only inside their own tenant; see `can()`. */
const TENANT_ROLE_ACTIONS: Record<'tenant_admin' | 'tenant_signatory' | 'tenant_staff', readonly Action[]> = {
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
		// The tenant's own plan: its administrators keep it; the approval also takes its designated director.
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
		// The tenant's own plan, as the main connector's signatories: read, and approve when designated director.
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

/** Actions a tenant's people may take without naming their tenant (their own pages). */
const TENANT_UNSCOPED: readonly Action[] = [
	'dashboard.view',
	'services.view',
	'account.manage',
	'agreement.verify',
	'notifications.view',
	'incident.report',
	'instruction.read',
	'training.declare'
];

/**
 * Actions only the organisation that owns the resource may take, even for the main connector's
 * people, who otherwise act on every tenant's data: a controller's breach decision is the
 * controller's own (agreement §14), and so is the writing and approving of an organisation's own
 * information-security plan. `tenantId: null` names the main connector.
 */
const OWN_ORGANISATION_ONLY: readonly Action[] = ['incident.decide', 'security_plan.edit', 'security_plan.approve'];

function roleAllows(role: Role, action: Action): boolean {
	if (role in MAIN_CONNECTOR_ROLE_ACTIONS)
		return MAIN_CONNECTOR_ROLE_ACTIONS[role as keyof typeof MAIN_CONNECTOR_ROLE_ACTIONS].includes(action);
	return TENANT_ROLE_ACTIONS[role as keyof typeof TENANT_ROLE_ACTIONS].includes(action);
}

/** The one authorisation decision; it looks only at the person's roles and organisation. */
export function can(user: SessionUser | Pick<SessionUser, 'tenantId' | 'roles'> | null, action: Action, resource: Resource = {}): boolean {
	if (!user) return false;
	if (!user.roles.some((role) => roleAllows(role, action))) return false;
	if (OWN_ORGANISATION_ONLY.includes(action)) return resource.tenantId !== undefined && resource.tenantId === user.tenantId;
	if (user.tenantId === null) return true; // main connector people see every tenant
	// A tenant's person: only their own tenant's data, and only tenant-scoped or own-account actions.
	if (resource.tenantId === undefined) return TENANT_UNSCOPED.includes(action);
	return resource.tenantId === user.tenantId;
}

/**
 * Ownership policy for a training record's evidence (a certificate of attendance): the person it
 * belongs to, or whoever keeps that tenant's training records. Nobody else, whatever their role.
 */
export function canReadTrainingEvidence(
	user: SessionUser | null,
	record: { userId: string; tenantId: string | null } | undefined
): boolean {
	if (!user || !record) return false;
	if (record.userId === user.id) return can(user, 'training.declare', { tenantId: record.tenantId });
	return can(user, 'training.records', { tenantId: record.tenantId });
}

export function isMainConnectorUser(user: SessionUser | null): boolean {
	return user !== null && user.tenantId === null;
}
