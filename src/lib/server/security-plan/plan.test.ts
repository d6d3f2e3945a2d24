import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry, securityFramework, securityPlanEntry } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, insertTenantRow, insertUser, setUpMainConnector } from '../test-support';
import { syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, dueReviewCount, markReviewed, planOverview, requirementDetail, saveRequirement, type PlanEntryInput } from './plan';
import { planEntrySchema } from '../../schemas/security-plan';
import { planEntry } from './test-entries';

const DIR = join(process.cwd(), 'templates', 'security-plan');
const NOW = new Date('2026-03-10T10:00:00Z');

let db: Db;
let actor: Actor;

const input = (overrides: Partial<PlanEntryInput> = {}) =>
	planEntry({ description: 'Training plan in the quality handbook, section 4.', ...overrides });

const auditActions = () =>
	db
		.select({ action: auditEntry.action, summary: auditEntry.summary })
		.from(auditEntry)
		.where(like(auditEntry.action, 'security_plan.%'))
		.all();

beforeEach(() => {
	db = freshDb();
	actor = setUpMainConnector(db);
	syncBundledFrameworks(db, DIR);
});

describe('the plan overview', () => {
	it('lists every section of the newest framework, nothing described, before the plan is started', () => {
		const overview = planOverview(db, MAIN_PLAN, NOW)!;
		expect(overview.plan).toBeNull();
		expect(overview.sections.map((s) => s.section.chapter)).toContain('6.12');
		expect(overview.sections).toHaveLength(14);
		expect(overview.total.not_described).toBe(overview.sections.reduce((n, s) => n + s.requirements.length, 0));
		expect(overview.progress).toBe(0);
		expect(overview.due).toEqual([]);
	});

	it('counts implemented and verified requirements as progress, per section and overall', () => {
		saveRequirement(db, actor, MAIN_PLAN, '6.3-1', input({ status: 'implemented' }), NOW);
		saveRequirement(db, actor, MAIN_PLAN, '6.3-2', input({ status: 'verified' }), NOW);
		saveRequirement(db, actor, MAIN_PLAN, '6.3-3', input({ status: 'described' }), NOW);
		const section = planOverview(db, MAIN_PLAN, NOW)!.sections.find((s) => s.section.chapter === '6.3')!;
		expect(section.counts).toEqual({ not_described: 0, described: 1, implemented: 1, verified: 1 });
		expect(section.progress).toBe(67);
	});
});

describe('saveRequirement', () => {
	it('starts the plan against the newest framework version on the first save, audited in the same transaction', () => {
		expect(saveRequirement(db, actor, MAIN_PLAN, '6.1-1', input(), NOW)).toEqual({ ok: true });
		const detail = requirementDetail(db, MAIN_PLAN, '6.1-1')!;
		expect(detail.plan).toMatchObject({ frameworkKey: 'thl-3-2024', frameworkVersion: 1, tenantId: null });
		expect(detail.entry).toMatchObject({ status: 'described', lastReviewedOn: null, nextReviewOn: '2027-03-10' });
		const actions = auditActions();
		expect(actions.map((a) => a.action)).toEqual(['security_plan.create', 'security_plan.update']);
		// The confidential text itself stays out of the audit log.
		expect(actions[1].summary).toContain('6.1-1');
		expect(actions[1].summary).not.toContain('quality handbook');
	});

	it('sets the next review a year after the last review unless one is given', () => {
		saveRequirement(db, actor, MAIN_PLAN, '6.2-1', input({ lastReviewedOn: '2025-06-30' }), NOW);
		expect(requirementDetail(db, MAIN_PLAN, '6.2-1')!.entry?.nextReviewOn).toBe('2026-06-30');
		saveRequirement(db, actor, MAIN_PLAN, '6.2-1', input({ lastReviewedOn: '2025-06-30', nextReviewOn: '2026-01-15' }), NOW);
		expect(requirementDetail(db, MAIN_PLAN, '6.2-1')!.entry?.nextReviewOn).toBe('2026-01-15');
	});

	it('accepts as owner only an active person of the main connector', () => {
		const tenantPerson = insertUser(db, { tenantId: insertTenantRow(db), roles: ['tenant_admin'] });
		const leaver = insertUser(db, { roles: ['mc_admin'], status: 'deactivated' });
		const colleague = insertUser(db, { roles: ['mc_signatory'] });
		for (const owner of [tenantPerson.id, leaver.id, 'no-such-person'])
			expect(saveRequirement(db, actor, MAIN_PLAN, '6.7-1', input({ ownerId: owner }), NOW)).toMatchObject({ ok: false, field: 'ownerId' });
		expect(auditActions()).toEqual([]);
		expect(saveRequirement(db, actor, MAIN_PLAN, '6.7-1', input({ ownerId: colleague.id }), NOW)).toEqual({ ok: true });
		expect(requirementDetail(db, MAIN_PLAN, '6.7-1')!.entry?.ownerId).toBe(colleague.id);
	});

	it("keeps another party's name and agreement, and drops them when the main connector carries the requirement", () => {
		const other = input({
			responsibleParty: 'system_supplier',
			responsibleName: 'Potilas Oy',
			agreementReference: 'Service agreement 2025, annex 3'
		});
		saveRequirement(db, actor, MAIN_PLAN, '6.6-2', other, NOW);
		expect(requirementDetail(db, MAIN_PLAN, '6.6-2')!.entry).toMatchObject({
			responsibleName: 'Potilas Oy',
			agreementReference: 'Service agreement 2025, annex 3'
		});
		saveRequirement(db, actor, MAIN_PLAN, '6.6-2', { ...other, responsibleParty: 'main_connector' }, NOW);
		expect(requirementDetail(db, MAIN_PLAN, '6.6-2')!.entry).toMatchObject({ responsibleName: '', agreementReference: '' });
	});

	it('refuses a requirement the framework does not have, leaving nothing behind', () => {
		expect(saveRequirement(db, actor, MAIN_PLAN, '6.1-99', input(), NOW)).toEqual({ ok: false, reason: 'not_found' });
		expect(planOverview(db, MAIN_PLAN, NOW)!.plan).toBeNull();
		expect(auditActions()).toEqual([]);
	});

	it('keeps the framework version the plan was made against when a newer one is loaded', () => {
		saveRequirement(db, actor, MAIN_PLAN, '6.1-1', input(), NOW);
		const v2 = JSON.parse(readFileSync(join(DIR, 'thl-3-2024.v1.json'), 'utf8'));
		v2.version = 2;
		v2.replaces = 1;
		v2.sections[2].requirements = v2.sections[2].requirements.slice(1);
		db.insert(securityFramework)
			.values({ id: 'v2', frameworkKey: 'thl-3-2024', version: 2, validFrom: '2027-01-01', source: JSON.stringify(v2), sha256: 'x' })
			.run();
		const overview = planOverview(db, MAIN_PLAN, NOW)!;
		expect(overview.framework.version).toBe(1);
		expect(overview.sections[2].requirements.map((r) => r.requirement.id)).toContain('6.1-1');
	});
});

describe('reviews', () => {
	it('shows a requirement past its next review as due, and marking it reviewed moves the date a year on', () => {
		saveRequirement(db, actor, MAIN_PLAN, '6.9-1', input({ lastReviewedOn: '2025-02-01' }), NOW); // next review 2026-02-01: past
		saveRequirement(db, actor, MAIN_PLAN, '6.9-2', input(), NOW); // next review 2027-03-10
		let overview = planOverview(db, MAIN_PLAN, NOW)!;
		expect(overview.due.map((d) => d.requirement.id)).toEqual(['6.9-1']);
		expect(dueReviewCount(db, MAIN_PLAN, NOW)).toBe(1);

		expect(markReviewed(db, actor, MAIN_PLAN, '6.9-1', NOW)).toBe('2027-03-10');
		expect(requirementDetail(db, MAIN_PLAN, '6.9-1')!.entry).toMatchObject({ lastReviewedOn: '2026-03-10', nextReviewOn: '2027-03-10' });
		overview = planOverview(db, MAIN_PLAN, NOW)!;
		expect(overview.due).toEqual([]);
		expect(dueReviewCount(db, MAIN_PLAN, NOW)).toBe(0);
		expect(auditActions().at(-1)).toMatchObject({
			action: 'security_plan.review',
			summary: '6.9-1: reviewed 2026-03-10, next review 2027-03-10'
		});
	});

	it('is due on the review day itself, not the day before', () => {
		saveRequirement(db, actor, MAIN_PLAN, '6.9-1', input({ nextReviewOn: '2026-03-11' }), NOW);
		expect(dueReviewCount(db, MAIN_PLAN, NOW)).toBe(0);
		expect(dueReviewCount(db, MAIN_PLAN, new Date('2026-03-11T08:00:00Z'))).toBe(1);
	});

	it('cannot mark reviewed what the plan does not describe', () => {
		expect(markReviewed(db, actor, MAIN_PLAN, '6.9-3', NOW)).toBeNull();
		expect(db.select().from(securityPlanEntry).where(eq(securityPlanEntry.requirementId, '6.9-3')).all()).toEqual([]);
	});
});

describe('the edit form schema', () => {
	const form = (values: Record<string, string>) =>
		planEntrySchema.safeParse({ description: '', status: 'not_described', responsibleParty: 'main_connector', ...values });
	const fields = (values: Record<string, string>) => {
		const result = form(values);
		return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
	};

	it('needs a description before a requirement counts as described', () => {
		expect(fields({ status: 'described' })).toEqual(['description: security_plan_error_description_needed']);
		expect(fields({ status: 'described', description: 'See the continuity plan.' })).toEqual([]);
	});

	it("needs another party's name and agreement (THL 3/2024 ch. 3)", () => {
		expect(fields({ responsibleParty: 'tenant' })).toEqual([
			'responsibleName: error_required',
			'agreementReference: security_plan_error_agreement'
		]);
	});

	it('refuses a next review before the last one and a date that is not one', () => {
		expect(fields({ lastReviewedOn: '2026-01-01', nextReviewOn: '2025-12-31' })).toEqual([
			'nextReviewOn: security_plan_error_next_before_last'
		]);
		expect(fields({ lastReviewedOn: '2026-02-31' })).toEqual(['lastReviewedOn: error_date_invalid']);
	});

	it('turns empty optional fields into null', () => {
		const result = form({ ownerId: '', lastReviewedOn: '', nextReviewOn: '' });
		expect(result.success && result.data).toMatchObject({ ownerId: null, lastReviewedOn: null, nextReviewOn: null });
	});
});
