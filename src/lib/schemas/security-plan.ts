import { z } from 'zod';
import {
	SECURITY_PLAN_CHAPTERS,
	SECURITY_REQUIREMENT_STATUSES,
	SECURITY_RESPONSIBLE_PARTIES,
	SECURITY_RISK_LEVELS,
	type SecurityResponsibleParty
} from '$lib/domain';
import { optionalText, requiredText } from './fields';

const optionalDate = z
	.union([z.literal(''), z.iso.date({ error: 'error_date_invalid' })], { error: 'error_date_invalid' })
	.default('')
	.transform((value) => value || null);

/**
 * One requirement of an information-security plan, as the edit form sends it. `ownParty` is the plan's
 * own organisation (the main connector, or the tenant for its own plan): any other party's share
 * needs its name and agreement.
 */
export const planEntrySchemaFor = (ownParty: SecurityResponsibleParty) =>
	z
		.object({
			description: optionalText(20_000),
			ownerId: z
				.union([z.literal(''), z.uuid({ error: 'security_plan_error_owner' })], { error: 'security_plan_error_owner' })
				.default('')
				.transform((value) => value || null),
			status: z.enum(SECURITY_REQUIREMENT_STATUSES, { error: 'error_choose_one' }),
			lastReviewedOn: optionalDate,
			nextReviewOn: optionalDate,
			responsibleParty: z.enum(SECURITY_RESPONSIBLE_PARTIES, { error: 'error_choose_one' }),
			responsibleName: optionalText(200),
			agreementReference: optionalText(300)
		})
		// A requirement counts as described only when the text says how it is met.
		.refine((v) => v.status === 'not_described' || v.description !== '', {
			error: 'security_plan_error_description_needed',
			path: ['description']
		})
		// THL 3/2024 ch. 3: a responsibility resting on another party is fixed by an agreement.
		.refine((v) => v.responsibleParty === ownParty || v.responsibleName !== '', {
			error: 'error_required',
			path: ['responsibleName']
		})
		.refine((v) => v.responsibleParty === ownParty || v.agreementReference !== '', {
			error: 'security_plan_error_agreement',
			path: ['agreementReference']
		})
		.refine((v) => !v.lastReviewedOn || !v.nextReviewOn || v.nextReviewOn > v.lastReviewedOn, {
			error: 'security_plan_error_next_before_last',
			path: ['nextReviewOn']
		});

/** The main connector's plan. */
export const planEntrySchema = planEntrySchemaFor('main_connector');

export type PlanEntryForm = z.output<typeof planEntrySchema>;

export const shareWithMainSchema = z.object({ shared: z.enum(['true', 'false']).transform((v) => v === 'true') });

/** Moving the plan onto a later framework version: the version shown, and the checkbox when requirements leave the plan. */
export const moveSchema = z.object({ version: z.coerce.number().int().min(1), confirm: z.literal('on').optional() });

export const reviewedSchema = z.object({ requirementId: z.string().regex(/^(3|5|6\.(?:[1-9]|1[0-2]))-[1-9]\d?$/) });

export const shareSchema = z.object({
	chapter: z.enum(SECURITY_PLAN_CHAPTERS),
	binds: z.enum(['true', 'false']).transform((v) => v === 'true')
});

const riskLevel = z.enum(SECURITY_RISK_LEVELS, { error: 'error_choose_one' });

/** One risk of the plan's risk register (THL 3/2024 ch. 5), as its form sends it. */
export const riskSchema = z.object({
	title: requiredText(300),
	systems: optionalText(500),
	chapters: z.array(z.enum(SECURITY_PLAN_CHAPTERS, { error: 'security_risk_error_chapter' })).default([]),
	likelihood: riskLevel,
	impact: riskLevel,
	treatment: requiredText(5000),
	residual: riskLevel
});

/** A check recorded in the plan's follow-up log (THL 3/2024 ch. 3). */
export const planCheckSchema = z.object({
	checkedOn: z.iso.date({ error: 'error_date_invalid' }),
	chapters: z.array(z.enum(SECURITY_PLAN_CHAPTERS, { error: 'security_risk_error_chapter' })).default([]),
	what: requiredText(2000),
	findings: optionalText(2000)
});

export type PlanCheckInput = z.output<typeof planCheckSchema>;

export const directorSchema = z.object({
	directorId: z
		.union([z.literal(''), z.uuid({ error: 'security_plan_error_owner' })], { error: 'security_plan_error_owner' })
		.default('')
		.transform((value) => value || null)
});

/** Two approved versions to compare; anything else falls back to the newest and the one before. */
export const compareSchema = z.object({
	from: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
	to: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined)
});

export const acknowledgeSchema = z.object({ version: z.coerce.number().int().min(1).max(100_000) });

/** A document beside a requirement: a title, and an http(s) address unless a file is attached. */
export const documentSchema = z.object({
	title: requiredText(200),
	url: z
		.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'error_link_invalid' }).max(2000, { error: 'error_too_long' })], {
			error: 'error_link_invalid'
		})
		.default('')
});

export const documentIdSchema = z.object({ id: z.uuid() });
