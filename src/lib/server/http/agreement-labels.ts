import * as m from '$lib/paraglide/messages.js';

/** A template value's name as the administrator knows it, for "these values are missing" messages. */
export function placeholderLabel(name: string): string {
	const labels: Record<string, () => string> = {
		'main.soteri': () => `${m.field_soteri()} (${m.setup_organisation_heading()})`,
		'tenant.soteri': () => `${m.field_soteri()} (${m.nav_tenants()})`,
		'contact.disturbance': m.designated_disturbance_contact,
		'contact.archivist': m.designated_archivist,
		'contact.dpo': m.designated_data_protection_officer,
		'contact.physician': m.designated_responsible_physician,
		place: m.field_place,
		'serviceAgreement.reference': m.field_service_agreement_reference
	};
	return labels[name]?.() ?? name;
}
