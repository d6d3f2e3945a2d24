import { createHash } from 'node:crypto';
import { and, asc, desc, eq, isNull, lte, ne } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { securityPlan, securityPlanAcknowledgement, securityPlanEntry, securityPlanVersion } from '../db/schema';
import { todayInHelsinki } from '../../time';
import type { DerivedProblem } from '../../domain';

/**
 * The two checklist items that follow the main connector's information-security plan (agreement §2,
 * THL 3/2024). The plan's own module (security-plan/) already reaches the checklist through the
 * organisation, so these read its tables directly rather than import it and tie the two concepts
 * into a cycle. The rules, stated to users in the catalogue's guidance:
 *
 * - "plan in place": the plan has an approved version (the responsible director stands behind it, so
 *   it can be shown to the supervisory authority), the newest version still matches the hash taken
 *   at approval, and no requirement's review date has come (the plan is kept current, ch. 3). Whether
 *   the plan covers enough is the director's judgement at approval; the checklist checks only what
 *   the records can show.
 * - "staff follow the plan": the tenant has acknowledged the newest approved version, and that
 *   version binds the tenant to at least one section. The acknowledgement is per tenant (its
 *   administrator acknowledges for its people), and each new version is acknowledged again, as the
 *   binding page asks.
 */

export interface PlanState {
	met: boolean;
	problem?: DerivedProblem;
	/** For "plan in place": the requirements whose review date has come. */
	missing?: string[];
}

function newestApprovedVersion(db: DbOrTx) {
	const plan = db.select({ id: securityPlan.id }).from(securityPlan).where(isNull(securityPlan.tenantId)).get();
	if (!plan) return undefined;
	return db
		.select()
		.from(securityPlanVersion)
		.where(eq(securityPlanVersion.planId, plan.id))
		.orderBy(desc(securityPlanVersion.version))
		.limit(1)
		.get();
}

export function securityPlanInPlace(db: DbOrTx, now: Date): PlanState {
	const latest = newestApprovedVersion(db);
	if (!latest) return { met: false, problem: 'plan_not_approved' };
	if (createHash('sha256').update(latest.snapshot, 'utf8').digest('hex') !== latest.contentHash)
		return { met: false, problem: 'plan_altered' };
	const due = db
		.select({ requirementId: securityPlanEntry.requirementId })
		.from(securityPlanEntry)
		.where(
			and(
				eq(securityPlanEntry.planId, latest.planId),
				ne(securityPlanEntry.nextReviewOn, ''),
				lte(securityPlanEntry.nextReviewOn, todayInHelsinki(now))
			)
		)
		.orderBy(asc(securityPlanEntry.nextReviewOn))
		.all()
		.map((r) => r.requirementId);
	return due.length ? { met: false, problem: 'plan_review_due', missing: due } : { met: true };
}

export function securityPlanAcknowledged(db: DbOrTx, tenantId: string): PlanState {
	const latest = newestApprovedVersion(db);
	if (!latest) return { met: false, problem: 'plan_not_approved' };
	const binding = (JSON.parse(latest.snapshot) as { binding?: unknown }).binding;
	if (!Array.isArray(binding) || binding.length === 0) return { met: false, problem: 'plan_nothing_binding' };
	const acknowledged = db
		.select({ at: securityPlanAcknowledgement.acknowledgedAt })
		.from(securityPlanAcknowledgement)
		.where(and(eq(securityPlanAcknowledgement.versionId, latest.id), eq(securityPlanAcknowledgement.tenantId, tenantId)))
		.get();
	return acknowledged ? { met: true } : { met: false, problem: 'plan_not_acknowledged' };
}
