import { z } from 'zod';
import { INSTRUCTION_AUDIENCES, INSTRUCTION_CATEGORIES } from '$lib/domain';
import { checkbox, optionalText, requiredText } from './fields';

/** Long enough for a real instruction, short enough to keep a page readable. */
const BODY_MAX = 50_000;

/**
 * The texts of one version. Finnish and Swedish are required; English is optional but comes as a
 * pair. A body may stay empty only when a PDF carries the content (checked where the file is seen).
 */
const texts = {
	titleFi: requiredText(200),
	bodyFi: optionalText(BODY_MAX),
	titleSv: requiredText(200),
	bodySv: optionalText(BODY_MAX),
	titleEn: optionalText(200),
	bodyEn: optionalText(BODY_MAX)
};

const englishPair = (v: { titleEn: string; bodyEn: string }) => (v.titleEn === '') === (v.bodyEn === '');
const englishPairError = { error: 'instruction_error_english_pair', path: ['titleEn'] };

/** Every tenant, or the tenants ticked; each audience is one of the known ones. */
const settings = {
	category: z.enum(INSTRUCTION_CATEGORIES, { error: 'error_choose_one' }),
	targets: z.enum(['all', 'chosen'], { error: 'error_choose_one' }),
	tenantIds: z.array(z.uuid()).max(5000).default([]),
	/** Where there are too many tenants to list: business IDs pasted in, separated by spaces, commas or lines. */
	tenantBusinessIds: z.string().max(100_000, { error: 'error_too_long' }).default(''),
	audience: z.enum(INSTRUCTION_AUDIENCES, { error: 'error_choose_one' }),
	requiresAck: checkbox
};

const chosenTenants = (v: { targets: 'all' | 'chosen'; tenantIds: string[]; tenantBusinessIds: string }) =>
	v.targets === 'all' || v.tenantIds.length > 0 || v.tenantBusinessIds.trim() !== '';
const chosenTenantsError = { error: 'instruction_error_choose_tenants', path: ['tenantIds'] };

export const instructionSettingsSchema = z.object(settings).refine(chosenTenants, chosenTenantsError);

export const newInstructionSchema = z
	.object({ ...settings, ...texts })
	.refine(chosenTenants, chosenTenantsError)
	.refine(englishPair, englishPairError);

export const publishVersionSchema = z
	.object({
		...texts,
		change: z.enum(['material', 'minor'], { error: 'instruction_error_choose_change' }),
		changeSummary: requiredText(500)
	})
	.refine(englishPair, englishPairError);

export type InstructionTexts = Pick<z.output<typeof newInstructionSchema>, keyof typeof texts>;

/** The version the reader saw; refused if a newer one was published meanwhile. */
export const acknowledgeSchema = z.object({ versionId: z.uuid() });
