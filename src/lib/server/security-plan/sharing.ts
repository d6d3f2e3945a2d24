import { and, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { securityPlanSection } from '../db/schema';
import { audit, type Actor } from '../actor';
import { SECURITY_PLAN_CHAPTERS } from '../../domain';
import type { FrameworkRequirement, FrameworkSection } from './framework';
import { MAIN_PLAN, ensurePlan, frameworkOfPlan, getMainPlan } from './plan';

/**
 * Agreement §2: the tenant follows the main connector's plan. The main connector chooses, per
 * section, what binds its tenants; tenants' people see those sections, as the newest approved version
 * has them, and nothing else of the plan (no owners, no review dates, no other sections), which stays
 * confidential (THL 3/2024 ch. 5).
 */

/** Chapters of the main connector's plan that bind tenants. */
export function bindingChapters(db: DbOrTx): Set<string> {
	const plan = getMainPlan(db);
	if (!plan) return new Set();
	return new Set(
		db
			.select({ chapter: securityPlanSection.chapter })
			.from(securityPlanSection)
			.where(and(eq(securityPlanSection.planId, plan.id), eq(securityPlanSection.bindsTenants, true)))
			.all()
			.map((r) => r.chapter)
	);
}

/** Marks a section as binding tenants or not; false for a chapter the plan's framework does not have. */
export function setSectionBinding(db: Db, actor: Actor, chapter: string, binds: boolean, now = new Date()): boolean {
	if (!(SECURITY_PLAN_CHAPTERS as readonly string[]).includes(chapter)) return false;
	return db.transaction((tx) => {
		const framework = frameworkOfPlan(tx, getMainPlan(tx));
		if (!framework?.sections.some((s) => s.chapter === chapter)) return false;
		const plan = ensurePlan(tx, actor, MAIN_PLAN, now)!;
		tx.insert(securityPlanSection)
			.values({ planId: plan.id, chapter, bindsTenants: binds, updatedAt: now, updatedBy: actor.id })
			.onConflictDoUpdate({
				target: [securityPlanSection.planId, securityPlanSection.chapter],
				set: { bindsTenants: binds, updatedAt: now, updatedBy: actor.id }
			})
			.run();
		audit(tx, actor, {
			action: 'security_plan.share',
			targetType: 'security_plan',
			targetId: plan.id,
			summary: `${chapter}: ${binds ? 'binds tenants' : 'no longer binds tenants'}`
		});
		return true;
	});
}

/** A binding section as tenants see it, from an approved version (acknowledgements.ts). */
export interface BindingSection {
	section: Pick<FrameworkSection, 'chapter' | 'title'>;
	requirements: { requirement: FrameworkRequirement; description: string }[];
}
