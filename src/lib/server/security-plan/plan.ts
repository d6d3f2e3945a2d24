import { and, asc, eq, gte, isNull, lte, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import {
	securityPlan,
	securityPlanCheck,
	securityPlanEntry,
	user,
	userRole,
	type Role,
	type SecurityPlanEntry,
	type SecurityRequirementStatus,
	type SecurityResponsibleParty
} from '../db/schema';
import { audit, type Actor } from '../actor';
import { can } from '../auth/authorize';
import { addMonths, todayInHelsinki } from '../../time';
import { SECURITY_REQUIREMENT_STATUSES } from '../../domain';
import { findRequirement, type Framework, type FrameworkRequirement, type FrameworkSection } from './framework';
import { getFramework, latestFramework } from './framework-store';

/**
 * An information-security plan (agreement §2, THL 3/2024): per requirement of the framework, how it
 * is met, by whom, how far along, and when it is next reviewed. Each service provider makes its own:
 * the main connector, and any tenant that keeps its plan here. Every function takes the plan's owner,
 * resolved once from the person at the route, so one plan's data never reaches another's. The plan is
 * confidential (ch. 5): routes let only `security_plan.*` holders of that organisation reach these.
 */

/** THL 3/2024 asks for regular review; a year is the default interval. */
export const REVIEW_INTERVAL_MONTHS = 12;

export interface PlanEntryInput {
	description: string;
	ownerId: string | null;
	status: SecurityRequirementStatus;
	lastReviewedOn: string | null;
	/** Empty: the review interval from the last review (or from today). */
	nextReviewOn: string | null;
	responsibleParty: SecurityResponsibleParty;
	responsibleName: string;
	agreementReference: string;
}

export type PlanRow = typeof securityPlan.$inferSelect;

/** Whose plan: the main connector's (`tenantId: null`) or one tenant's own. Also the `can()` resource. */
export interface PlanOwner {
	tenantId: string | null;
}

export const MAIN_PLAN: PlanOwner = Object.freeze({ tenantId: null });

/**
 * The plan a person works on in the workspace: their own organisation's (the main connector's for its
 * people, a tenant's own for the tenant's people). Nobody without a session reaches a plan (the
 * route's `authorize` sends them to sign in), so the main connector's stands in for them.
 */
export const ownPlanOf = (person: { tenantId: string | null } | null | undefined): PlanOwner =>
	person?.tenantId ? { tenantId: person.tenantId } : MAIN_PLAN;

const ownedBy = (owner: PlanOwner): SQL =>
	owner.tenantId === null ? isNull(securityPlan.tenantId) : eq(securityPlan.tenantId, owner.tenantId);

export function getPlan(db: DbOrTx, owner: PlanOwner): PlanRow | undefined {
	return db.select().from(securityPlan).where(ownedBy(owner)).get();
}

export const getMainPlan = (db: DbOrTx): PlanRow | undefined => getPlan(db, MAIN_PLAN);

/** The party that is the plan's own organisation; any other party's responsibility needs its agreement (ch. 3). */
export const ownPartyOf = (owner: PlanOwner): SecurityResponsibleParty => (owner.tenantId === null ? 'main_connector' : 'tenant');

/** The plan's own framework version, or the newest one while no plan exists yet. */
export function frameworkOfPlan(db: DbOrTx, plan: PlanRow | undefined): Framework | null {
	return plan ? getFramework(db, plan.frameworkKey, plan.frameworkVersion) : latestFramework(db);
}

export const isDue = (entry: Pick<SecurityPlanEntry, 'nextReviewOn'>, today: string) => entry.nextReviewOn <= today;

export interface RequirementView {
	requirement: FrameworkRequirement;
	entry: SecurityPlanEntry | null;
	due: boolean;
}

export interface SectionView {
	section: FrameworkSection;
	requirements: RequirementView[];
	counts: Record<SecurityRequirementStatus, number>;
	/** Share of requirements implemented or verified, 0–100. */
	progress: number;
}

export interface PlanOverview {
	plan: PlanRow | null;
	framework: Framework;
	sections: SectionView[];
	due: { section: FrameworkSection; requirement: FrameworkRequirement; entry: SecurityPlanEntry }[];
	total: SectionView['counts'];
	progress: number;
}

const emptyCounts = () => Object.fromEntries(SECURITY_REQUIREMENT_STATUSES.map((s) => [s, 0])) as Record<SecurityRequirementStatus, number>;
const progressOf = (counts: Record<SecurityRequirementStatus, number>) => {
	const all = Object.values(counts).reduce((a, b) => a + b, 0);
	return all ? Math.round(((counts.implemented + counts.verified) / all) * 100) : 0;
};

/** The plan by section with its progress and the requirements due for review; null when no framework is loaded. */
export function planOverview(db: DbOrTx, owner: PlanOwner, now = new Date()): PlanOverview | null {
	const plan = getPlan(db, owner);
	const framework = frameworkOfPlan(db, plan);
	if (!framework) return null;
	const entries = new Map(
		(plan ? db.select().from(securityPlanEntry).where(eq(securityPlanEntry.planId, plan.id)).all() : []).map((e) => [e.requirementId, e])
	);
	const today = todayInHelsinki(now);
	const total = emptyCounts();
	const due: PlanOverview['due'] = [];
	const sections = framework.sections.map((section) => {
		const counts = emptyCounts();
		const requirements = section.requirements.map((requirement) => {
			const entry = entries.get(requirement.id) ?? null;
			counts[entry?.status ?? 'not_described']++;
			total[entry?.status ?? 'not_described']++;
			const isEntryDue = entry !== null && isDue(entry, today);
			if (isEntryDue) due.push({ section, requirement, entry });
			return { requirement, entry, due: isEntryDue };
		});
		return { section, requirements, counts, progress: progressOf(counts) };
	});
	due.sort((a, b) => a.entry.nextReviewOn.localeCompare(b.entry.nextReviewOn));
	return { plan: plan ?? null, framework, sections, due, total, progress: progressOf(total) };
}

export interface RequirementDetail {
	plan: PlanRow | null;
	framework: Framework;
	section: FrameworkSection;
	requirement: FrameworkRequirement;
	entry: SecurityPlanEntry | null;
}

export function requirementDetail(db: DbOrTx, owner: PlanOwner, requirementId: string): RequirementDetail | null {
	const plan = getPlan(db, owner);
	const framework = frameworkOfPlan(db, plan);
	const found = framework && findRequirement(framework, requirementId);
	if (!framework || !found) return null;
	const entry = plan
		? (db
				.select()
				.from(securityPlanEntry)
				.where(and(eq(securityPlanEntry.planId, plan.id), eq(securityPlanEntry.requirementId, requirementId)))
				.get() ?? null)
		: null;
	return { plan: plan ?? null, framework, ...found, entry };
}

/**
 * The active people of the plan's own organisation whose roles let them do `action` to it (through
 * `can()`): a requirement's owner must be able to open what they own, and a responsible director must
 * be able to approve (THL 3/2024 ch. 3: the director sees that the plan is made and followed).
 */
export function planPeople(
	db: DbOrTx,
	owner: PlanOwner,
	action: 'security_plan.read' | 'security_plan.approve'
): { id: string; name: string }[] {
	const rows = db
		.select({ id: user.id, name: user.name, role: userRole.role })
		.from(user)
		.innerJoin(userRole, eq(userRole.userId, user.id))
		.where(and(owner.tenantId === null ? isNull(user.tenantId) : eq(user.tenantId, owner.tenantId), eq(user.status, 'active')))
		.orderBy(asc(user.name), asc(user.id))
		.all();
	const people = new Map<string, { id: string; name: string; roles: Role[] }>();
	for (const row of rows) {
		const person = people.get(row.id) ?? { id: row.id, name: row.name, roles: [] };
		person.roles.push(row.role);
		people.set(row.id, person);
	}
	return [...people.values()]
		.filter((p) => can({ tenantId: owner.tenantId, roles: p.roles }, action, owner))
		.map(({ id, name }) => ({ id, name }));
}

/** People who may own a requirement: those who may read the plan. */
export const ownerChoices = (db: DbOrTx, owner: PlanOwner) => planPeople(db, owner, 'security_plan.read');

/**
 * The names of the people who own requirements of this plan, by id, people who have left included:
 * an owner recorded earlier keeps their name on the pages and in the exports.
 */
export function ownerNames(db: DbOrTx, owner: PlanOwner): Map<string, string> {
	const plan = getPlan(db, owner);
	if (!plan) return new Map();
	const rows = db
		.selectDistinct({ id: user.id, name: user.name })
		.from(securityPlanEntry)
		.innerJoin(user, eq(user.id, securityPlanEntry.ownerId))
		.where(eq(securityPlanEntry.planId, plan.id))
		.all();
	return new Map(rows.map((p) => [p.id, p.name]));
}

export function ensurePlan(tx: DbOrTx, actor: Actor, owner: PlanOwner, now: Date): PlanRow | null {
	const existing = getPlan(tx, owner);
	if (existing) return existing;
	const framework = latestFramework(tx);
	if (!framework) return null;
	const row = {
		id: crypto.randomUUID(),
		tenantId: owner.tenantId,
		frameworkKey: framework.framework,
		frameworkVersion: framework.version,
		responsibleDirectorId: null,
		sharedWithMainConnector: false,
		createdAt: now,
		createdBy: actor.id
	};
	tx.insert(securityPlan).values(row).run();
	audit(tx, actor, {
		tenantId: owner.tenantId,
		action: 'security_plan.create',
		targetType: 'security_plan',
		targetId: row.id,
		summary: `against ${framework.framework} v${framework.version}`
	});
	return row;
}

export type SaveResult =
	{ ok: true } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'invalid'; field: keyof PlanEntryInput; code: string };

/** The fields the audit entry names when they change; the description itself stays out of the log. */
const AUDITED: (keyof PlanEntryInput)[] = [
	'status',
	'ownerId',
	'lastReviewedOn',
	'nextReviewOn',
	'responsibleParty',
	'responsibleName',
	'agreementReference'
];

/** Writes how the plan meets one requirement; the plan itself is made on the first save. */
export function saveRequirement(
	db: Db,
	actor: Actor,
	owner: PlanOwner,
	requirementId: string,
	input: PlanEntryInput,
	now = new Date()
): SaveResult {
	return db.transaction((tx) => {
		if (input.ownerId && !ownerChoices(tx, owner).some((p) => p.id === input.ownerId))
			return { ok: false, reason: 'invalid', field: 'ownerId', code: 'security_plan_error_owner' } as const;
		// Checked before the plan is made, so a refused save leaves nothing behind.
		const framework = frameworkOfPlan(tx, getPlan(tx, owner));
		if (!framework || !findRequirement(framework, requirementId)) return { ok: false, reason: 'not_found' } as const;
		const plan = ensurePlan(tx, actor, owner, now)!;
		const today = todayInHelsinki(now);
		const nextReviewOn = input.nextReviewOn ?? addMonths(input.lastReviewedOn ?? today, REVIEW_INTERVAL_MONTHS);
		// Only another party's responsibility needs its name and agreement.
		const other = input.responsibleParty !== ownPartyOf(owner);
		const values = {
			description: input.description,
			ownerId: input.ownerId,
			status: input.status,
			lastReviewedOn: input.lastReviewedOn,
			nextReviewOn,
			responsibleParty: input.responsibleParty,
			responsibleName: other ? input.responsibleName : '',
			agreementReference: other ? input.agreementReference : '',
			updatedAt: now,
			updatedBy: actor.id
		};
		const where = and(eq(securityPlanEntry.planId, plan.id), eq(securityPlanEntry.requirementId, requirementId));
		const before = tx.select().from(securityPlanEntry).where(where).get();
		if (before) tx.update(securityPlanEntry).set(values).where(where).run();
		else
			tx.insert(securityPlanEntry)
				.values({ planId: plan.id, requirementId, ...values })
				.run();
		const changes = AUDITED.filter(
			(key) => (before?.[key] ?? null) !== (values[key] ?? null) && !(before === undefined && values[key] === '')
		).map((key) => `${key}: ${before?.[key] ?? '—'} → ${values[key] || '—'}`);
		if (before?.description !== values.description) changes.push('description changed');
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.update',
			targetType: 'security_plan',
			targetId: plan.id,
			summary: `${requirementId}: ${changes.join('; ') || 'saved without changes'}`
		});
		return { ok: true } as const;
	});
}

/**
 * Records that a requirement was reviewed today; the next review moves a full interval on. Returns
 * the new review date, or null when the requirement has no entry in the plan.
 */
export function markReviewed(db: Db, actor: Actor, owner: PlanOwner, requirementId: string, now = new Date()): string | null {
	return db.transaction((tx) => {
		const plan = getPlan(tx, owner);
		if (!plan) return null;
		const where = and(eq(securityPlanEntry.planId, plan.id), eq(securityPlanEntry.requirementId, requirementId));
		const entry = tx.select().from(securityPlanEntry).where(where).get();
		if (!entry) return null;
		const today = todayInHelsinki(now);
		const nextReviewOn = addMonths(today, REVIEW_INTERVAL_MONTHS);
		tx.update(securityPlanEntry).set({ lastReviewedOn: today, nextReviewOn, updatedAt: now, updatedBy: actor.id }).where(where).run();
		// The review is a check done: the follow-up log (follow-up.ts) shows it beside those recorded by hand.
		tx.insert(securityPlanCheck)
			.values({
				id: crypto.randomUUID(),
				planId: plan.id,
				checkedOn: today,
				checkedBy: actor.id,
				checkedByName: personName(tx, actor),
				chapters: requirementId.slice(0, requirementId.lastIndexOf('-')),
				requirementId,
				what: '',
				createdAt: now
			})
			.run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.review',
			targetType: 'security_plan',
			targetId: plan.id,
			summary: `${requirementId}: reviewed ${today}, next review ${nextReviewOn}`
		});
		return nextReviewOn;
	});
}

/** The acting person's name as the log keeps it (their e-mail address if they are not a person here). */
export const personName = (db: DbOrTx, actor: Actor): string =>
	(actor.id && db.select({ name: user.name }).from(user).where(eq(user.id, actor.id)).get()?.name) || actor.label;

/** Requirements of the plan whose review date has come (for reminders and the dashboard). */
export function dueReviewCount(db: DbOrTx, owner: PlanOwner, now = new Date()): number {
	const plan = getPlan(db, owner);
	if (!plan) return 0;
	return db
		.select({ requirementId: securityPlanEntry.requirementId })
		.from(securityPlanEntry)
		.where(and(eq(securityPlanEntry.planId, plan.id), lte(securityPlanEntry.nextReviewOn, todayInHelsinki(now))))
		.all().length;
}

/**
 * Review dates from `sinceDay` on, for the calendar feed: every requirement's for the plan's keepers,
 * otherwise only those the person owns (`ownerId`).
 */
export function reviewDates(
	db: DbOrTx,
	owner: PlanOwner,
	sinceDay: string,
	ownerId: string | null,
	limit: number
): Pick<SecurityPlanEntry, 'requirementId' | 'nextReviewOn'>[] {
	const plan = getPlan(db, owner);
	if (!plan) return [];
	return db
		.select({ requirementId: securityPlanEntry.requirementId, nextReviewOn: securityPlanEntry.nextReviewOn })
		.from(securityPlanEntry)
		.where(
			and(
				eq(securityPlanEntry.planId, plan.id),
				gte(securityPlanEntry.nextReviewOn, sinceDay),
				ownerId ? eq(securityPlanEntry.ownerId, ownerId) : undefined
			)
		)
		.orderBy(asc(securityPlanEntry.nextReviewOn))
		.limit(limit)
		.all();
}
