import { z } from 'zod';
import {
	BREACH_DECISIONS,
	DATA_SUBJECT_DECISIONS,
	INCIDENT_KINDS,
	INCIDENT_STATUSES,
	JOINT_CONTROL_SERVICES,
	ONWARD_RECIPIENTS,
	type DecisionInput
} from '$lib/domain';
import { fromHelsinkiWallClock, todayInHelsinki } from '$lib/time';
import { optionalText, requiredText } from './fields';

/** The list's and the CSV export's filters; anything unexpected simply means "all". */
export const incidentListQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	kind: z.enum(INCIDENT_KINDS).optional().catch(undefined),
	status: z.enum(INCIDENT_STATUSES).optional().catch(undefined),
	open: z
		.string()
		.optional()
		.transform((v) => v === '1')
		.catch(false)
});

/** Clocks a few minutes fast should not make "just now" a time in the future. */
const FUTURE_LEEWAY_MS = 5 * 60_000;

/** A datetime-local value, read as Finnish time (seconds, if a browser sends them, are dropped). */
const pastHelsinkiTime = (inFuture: string) =>
	z
		.string({ error: 'error_required' })
		.trim()
		.min(1, { error: 'error_required' })
		.transform((value, ctx) => {
			const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? fromHelsinkiWallClock(value.slice(0, 16)) : null;
			if (!instant) {
				ctx.addIssue({ code: 'custom', message: 'incident_noticed_invalid' });
				return z.NEVER;
			}
			return instant;
		})
		.refine((instant) => instant.getTime() <= Date.now() + FUTURE_LEEWAY_MS, { error: inFuture });

/**
 * A report. Whom it concerns (tenants ticked or named by business ID, and/or the main connector's
 * own activity) is read from the main connector's people only; the route checks that at least one
 * party remains once the business IDs are resolved.
 */
export const reportSchema = z.object({
	kind: z.enum(INCIDENT_KINDS, { error: 'error_choose_one' }),
	noticedAt: pastHelsinkiTime('incident_noticed_in_future'),
	description: requiredText(4000),
	affected: optionalText(2000),
	reporterName: requiredText(200),
	reporterContact: requiredText(300),
	tenantIds: z
		.array(z.uuid({ error: 'error_choose_one' }))
		.max(5000, { error: 'error_too_many_rows' })
		.default([]),
	tenantBusinessIds: z.string().max(100_000, { error: 'error_too_long' }).default(''),
	mainConnector: z
		.string()
		.optional()
		.transform((v) => v === 'on'),
	jointServices: z
		.array(z.enum(JOINT_CONTROL_SERVICES, { error: 'error_choose_one' }))
		.max(JOINT_CONTROL_SERVICES.length)
		.default([])
});

export const noteSchema = z.object({ note: requiredText(2000) });

export const statusSchema = z.object({ status: z.enum(INCIDENT_STATUSES, { error: 'error_choose_one' }) });

const pastDay = () => z.union([z.literal(''), z.iso.date({ error: 'error_date_invalid' })], { error: 'error_date_invalid' }).default('');

/**
 * A controller's decisions: notify the Ombudsman (on which day) or not (and why); inform the data
 * subjects (on which day) or not (and why).
 */
export const decisionSchema = z
	.object({
		controller: z.string().min(1).max(64),
		decision: z.enum(BREACH_DECISIONS, { error: 'error_choose_one' }),
		notifiedOn: pastDay(),
		reason: optionalText(2000),
		subjectsDecision: z.enum(DATA_SUBJECT_DECISIONS, { error: 'error_choose_one' }),
		subjectsInformedOn: pastDay(),
		subjectsReason: optionalText(2000)
	})
	.superRefine((v, ctx) => {
		const today = todayInHelsinki();
		if (v.decision === 'no_notification' && !v.reason)
			ctx.addIssue({ code: 'custom', path: ['reason'], message: 'incident_reason_required' });
		if (v.decision === 'notify_authority' && !v.notifiedOn)
			ctx.addIssue({ code: 'custom', path: ['notifiedOn'], message: 'incident_notified_on_required' });
		if (v.decision === 'notify_authority' && v.notifiedOn > today)
			ctx.addIssue({ code: 'custom', path: ['notifiedOn'], message: 'incident_notified_on_future' });
		if (v.subjectsDecision === 'not_inform_subjects' && !v.subjectsReason)
			ctx.addIssue({ code: 'custom', path: ['subjectsReason'], message: 'incident_subjects_reason_required' });
		if (v.subjectsDecision === 'inform_subjects' && !v.subjectsInformedOn)
			ctx.addIssue({ code: 'custom', path: ['subjectsInformedOn'], message: 'incident_subjects_informed_on_required' });
		if (v.subjectsDecision === 'inform_subjects' && v.subjectsInformedOn > today)
			ctx.addIssue({ code: 'custom', path: ['subjectsInformedOn'], message: 'incident_notified_on_future' });
	})
	.transform((v): { controller: string; input: DecisionInput } => ({
		controller: v.controller,
		input: {
			decision: v.decision,
			notifiedOn: v.decision === 'notify_authority' ? v.notifiedOn : null,
			reason: v.reason,
			subjectsDecision: v.subjectsDecision,
			subjectsInformedOn: v.subjectsDecision === 'inform_subjects' ? v.subjectsInformedOn : null,
			subjectsReason: v.subjectsReason
		}
	}));

/** An onward notice the main connector made: to whom, when (Finnish time), how, and by whom. */
export const onwardNoticeSchema = z.object({
	recipient: z.enum(ONWARD_RECIPIENTS, { error: 'error_choose_one' }),
	notifiedAt: pastHelsinkiTime('incident_onward_in_future'),
	method: requiredText(300),
	notifiedBy: requiredText(200),
	note: optionalText(2000)
});

export const announcementSchema = z
	.object({
		title: requiredText(200),
		body: requiredText(4000),
		audience: z.enum(['all', 'chosen'], { error: 'error_choose_one' }),
		tenantIds: z
			.array(z.uuid({ error: 'error_choose_one' }))
			.max(5000, { error: 'error_too_many_rows' })
			.default([]),
		/** Where there are too many tenants to list: business IDs pasted in. */
		tenantBusinessIds: z.string().max(100_000, { error: 'error_too_long' }).default('')
	})
	.refine((v) => v.audience === 'all' || v.tenantIds.length > 0 || v.tenantBusinessIds.trim() !== '', {
		error: 'announcement_choose_tenants',
		path: ['tenantIds']
	})
	.transform((v) => ({
		title: v.title,
		body: v.body,
		allTenants: v.audience === 'all',
		tenantIds: v.audience === 'all' ? [] : v.tenantIds,
		tenantBusinessIds: v.tenantBusinessIds
	}));
