import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db';
import { securityPlan, securityPlanEntry, tenant } from '../db/schema';
import { todayInHelsinki } from '../../time';
import { activePeopleWithRoles, claimReminder, notify } from '../notifications/notifications';

/**
 * One reminder per requirement and review date once the date has come (THL 3/2024: the plan is
 * reviewed regularly), to its owner and the administrators of the plan's own organisation (the main
 * connector's for its plan, a tenant's for the tenant's own); it reaches them in the daily digest
 * like other reminders. An archived tenant's plan gets none. Marking the requirement reviewed sets a new date, which gets its own
 * reminder when it comes.
 */
export function scanSecurityPlanReviews(db: Db, now = new Date()): number {
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
			const due = tx
				.select()
				.from(securityPlanEntry)
				.where(and(eq(securityPlanEntry.planId, plan.id), lte(securityPlanEntry.nextReviewOn, todayInHelsinki(now))))
				.all();
			if (!due.length) continue;
			const admins = activePeopleWithRoles(tx, plan.tenantId, plan.tenantId === null ? ['mc_admin'] : ['tenant_admin']);
			for (const entry of due) {
				if (!claimReminder(tx, plan.id, `review:${entry.requirementId}:${entry.nextReviewOn}`, now)) continue;
				const people = entry.ownerId ? [...admins, entry.ownerId] : admins;
				sent += notify(
					tx,
					people,
					'security_plan_review_due',
					{ requirement: entry.requirementId, date: entry.nextReviewOn },
					`/security-plan/${entry.requirementId}`,
					now
				);
			}
		}
	});
	return sent;
}
