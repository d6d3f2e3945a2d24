import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db';
import { securityPlan, securityPlanEntry, tenant } from '../db/schema';
import { addDays, daysBetween, todayInHelsinki } from '../../time';
import { getSettings } from '../settings';
import { activePeopleWithRoles, claimReminder, notify } from '../notifications/notifications';

/**
 * Reminders of each requirement's next review (THL 3/2024: the plan is reviewed regularly), to its
 * owner and the administrators of the plan's own organisation (the main connector's for its plan, a
 * tenant's for the tenant's own); they reach them in the daily digest like other reminders.
 *
 * Ahead of the date they come at the thresholds set for certificates (Settings, days before), each
 * once per requirement and date, as expiry reminders do: when several thresholds have passed since the
 * last scan, all are claimed but only the most urgent is announced. When the date has come, one more
 * says the review is due. Marking the requirement reviewed sets a new date, whose reminders start
 * afresh. An archived tenant's plan gets none.
 */
export function scanSecurityPlanReviews(db: Db, now = new Date()): number {
	const today = todayInHelsinki(now);
	const ahead = getSettings(db)
		.reminderThresholds.filter((t) => t > 0)
		.sort((a, b) => a - b);
	const horizon = addDays(today, Math.max(0, ...ahead));
	let sent = 0;
	db.transaction((tx) => {
		// An archived tenant has left the service: its own plan is kept, but no longer followed up.
		const plans = tx
			.select({ id: securityPlan.id, tenantId: securityPlan.tenantId })
			.from(securityPlan)
			.leftJoin(tenant, eq(tenant.id, securityPlan.tenantId))
			.where(or(isNull(securityPlan.tenantId), isNull(tenant.archivedAt)))
			.all();
		for (const plan of plans) {
			const coming = tx
				.select()
				.from(securityPlanEntry)
				.where(and(eq(securityPlanEntry.planId, plan.id), lte(securityPlanEntry.nextReviewOn, horizon)))
				.all();
			if (!coming.length) continue;
			const admins = activePeopleWithRoles(tx, plan.tenantId, plan.tenantId === null ? ['mc_admin'] : ['tenant_admin']);
			for (const entry of coming) {
				const date = entry.nextReviewOn!;
				const daysLeft = daysBetween(today, date);
				const key = `review:${entry.requirementId}:${date}`;
				let announce: { kind: string; days?: number } | null = null;
				if (daysLeft <= 0) {
					if (claimReminder(tx, plan.id, key, now)) announce = { kind: 'security_plan_review_due' };
				} else {
					const reached = ahead.filter((t) => daysLeft <= t);
					const claimed = reached.filter((t) => claimReminder(tx, plan.id, `${key}:${t}`, now));
					if (claimed.includes(reached[0])) announce = { kind: 'security_plan_review_coming', days: daysLeft };
				}
				if (!announce) continue;
				sent += notify(
					tx,
					entry.ownerId ? [...admins, entry.ownerId] : admins,
					announce.kind,
					{ requirement: entry.requirementId, date, ...(announce.days ? { days: announce.days } : {}) },
					`/security-plan/${entry.requirementId}`,
					now
				);
			}
		}
	});
	return sent;
}
