import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '../db';
import { securityPlan, securityPlanEntry } from '../db/schema';
import { todayInHelsinki } from '../../time';
import { activePeopleWithRoles, claimReminder, notify } from '../notifications/notifications';

/**
 * One reminder per requirement and review date once the date has come (THL 3/2024: the plan is
 * reviewed regularly), to its owner and the administrators of the plan's own organisation (the main
 * connector's for its plan, a tenant's for the tenant's own); it reaches them in the daily digest
 * like other reminders. Marking the requirement reviewed sets a new date, which gets its own
 * reminder when it comes.
 */
export function scanSecurityPlanReviews(db: Db, now = new Date()): number {
	let sent = 0;
	db.transaction((tx) => {
		for (const plan of tx.select().from(securityPlan).all()) {
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
