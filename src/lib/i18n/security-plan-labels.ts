import * as m from '$lib/paraglide/messages.js';
import type { SecurityRequirementStatus, SecurityResponsibleParty, SecurityRiskLevel } from '$lib/domain';
import { startOfHelsinkiDay } from '$lib/time';
import { formatDate } from './format';

export const securityStatusLabel = (status: SecurityRequirementStatus): string =>
	({
		not_described: m.security_status_not_described,
		described: m.security_status_described,
		implemented: m.security_status_implemented,
		verified: m.security_status_verified
	})[status]();

export const securityPartyLabel = (party: SecurityResponsibleParty): string =>
	({
		main_connector: m.security_party_main_connector,
		tenant: m.security_party_tenant,
		system_supplier: m.security_party_system_supplier,
		it_service_provider: m.security_party_it_service_provider
	})[party]();

/** A YYYY-MM-DD day (Helsinki) in the reader's format. */
export const formatDay = (isoDate: string | null | undefined): string => (isoDate ? formatDate(startOfHelsinkiDay(isoDate)) : '');

export const securityRiskLevelLabel = (level: SecurityRiskLevel): string =>
	({
		low: m.security_risk_level_low,
		moderate: m.security_risk_level_moderate,
		high: m.security_risk_level_high,
		very_high: m.security_risk_level_very_high
	})[level]();
