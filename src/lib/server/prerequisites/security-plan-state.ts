import { createHash } from 'node:crypto';
import { and, asc, count, desc, eq, exists, gte, isNull, lte, ne, not, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { acknowledgement, instruction, instructionVersion, securityPlan, securityPlanEntry, securityPlanVersion, user } from '../db/schema';
import { todayInHelsinki } from '../../time';
import { SECURITY_PLAN_INSTRUCTION_KEY, type DerivedProblem } from '../../domain';

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
 * - "staff follow the plan": the newest approved version binds the tenant to at least one section,
 *   and every active person of the tenant has acknowledged the instruction carrying that binding text
 *   (security-plan/binding-instruction.ts), person by person, as instructions are acknowledged. The
 *   instruction's tables are read here directly too: instructions/ reaches prerequisites/ through the
 *   organisation. A tenant administrator's acknowledgement for the tenant (security_plan_acknowledgement)
 *   is the administrator's confirmation and history; it no longer meets the item on its own.
 */

export interface PlanState {
	met: boolean;
	problem?: DerivedProblem;
	/** For "plan in place": the requirements whose review date has come; for "staff follow": who has not acknowledged. */
	missing?: string[];
	/** For "staff follow the plan": how many of the tenant's active people hold an acknowledgement of the instruction's version. */
	counts?: { acknowledged: number; total: number; version: number };
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

/**
 * "Staff follow the plan": every active person of the tenant (the audience of the plan's instruction,
 * all its staff) holds an acknowledgement of the instruction's current material version, which is the
 * binding text of the newest approved version that binds a section. With `detail`, the people still
 * to acknowledge are named.
 */
export function securityPlanAcknowledged(db: DbOrTx, tenantId: string, detail = true): PlanState {
	const latest = newestApprovedVersion(db);
	if (!latest) return { met: false, problem: 'plan_not_approved' };
	const binding = (JSON.parse(latest.snapshot) as { binding?: unknown }).binding;
	if (!Array.isArray(binding) || binding.length === 0) return { met: false, problem: 'plan_nothing_binding' };
	const item = db
		.select({ id: instruction.id })
		.from(instruction)
		.where(and(eq(instruction.systemKey, SECURITY_PLAN_INSTRUCTION_KEY), isNull(instruction.archivedAt)))
		.get();
	const baseline = item
		? db
				.select({ version: instructionVersion.version })
				.from(instructionVersion)
				.where(and(eq(instructionVersion.instructionId, item.id), eq(instructionVersion.material, true)))
				.orderBy(desc(instructionVersion.version))
				.get()
		: undefined;
	const people = and(eq(user.tenantId, tenantId), eq(user.status, 'active'));
	const total = db.select({ n: count() }).from(user).where(people).get()?.n ?? 0;
	if (total === 0) return { met: false, problem: 'plan_no_people' };
	if (!item || !baseline) return { met: false, problem: 'plan_not_acknowledged', counts: { acknowledged: 0, total, version: 0 } };
	const current = exists(
		db
			.select({ one: sql`1` })
			.from(acknowledgement)
			.where(
				and(eq(acknowledgement.instructionId, item.id), eq(acknowledgement.userId, user.id), gte(acknowledgement.version, baseline.version))
			)
	);
	const acknowledged = db.select({ n: count() }).from(user).where(and(people, current)).get()?.n ?? 0;
	const counts = { acknowledged, total, version: baseline.version };
	if (acknowledged === total) return { met: true, counts };
	const missing = detail
		? db
				.select({ name: user.name })
				.from(user)
				.where(and(people, not(current)))
				.orderBy(asc(user.name), asc(user.id))
				.all()
				.map((r) => r.name)
		: undefined;
	return { met: false, problem: 'plan_not_acknowledged', counts, missing };
}
