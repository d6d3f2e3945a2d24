import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { notification } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, insertUser, setUpMainConnector } from '../test-support';
import { describeNotification } from '../reminders/reminders';
import { saveSetting } from '../settings';
import { syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, markReviewed, saveRequirement, type PlanEntryInput } from './plan';
import { scanSecurityPlanReviews } from './reminders';
import { planEntry } from './test-entries';

const NOW = new Date('2026-03-10T10:00:00Z');
let db: Db;
let actor: Actor;

const input = (overrides: Partial<PlanEntryInput>) => planEntry({ description: 'Described.', ...overrides });

beforeEach(() => {
	db = freshDb();
	actor = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
});

describe('scanSecurityPlanReviews', () => {
	const kinds = (userId: string) =>
		db.select({ kind: notification.kind, params: notification.params }).from(notification).where(eq(notification.userId, userId)).all();

	it('reminds the owner and the administrators once when a review date has come, and again only after the next date comes', () => {
		const owner = insertUser(db, { roles: ['mc_signatory'] });
		saveRequirement(db, actor, MAIN_PLAN, '6.2-3', input({ ownerId: owner.id, nextReviewOn: '2026-03-01' }), NOW);
		// Beyond the furthest threshold (90 days by default): nothing yet.
		saveRequirement(db, actor, MAIN_PLAN, '6.2-4', input({ nextReviewOn: '2026-07-01' }), NOW);

		expect(scanSecurityPlanReviews(db, NOW)).toBe(2); // the administrator and the owner
		expect(scanSecurityPlanReviews(db, NOW)).toBe(0);
		const sent = db.select().from(notification).where(eq(notification.userId, owner.id)).all();
		expect(sent).toHaveLength(1);
		expect(sent[0].link).toBe('/security-plan/6.2-3');
		expect(describeNotification(sent[0], 'en')).toBe(
			'Requirement 6.2-3 of the information security plan is due for review (review date 2026-03-01)'
		);
		expect(describeNotification(sent[0], 'fi')).toContain('6.2-3');

		markReviewed(db, actor, MAIN_PLAN, '6.2-3', NOW); // next review 2027-03-10
		// 6.2-4's date has passed (the administrator); 6.2-3's is a day away (its 1-day reminder, to both).
		expect(scanSecurityPlanReviews(db, new Date('2027-03-09T10:00:00Z'))).toBe(3);
		expect(scanSecurityPlanReviews(db, new Date('2027-03-10T10:00:00Z'))).toBe(2);
	});

	it('announces a coming review at the certificates’ thresholds, once each, only the most urgent of those passed together', () => {
		const owner = insertUser(db, { roles: ['mc_signatory'] });
		saveRequirement(db, actor, MAIN_PLAN, '6.2-3', input({ ownerId: owner.id, nextReviewOn: '2026-06-30' }), NOW);
		const at = (isoDay: string) => new Date(`${isoDay}T09:00:00Z`);

		expect(scanSecurityPlanReviews(db, at('2026-03-31'))).toBe(0); // 91 days ahead
		expect(scanSecurityPlanReviews(db, at('2026-04-01'))).toBe(2); // 90 days: the owner and the administrator
		expect(scanSecurityPlanReviews(db, at('2026-04-02'))).toBe(0);
		// 30 and 14 days passed unscanned: one reminder, of the nearer.
		expect(scanSecurityPlanReviews(db, at('2026-06-20'))).toBe(2);
		expect(scanSecurityPlanReviews(db, at('2026-06-23'))).toBe(2); // 7 days
		expect(scanSecurityPlanReviews(db, at('2026-06-29'))).toBe(2); // 1 day
		expect(scanSecurityPlanReviews(db, at('2026-06-30'))).toBe(2); // the day itself: due
		expect(scanSecurityPlanReviews(db, at('2026-07-01'))).toBe(0);
		expect(kinds(owner.id).map((n) => [n.kind, n.params.days ?? null])).toEqual([
			['security_plan_review_coming', 90],
			['security_plan_review_coming', 10],
			['security_plan_review_coming', 7],
			['security_plan_review_coming', 1],
			['security_plan_review_due', null]
		]);
		const coming = db.select().from(notification).where(eq(notification.userId, owner.id)).all()[1];
		expect(describeNotification(coming, 'en')).toBe(
			'Requirement 6.2-3 of the information security plan is due for review in 10 days (review date 2026-06-30)'
		);
		expect(describeNotification(coming, 'sv')).toBe(
			'Kravet 6.2-3 i informationssäkerhetsplanen ska granskas inom 10 dagar (granskningsdag 2026-06-30)'
		);
	});

	it('follows the thresholds set in Settings', () => {
		saveSetting(db, actor, 'reminderThresholds', [5, 0]);
		saveRequirement(db, actor, MAIN_PLAN, '6.2-3', input({ nextReviewOn: '2026-03-20' }), NOW);
		expect(scanSecurityPlanReviews(db, NOW)).toBe(0); // 10 days ahead: the default 14 would have fired
		expect(scanSecurityPlanReviews(db, new Date('2026-03-15T09:00:00Z'))).toBe(1);
	});

	it('does nothing before a plan exists', () => {
		expect(scanSecurityPlanReviews(db, NOW)).toBe(0);
	});
});
