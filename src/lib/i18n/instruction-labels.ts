import * as m from '$lib/paraglide/messages.js';
import type { InstructionAudience, InstructionCategory } from '$lib/domain';

export const instructionCategoryLabel = (category: InstructionCategory): string =>
	({
		kanta_terms: m.instruction_category_kanta_terms,
		technical_environment: m.instruction_category_technical_environment,
		card_handling: m.instruction_category_card_handling,
		client_data: m.instruction_category_client_data,
		training_needs: m.instruction_category_training_needs,
		security_policy: m.instruction_category_security_policy,
		other: m.instruction_category_other
	})[category]();

export const audienceLabel = (audience: InstructionAudience): string =>
	audience === 'tenant_admins' ? m.instruction_audience_tenant_admins() : m.instruction_audience_all_staff();

export const ackStatusLabel = (status: 'current' | 'outdated' | 'missing'): string =>
	({ current: m.instruction_status_current, outdated: m.instruction_status_outdated, missing: m.instruction_status_missing })[status]();

export const ackStatusTone = (status: 'current' | 'outdated' | 'missing'): string => (status === 'current' ? 'done' : 'warn');
