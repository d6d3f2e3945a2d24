import { and, asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { securityPlan, securityPlanRisk, user, type SecurityPlanRisk, type SecurityRiskLevel } from '../db/schema';
import { audit, type Actor } from '../actor';
import { SECURITY_PLAN_CHAPTERS } from '../../domain';
import { ensurePlan, frameworkOfPlan, getPlan, planPeople, type PlanOwner } from './plan';

/**
 * The plan's risk register (THL 3/2024 ch. 5): the plan rests on an assessment of risks, their
 * likelihood and effects, and of the residual risk left once they are treated, which the responsible
 * director accepts. Any change to the assessment withdraws that acceptance: the director accepted
 * what was written, not what it became.
 */

export interface RiskInput {
	title: string;
	systems: string;
	chapters: string[];
	likelihood: SecurityRiskLevel;
	impact: SecurityRiskLevel;
	treatment: string;
	residual: SecurityRiskLevel;
}

export type RiskResult =
	{ ok: true; id: string } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'invalid'; field: 'chapters'; code: string };

/** The register in the order risks were added. */
export function listRisks(db: DbOrTx, owner: PlanOwner): SecurityPlanRisk[] {
	const plan = getPlan(db, owner);
	if (!plan) return [];
	return db
		.select()
		.from(securityPlanRisk)
		.where(eq(securityPlanRisk.planId, plan.id))
		.orderBy(asc(securityPlanRisk.createdAt), asc(securityPlanRisk.id))
		.all();
}

export function getRisk(db: DbOrTx, owner: PlanOwner, id: string): SecurityPlanRisk | undefined {
	const plan = getPlan(db, owner);
	if (!plan) return undefined;
	return db
		.select()
		.from(securityPlanRisk)
		.where(and(eq(securityPlanRisk.planId, plan.id), eq(securityPlanRisk.id, id)))
		.get();
}

export const riskChapters = (risk: Pick<SecurityPlanRisk, 'chapters'>): string[] => (risk.chapters ? risk.chapters.split(',') : []);

/** Chapters in the regulation's order, each once; null when one is not in the plan's framework. */
function chaptersOf(tx: DbOrTx, owner: PlanOwner, chapters: string[]): string | null {
	const framework = frameworkOfPlan(tx, getPlan(tx, owner));
	const known = new Set<string>(framework?.sections.map((s) => s.chapter) ?? []);
	if (chapters.some((c) => !known.has(c))) return null;
	return SECURITY_PLAN_CHAPTERS.filter((c) => chapters.includes(c)).join(',');
}

const ASSESSED: (keyof RiskInput)[] = ['title', 'systems', 'likelihood', 'impact', 'treatment', 'residual'];

export function addRisk(db: Db, actor: Actor, owner: PlanOwner, input: RiskInput, now = new Date()): RiskResult {
	return db.transaction((tx) => {
		const chapters = chaptersOf(tx, owner, input.chapters);
		if (chapters === null) return { ok: false, reason: 'invalid', field: 'chapters', code: 'security_risk_error_chapter' } as const;
		const plan = ensurePlan(tx, actor, owner, now);
		if (!plan) return { ok: false, reason: 'not_found' } as const;
		const id = crypto.randomUUID();
		tx.insert(securityPlanRisk)
			.values({ id, planId: plan.id, ...input, chapters, createdAt: now, updatedAt: now, updatedBy: actor.id })
			.run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.risk_add',
			targetType: 'security_plan_risk',
			targetId: id,
			summary: `${input.title} (likelihood ${input.likelihood}, impact ${input.impact}, residual ${input.residual})`
		});
		return { ok: true, id } as const;
	});
}

export function updateRisk(db: Db, actor: Actor, owner: PlanOwner, id: string, input: RiskInput, now = new Date()): RiskResult {
	return db.transaction((tx) => {
		const before = getRisk(tx, owner, id);
		if (!before) return { ok: false, reason: 'not_found' } as const;
		const chapters = chaptersOf(tx, owner, input.chapters);
		if (chapters === null) return { ok: false, reason: 'invalid', field: 'chapters', code: 'security_risk_error_chapter' } as const;
		const changed = ASSESSED.filter((key) => before[key] !== input[key]);
		if (before.chapters !== chapters) changed.push('chapters');
		const withdrawn = changed.length > 0 && before.acceptedAt !== null;
		tx.update(securityPlanRisk)
			.set({
				...input,
				chapters,
				updatedAt: now,
				updatedBy: actor.id,
				...(withdrawn ? { acceptedBy: null, acceptedByName: '', acceptedAt: null } : {})
			})
			.where(eq(securityPlanRisk.id, id))
			.run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.risk_update',
			targetType: 'security_plan_risk',
			targetId: id,
			summary: `${input.title}: ${changed.join(', ') || 'saved without changes'}${withdrawn ? '; acceptance withdrawn' : ''}`
		});
		return { ok: true, id } as const;
	});
}

/** Removes a risk from the register; approved versions keep it in their frozen content. */
export function removeRisk(db: Db, actor: Actor, owner: PlanOwner, id: string): boolean {
	return db.transaction((tx) => {
		const before = getRisk(tx, owner, id);
		if (!before) return false;
		tx.delete(securityPlanRisk).where(eq(securityPlanRisk.id, id)).run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.risk_remove',
			targetType: 'security_plan_risk',
			targetId: id,
			summary: `${before.title} (residual ${before.residual})`
		});
		return true;
	});
}

/** The plan's responsible director, when one is designated and still an active person of the plan's organisation. */
export function responsibleDirector(db: DbOrTx, owner: PlanOwner): { id: string; name: string } | null {
	const plan = getPlan(db, owner);
	if (!plan?.responsibleDirectorId) return null;
	const row = db
		.select({ id: user.id, name: user.name, status: user.status, tenantId: user.tenantId })
		.from(user)
		.where(eq(user.id, plan.responsibleDirectorId))
		.get();
	return row && row.status === 'active' && row.tenantId === owner.tenantId ? { id: row.id, name: row.name } : null;
}

export const isResponsibleDirector = (db: DbOrTx, owner: PlanOwner, actor: Pick<Actor, 'id'>): boolean =>
	actor.id !== null && responsibleDirector(db, owner)?.id === actor.id;

/** Designates the responsible director: an active person of the plan's own organisation, or nobody. */
export function designateDirector(db: Db, actor: Actor, owner: PlanOwner, userId: string | null, now = new Date()): boolean {
	return db.transaction((tx) => {
		let name = '—';
		if (userId) {
			// Active, of the plan's own organisation, and able to approve it.
			const person = planPeople(tx, owner, 'security_plan.approve').find((p) => p.id === userId);
			if (!person) return false;
			name = person.name;
		}
		const plan = ensurePlan(tx, actor, owner, now);
		if (!plan) return false;
		tx.update(securityPlan).set({ responsibleDirectorId: userId }).where(eq(securityPlan.id, plan.id)).run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.director',
			targetType: 'security_plan',
			targetId: plan.id,
			summary: `responsible director: ${name}`
		});
		return true;
	});
}

export type AcceptResult = { ok: true } | { ok: false; reason: 'not_found' | 'not_director' | 'already_accepted' | 'changed_meanwhile' };

/**
 * The responsible director accepts a risk's residual level as they were shown it: `shownUpdatedAt`
 * is the risk's `updatedAt` on the page they read (epoch ms). If the assessment was saved in between,
 * nothing is accepted, so an acceptance never covers text its giver did not see.
 */
export function acceptRisk(db: Db, actor: Actor, owner: PlanOwner, id: string, shownUpdatedAt: number, now = new Date()): AcceptResult {
	return db.transaction((tx) => {
		const risk = getRisk(tx, owner, id);
		if (!risk) return { ok: false, reason: 'not_found' } as const;
		const director = responsibleDirector(tx, owner);
		if (!director || director.id !== actor.id) return { ok: false, reason: 'not_director' } as const;
		if (risk.acceptedAt) return { ok: false, reason: 'already_accepted' } as const;
		if (risk.updatedAt.getTime() !== shownUpdatedAt) return { ok: false, reason: 'changed_meanwhile' } as const;
		tx.update(securityPlanRisk)
			.set({ acceptedBy: director.id, acceptedByName: director.name, acceptedAt: now })
			.where(eq(securityPlanRisk.id, id))
			.run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.risk_accept',
			targetType: 'security_plan_risk',
			targetId: id,
			summary: `${risk.title}: residual ${risk.residual} accepted by ${director.name}`
		});
		return { ok: true } as const;
	});
}
