import { and, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { securityPlan, securityPlanDocument, securityPlanEntry } from '../db/schema';
import { audit, type Actor } from '../actor';
import { frameworkChanges, type Framework, type FrameworkChanges } from './framework';
import { getFramework, listFrameworks } from './framework-store';
import { frameworkOfPlan, getPlan, type PlanOwner } from './plan';

/**
 * A plan is made against one framework version and keeps it; when THL revises the regulation and a
 * later version is stored, the plan's editors may move it onto that version. What the plan says of a
 * requirement the later version keeps stays as it is (ids are stable across versions); what it says
 * of a requirement the later version drops leaves the live plan (every approved version keeps it,
 * frozen). The move changes the plan's content, so it needs approving again like any other change.
 */

export interface AvailableMove {
	framework: Framework;
	changes: FrameworkChanges;
	/** Dropped requirements the plan has written something on (a description, status, dates or documents). */
	dropped: string[];
}

/** The newest stored version of the plan's framework, when it is later than the plan's own; else null. */
export function availableMove(db: DbOrTx, owner: PlanOwner): AvailableMove | null {
	const plan = getPlan(db, owner);
	const current = frameworkOfPlan(db, plan);
	if (!plan || !current) return null;
	const newest = listFrameworks(db).find((f) => f.key === plan.frameworkKey);
	if (!newest || newest.version <= plan.frameworkVersion) return null;
	const framework = getFramework(db, newest.key, newest.version)!;
	const changes = frameworkChanges(current, framework);
	return { framework, changes, dropped: writtenOn(db, plan.id, changes.removed) };
}

function writtenOn(db: DbOrTx, planId: string, requirementIds: string[]): string[] {
	if (!requirementIds.length) return [];
	const ids = new Set([
		...db
			.select({ id: securityPlanEntry.requirementId })
			.from(securityPlanEntry)
			.where(and(eq(securityPlanEntry.planId, planId), inArray(securityPlanEntry.requirementId, requirementIds)))
			.all()
			.map((r) => r.id),
		...db
			.select({ id: securityPlanDocument.requirementId })
			.from(securityPlanDocument)
			.where(and(eq(securityPlanDocument.planId, planId), inArray(securityPlanDocument.requirementId, requirementIds)))
			.all()
			.map((r) => r.id)
	]);
	return requirementIds.filter((id) => ids.has(id));
}

export type MoveResult = { ok: true; changes: FrameworkChanges } | { ok: false; reason: 'not_found' | 'not_newer' };

/** Moves the plan onto `version` of its framework (later than its own), in one transaction, audited. */
export function moveToFramework(db: Db, actor: Actor, owner: PlanOwner, version: number, now = new Date()): MoveResult {
	return db.transaction((tx) => {
		const plan = getPlan(tx, owner);
		const current = frameworkOfPlan(tx, plan);
		const target = plan && getFramework(tx, plan.frameworkKey, version);
		if (!plan || !current || !target) return { ok: false, reason: 'not_found' } as const;
		if (version <= plan.frameworkVersion) return { ok: false, reason: 'not_newer' } as const;
		const changes = frameworkChanges(current, target);
		const dropped = writtenOn(tx, plan.id, changes.removed);
		if (changes.removed.length) {
			tx.delete(securityPlanEntry)
				.where(and(eq(securityPlanEntry.planId, plan.id), inArray(securityPlanEntry.requirementId, changes.removed)))
				.run();
			tx.delete(securityPlanDocument)
				.where(and(eq(securityPlanDocument.planId, plan.id), inArray(securityPlanDocument.requirementId, changes.removed)))
				.run();
		}
		tx.update(securityPlan).set({ frameworkVersion: version }).where(eq(securityPlan.id, plan.id)).run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.framework_move',
			targetType: 'security_plan',
			targetId: plan.id,
			summary:
				`${plan.frameworkKey} v${plan.frameworkVersion} → v${version}: ${changes.added.length} added, ${changes.removed.length} removed, ` +
				`${changes.reworded.length} reworded` +
				(dropped.length ? `; left the plan: ${dropped.join(', ')}` : ''),
			at: now
		});
		return { ok: true, changes } as const;
	});
}
