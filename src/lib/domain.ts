/**
 * The portal's fixed vocabularies, shared by the database schema, the forms and the pages
 * (so the browser can use them without importing server code).
 */

/** The main connector's designated persons (agreement §4, §12, §15, §17). */
export const DESIGNATED_ROLES = ['disturbance_contact', 'archivist', 'data_protection_officer', 'responsible_physician'] as const;
export type DesignatedRole = (typeof DESIGNATED_ROLES)[number];

/** A tenant's way from first contact to production and out again. */
export const TENANT_STAGES = [
	'invited',
	'onboarding',
	'agreement_signed',
	'ready_for_production',
	'in_production',
	'notice_given',
	'ended'
] as const;
export type TenantStage = (typeof TENANT_STAGES)[number];

export const SERVICE_SECTORS = ['health_care', 'social_welfare'] as const;
export type ServiceSector = (typeof SERVICE_SECTORS)[number];
export const PROVIDER_TYPES = ['public_on_behalf', 'private'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];
/** Agreements are signed in Finnish or Swedish; English exists only as a courtesy translation. */
export const AGREEMENT_LANGUAGES = ['fi', 'sv'] as const;

export const ROLES = ['mc_admin', 'mc_signatory', 'mc_cert_admin', 'tenant_admin', 'tenant_signatory', 'tenant_staff'] as const;
export type Role = (typeof ROLES)[number];
export const MAIN_CONNECTOR_ROLES = ['mc_admin', 'mc_signatory', 'mc_cert_admin'] as const;
export const TENANT_ROLES = ['tenant_admin', 'tenant_signatory', 'tenant_staff'] as const;

export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const TOKEN_PURPOSES = ['invitation', 'password_reset'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** An agreement's life (agreement §20): signed in order, then in force until replaced or ended. */
export const AGREEMENT_STATUSES = [
	'draft',
	'awaiting_tenant_signature',
	'awaiting_countersignature',
	'in_force',
	'superseded',
	'notice_given',
	'ended',
	'rescinded',
	'ended_automatically'
] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** Where one tenant's agreement in a campaign stands, as the campaign page groups them. */
export const CAMPAIGN_STATES = ['gaps', 'ready', 'waiting', 'signed', 'countersigned', 'declined', 'closed'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const PARTIES = ['tenant', 'main_connector'] as const;
export type Party = (typeof PARTIES)[number];

/** Onboarding prerequisites (seeds 001, 002, 004): what a tenant needs before Kanta production. */
export const PREREQUISITE_CATEGORIES = [
	'certificates',
	'organisation_register',
	'training',
	'plan_update',
	'system_and_agreement',
	'other'
] as const;
export type PrerequisiteCategory = (typeof PREREQUISITE_CATEGORIES)[number];

export const EVIDENCE_KINDS = ['file', 'reference', 'date', 'link', 'derived'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Items that keep themselves current from other records instead of evidence. */
export const DERIVED_RULES = [
	'agreement_in_force',
	'server_certificates_valid',
	'staff_cards_valid',
	'staff_trained',
	'system_certified',
	'unit_in_code_service',
	'access_register_current',
	'security_plan_in_place',
	'security_plan_acknowledged'
] as const;
export type DerivedRule = (typeof DERIVED_RULES)[number];
/** Why a derived item is not met, where the reason is something a person must act on. */
export const DERIVED_PROBLEMS = [
	'no_system',
	'wrong_purpose',
	'certificate_expired',
	'no_units',
	'leavers_pending',
	'plan_not_approved',
	'plan_altered',
	'plan_review_due',
	'plan_nothing_binding',
	'plan_not_acknowledged',
	'plan_no_people'
] as const;
export type DerivedProblem = (typeof DERIVED_PROBLEMS)[number];

/**
 * `instruction.system_key` of the instruction the portal writes from the binding sections of the main
 * connector's approved information-security plan; its people acknowledge it as any instruction.
 */
export const SECURITY_PLAN_INSTRUCTION_KEY = 'security_plan_binding';

/** The main connector's client/patient information systems (seed 001: classes A1–A3, THL regulation 4/2021). */
export const SYSTEM_CLASSES = ['A1', 'A2', 'A3'] as const;
export type SystemClass = (typeof SYSTEM_CLASSES)[number];
/** A patient data system serves health care; social welfare needs a client data system of its own kind. */
export const SYSTEM_PURPOSES = ['patient_data', 'social_welfare_client'] as const;
export type SystemPurpose = (typeof SYSTEM_PURPOSES)[number];

export const CHECKLIST_STATUSES = ['not_started', 'in_progress', 'submitted', 'verified', 'returned', 'expired'] as const;
export type ChecklistStatus = (typeof CHECKLIST_STATUSES)[number];

/** DVV certificates and the information system's security assessment certificate. */
export const CERTIFICATE_KINDS = [
	'server',
	'system_signature',
	'server_test',
	'system_signature_test',
	'professional_card',
	'staff_card',
	'replacement_card',
	'security_assessment'
] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];
/** Kinds that arrive as PEM/DER files; the rest are entered by hand. */
export const FILE_CERTIFICATE_KINDS = ['server', 'system_signature', 'server_test', 'system_signature_test'] as const;

export const HOLDER_TYPES = ['main_connector', 'tenant', 'person'] as const;
export type HolderType = (typeof HOLDER_TYPES)[number];
/** How soon a certificate expires, as the dashboard groups them. */
export const EXPIRY_BUCKETS = ['expired', 'within_30', 'within_60', 'within_90', 'later'] as const;
export type ExpiryBucket = (typeof EXPIRY_BUCKETS)[number];

/** What an instruction is about: the agreement sections that require written instructions. */
export const INSTRUCTION_CATEGORIES = [
	'kanta_terms',
	'technical_environment',
	'card_handling',
	'client_data',
	'training_needs',
	'security_policy',
	'other'
] as const;
export type InstructionCategory = (typeof INSTRUCTION_CATEGORIES)[number];
export const INSTRUCTION_AUDIENCES = ['all_staff', 'tenant_admins'] as const;
export type InstructionAudience = (typeof INSTRUCTION_AUDIENCES)[number];

/** Agreement §4: what can be reported, and how a report moves on. */
export const INCIDENT_KINDS = ['system_disturbance', 'kanta_disturbance', 'data_breach', 'significant_deviation', 'other'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export const INCIDENT_STATUSES = ['received', 'investigating', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const BREACH_DECISIONS = ['notify_authority', 'no_notification'] as const;
export type BreachDecision = (typeof BREACH_DECISIONS)[number];
/** GDPR art. 34: whether the controller informs the data subjects of the breach. */
export const DATA_SUBJECT_DECISIONS = ['inform_subjects', 'not_inform_subjects'] as const;
export type DataSubjectDecision = (typeof DATA_SUBJECT_DECISIONS)[number];

/** One controller's decisions on a suspected breach, as the form gives them to the domain. */
export interface DecisionInput {
	decision: BreachDecision;
	/** The day the Ombudsman was notified; set exactly when `decision` is notify_authority. */
	notifiedOn: string | null;
	reason: string;
	subjectsDecision: DataSubjectDecision;
	/** The day the data subjects were informed; set exactly when they are. */
	subjectsInformedOn: string | null;
	subjectsReason: string;
}
/**
 * Services whose data every provider controls jointly with Kela (Client Data Act 70 §,
 * Prescription Act 18 §); Kela is the data subjects' contact point for them.
 */
export const JOINT_CONTROL_SERVICES = ['prescription', 'information_management', 'will_expression', 'disclosure_logs'] as const;
export type JointControlService = (typeof JOINT_CONTROL_SERVICES)[number];
/** Whom the main connector passes a report on to (agreement §4.1; Client Data Act 41 §). */
export const ONWARD_RECIPIENTS = ['tenant', 'kela', 'system_manufacturer', 'supervisory_authority', 'data_protection_ombudsman'] as const;
export type OnwardRecipient = (typeof ONWARD_RECIPIENTS)[number];

/** Where one requirement of the information-security plan stands (THL 3/2024). */
export const SECURITY_REQUIREMENT_STATUSES = ['not_described', 'described', 'implemented', 'verified'] as const;
export type SecurityRequirementStatus = (typeof SECURITY_REQUIREMENT_STATUSES)[number];
/**
 * Who carries a requirement (THL 3/2024 ch. 3): the main connector itself, or another party under an
 * agreement that fixes the responsibility.
 */
export const SECURITY_RESPONSIBLE_PARTIES = ['main_connector', 'tenant', 'system_supplier', 'it_service_provider'] as const;
export type SecurityResponsibleParty = (typeof SECURITY_RESPONSIBLE_PARTIES)[number];
/**
 * A risk's likelihood, impact and residual level in the plan's risk register (THL 3/2024 ch. 5: the
 * plan rests on an assessment of risks, their likelihood and effects, and the residual risks accepted).
 */
export const SECURITY_RISK_LEVELS = ['low', 'moderate', 'high', 'very_high'] as const;
export type SecurityRiskLevel = (typeof SECURITY_RISK_LEVELS)[number];
/** The chapters of THL 3/2024 a framework file may contain, in the regulation's order. */
export const SECURITY_PLAN_CHAPTERS = [
	'3',
	'5',
	'6.1',
	'6.2',
	'6.3',
	'6.4',
	'6.5',
	'6.6',
	'6.7',
	'6.8',
	'6.9',
	'6.10',
	'6.11',
	'6.12'
] as const;
export type SecurityPlanChapter = (typeof SECURITY_PLAN_CHAPTERS)[number];
/**
 * What an integration API token may do: one scope per resource family and access. A tenant's own
 * token holds read scopes only.
 */
export const API_SCOPES = [
	'tenants:read',
	'people:read',
	'checklists:read',
	'certificates:read',
	'certificates:write',
	'agreements:read',
	'instructions:read',
	'incidents:write',
	'security_plan:read'
] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const API_READ_SCOPES: readonly ApiScope[] = API_SCOPES.filter((scope) => scope.endsWith(':read'));
/** What a tenant's token may hold: reading, and never the main connector's confidential plan (THL 3/2024 ch. 5). */
export const API_TENANT_SCOPES: readonly ApiScope[] = API_READ_SCOPES.filter((scope) => scope !== 'security_plan:read');

/** Events a webhook endpoint may subscribe to. */
export const WEBHOOK_EVENTS = [
	'tenant.stage_changed',
	'agreement.signed',
	'agreement.countersigned',
	'agreement.in_force',
	'agreement.ended',
	'certificate.expiring',
	'certificate.expired',
	'checklist_item.submitted',
	'checklist_item.verified',
	'acknowledgement.completed',
	'incident.reported',
	'person.deactivated'
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
