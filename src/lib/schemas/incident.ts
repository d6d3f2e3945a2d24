import { z } from 'zod';
import { BREACH_DECISIONS, INCIDENT_KINDS, INCIDENT_STATUSES } from '$lib/domain';
import { fromHelsinkiWallClock } from '$lib/server/incidents/deadline';
import type { DecisionInput } from '$lib/server/incidents/incidents';
import { todayInHelsinki } from '$lib/server/time';
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
const noticedAt = z
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
	.refine((instant) => instant.getTime() <= Date.now() + FUTURE_LEEWAY_MS, { error: 'incident_noticed_in_future' });

export const reportSchema = z.object({
	kind: z.enum(INCIDENT_KINDS, { error: 'error_choose_one' }),
	noticedAt,
	description: requiredText(4000),
	affected: optionalText(2000),
	reporterName: requiredText(200),
	reporterContact: requiredText(300)
});

export const noteSchema = z.object({ note: requiredText(2000) });

export const statusSchema = z.object({ status: z.enum(INCIDENT_STATUSES, { error: 'error_choose_one' }) });

/** Notify the Ombudsman (on which day), or not (and why). */
export const decisionSchema = z
	.object({
		decision: z.enum(BREACH_DECISIONS, { error: 'error_choose_one' }),
		notifiedOn: z.union([z.literal(''), z.iso.date({ error: 'error_date_invalid' })], { error: 'error_date_invalid' }).default(''),
		reason: optionalText(2000)
	})
	.superRefine((v, ctx) => {
		if (v.decision === 'no_notification' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'incident_reason_required' });
		if (v.decision === 'notify_authority' && !v.notifiedOn) ctx.addIssue({ code: 'custom', path: ['notifiedOn'], message: 'incident_notified_on_required' });
		if (v.decision === 'notify_authority' && v.notifiedOn > todayInHelsinki()) ctx.addIssue({ code: 'custom', path: ['notifiedOn'], message: 'incident_notified_on_future' });
	})
	.transform((v): DecisionInput => (v.decision === 'notify_authority' ? { decision: v.decision, notifiedOn: v.notifiedOn, reason: v.reason } : { decision: v.decision, reason: v.reason }));

export const announcementSchema = z
	.object({
		title: requiredText(200),
		body: requiredText(4000),
		audience: z.enum(['all', 'chosen'], { error: 'error_choose_one' }),
		tenantIds: z.array(z.uuid({ error: 'error_choose_one' })).max(5000, { error: 'error_too_many_rows' }).default([]),
		/** Where there are too many tenants to list: business IDs pasted in. */
		tenantBusinessIds: z.string().max(100_000, { error: 'error_too_long' }).default('')
	})
	.refine((v) => v.audience === 'all' || v.tenantIds.length > 0 || v.tenantBusinessIds.trim() !== '', { error: 'announcement_choose_tenants', path: ['tenantIds'] })
	.transform((v) => ({ title: v.title, body: v.body, allTenants: v.audience === 'all', tenantIds: v.audience === 'all' ? [] : v.tenantIds, tenantBusinessIds: v.tenantBusinessIds }));
