import { count, desc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { securityPlanCheck, type SecurityPlanCheck } from '../db/schema';
import { audit, type Actor } from '../actor';
import { todayInHelsinki } from '../../time';
import { SECURITY_PLAN_CHAPTERS } from '../../domain';
import type { PlanCheckInput } from '../../schemas/security-plan';
import { ensurePlan, getPlan, personName, type PlanOwner } from './plan';

/**
 * The plan's follow-up log (THL 3/2024 ch. 3: the plan says how its implementation is followed up, and
 * the log shows that it was): checks recorded by the plan's editors, newest first, and the reviews of
 * single requirements, which `markReviewed` records by itself. Entries are only ever added.
 */

export type RecordCheckResult = { ok: true; id: string } | { ok: false; reason: 'invalid'; field: 'checkedOn'; code: string };

export function recordCheck(db: Db, actor: Actor, owner: PlanOwner, input: PlanCheckInput, now = new Date()): RecordCheckResult {
	// A check is recorded once done: a date ahead would claim what has not happened.
	if (input.checkedOn > todayInHelsinki(now))
		return { ok: false, reason: 'invalid', field: 'checkedOn', code: 'security_plan_check_error_future' };
	return db.transaction((tx) => {
		const plan = ensurePlan(tx, actor, owner, now);
		if (!plan) return { ok: false, reason: 'invalid', field: 'checkedOn', code: 'security_plan_no_framework' } as const;
		const id = crypto.randomUUID();
		const chapters = SECURITY_PLAN_CHAPTERS.filter((c) => input.chapters.includes(c)).join(',');
		tx.insert(securityPlanCheck)
			.values({
				id,
				planId: plan.id,
				checkedOn: input.checkedOn,
				checkedBy: actor.id,
				checkedByName: personName(tx, actor),
				chapters,
				what: input.what,
				findings: input.findings,
				createdAt: now
			})
			.run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.check',
			targetType: 'security_plan',
			targetId: plan.id,
			summary: `follow-up check ${input.checkedOn}${chapters ? ` of ${chapters}` : ' of the whole plan'}`,
			at: now
		});
		return { ok: true, id } as const;
	});
}

/** One page of the log, newest check first. */
export function listChecks(db: DbOrTx, owner: PlanOwner, page: number, pageSize: number): { rows: SecurityPlanCheck[]; total: number } {
	const plan = getPlan(db, owner);
	if (!plan) return { rows: [], total: 0 };
	const where = eq(securityPlanCheck.planId, plan.id);
	return {
		rows: db
			.select()
			.from(securityPlanCheck)
			.where(where)
			.orderBy(desc(securityPlanCheck.checkedOn), desc(securityPlanCheck.createdAt))
			.limit(pageSize)
			.offset((page - 1) * pageSize)
			.all(),
		total: db.select({ n: count() }).from(securityPlanCheck).where(where).get()?.n ?? 0
	};
}
