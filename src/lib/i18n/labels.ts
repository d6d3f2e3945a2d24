import * as m from '$lib/paraglide/messages.js';
import type {
	AgreementStatus,
	ChecklistStatus,
	DerivedRule,
	DesignatedRole,
	EvidenceKind,
	PrerequisiteCategory,
	Role,
	SystemPurpose,
	TenantStage
} from '$lib/domain';

/** Names for values stored as codes, in the reader's language. */
export const stageLabel = (stage: TenantStage): string =>
	({
		invited: m.stage_invited,
		onboarding: m.stage_onboarding,
		agreement_signed: m.stage_agreement_signed,
		ready_for_production: m.stage_ready_for_production,
		in_production: m.stage_in_production,
		notice_given: m.stage_notice_given,
		ended: m.stage_ended
	})[stage]();

export const roleLabel = (role: Role): string =>
	({
		mc_admin: m.role_mc_admin,
		mc_signatory: m.role_mc_signatory,
		mc_cert_admin: m.role_mc_cert_admin,
		tenant_admin: m.role_tenant_admin,
		tenant_signatory: m.role_tenant_signatory,
		tenant_staff: m.role_tenant_staff
	})[role]();

export const designatedRoleLabel = (role: DesignatedRole): string =>
	({
		disturbance_contact: m.designated_disturbance_contact,
		archivist: m.designated_archivist,
		data_protection_officer: m.designated_data_protection_officer,
		responsible_physician: m.designated_responsible_physician
	})[role]();

export const sectorLabel = (sector: 'health_care' | 'social_welfare'): string =>
	sector === 'health_care' ? m.sector_health_care() : m.sector_social_welfare();

export const providerTypeLabel = (type: 'public_on_behalf' | 'private'): string =>
	type === 'private' ? m.provider_private() : m.provider_public_on_behalf();

export const languageName = (lang: string): string => (lang === 'sv' ? m.language_sv() : lang === 'en' ? m.language_en() : m.language_fi());

export const userStatusLabel = (status: 'invited' | 'active' | 'deactivated'): string =>
	status === 'active' ? m.status_active() : status === 'invited' ? m.status_invited() : m.status_deactivated();

export const agreementStatusLabel = (status: AgreementStatus): string =>
	({
		draft: m.agreement_status_draft,
		awaiting_tenant_signature: m.agreement_status_awaiting_tenant_signature,
		awaiting_countersignature: m.agreement_status_awaiting_countersignature,
		in_force: m.agreement_status_in_force,
		superseded: m.agreement_status_superseded,
		notice_given: m.agreement_status_notice_given,
		ended: m.agreement_status_ended,
		rescinded: m.agreement_status_rescinded,
		ended_automatically: m.agreement_status_ended_automatically
	})[status]();

export const partyLabel = (party: 'tenant' | 'main_connector'): string =>
	party === 'tenant' ? m.party_tenant() : m.party_main_connector();

export const checklistStatusLabel = (status: ChecklistStatus): string =>
	({
		not_started: m.checklist_status_not_started,
		in_progress: m.checklist_status_in_progress,
		submitted: m.checklist_status_submitted,
		verified: m.checklist_status_verified,
		returned: m.checklist_status_returned,
		expired: m.checklist_status_expired
	})[status]();

export const categoryLabel = (category: PrerequisiteCategory): string =>
	({
		certificates: m.category_certificates,
		organisation_register: m.category_organisation_register,
		training: m.category_training,
		plan_update: m.category_plan_update,
		system_and_agreement: m.category_system_and_agreement,
		other: m.category_other
	})[category]();

export const evidenceKindLabel = (kind: EvidenceKind): string =>
	({
		file: m.evidence_kind_file,
		reference: m.evidence_kind_reference,
		date: m.evidence_kind_date,
		link: m.evidence_kind_link,
		derived: m.evidence_kind_derived
	})[kind]();

export const derivedRuleLabel = (rule: DerivedRule): string =>
	({
		agreement_in_force: m.derived_agreement_in_force,
		server_certificates_valid: m.derived_server_certificates_valid,
		staff_cards_valid: m.derived_staff_cards_valid,
		staff_trained: m.derived_staff_trained,
		system_certified: m.derived_system_certified,
		unit_in_code_service: m.derived_unit_in_code_service,
		access_register_current: m.derived_access_register_current,
		security_plan_in_place: m.derived_security_plan_in_place,
		security_plan_acknowledged: m.derived_security_plan_acknowledged
	})[rule]();

export const systemPurposeLabel = (purpose: SystemPurpose): string =>
	({ patient_data: m.system_purpose_patient_data, social_welfare_client: m.system_purpose_social_welfare_client })[purpose]();
