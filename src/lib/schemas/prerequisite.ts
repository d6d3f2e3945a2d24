import { z } from 'zod';
import { DERIVED_RULES, EVIDENCE_KINDS, PARTIES, PREREQUISITE_CATEGORIES, PROVIDER_TYPES, SERVICE_SECTORS } from '$lib/domain';
import { checkbox, optionalText, requiredText } from './fields';

export const prerequisiteSchema = z
	.object({
		code: z
			.string()
			.trim()
			.min(1, { error: 'error_required' })
			.max(60, { error: 'error_too_long' })
			.regex(/^[a-z0-9_]+$/, { error: 'error_code_format' }),
		nameFi: requiredText(),
		nameSv: requiredText(),
		nameEn: requiredText(),
		guidanceFi: optionalText(2000),
		guidanceSv: optionalText(2000),
		guidanceEn: optionalText(2000),
		category: z.enum(PREREQUISITE_CATEGORIES, { error: 'error_choose_one' }),
		responsibleParty: z.enum(PARTIES, { error: 'error_choose_one' }),
		sectors: z.array(z.enum(SERVICE_SECTORS)).default([]),
		providerTypes: z.array(z.enum(PROVIDER_TYPES)).default([]),
		serviceCodes: z
			.array(z.string().regex(/^[a-z0-9_]+$/))
			.max(50)
			.default([]),
		evidenceKind: z.enum(EVIDENCE_KINDS, { error: 'error_choose_one' }),
		derivedRule: z.union([z.literal(''), z.enum(DERIVED_RULES)]).transform((v) => v || null),
		renewalMonths: z
			.union([z.literal(''), z.coerce.number().int().min(1).max(120)], { error: 'error_renewal_months' })
			.transform((v) => (v === '' ? null : v)),
		required: checkbox,
		active: checkbox
	})
	// A derived item has no evidence of its own, and only a derived item names a rule.
	.refine((v) => (v.evidenceKind === 'derived') === (v.derivedRule !== null), { error: 'error_derived_rule', path: ['derivedRule'] });
