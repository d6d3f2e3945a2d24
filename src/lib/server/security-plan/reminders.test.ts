import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { notification } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, insertUser, setUpMainConnector } from '../test-support';
import { describeNotification } from '../reminders/reminders';
import { syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, markReviewed, saveRequirement, type PlanEntryInput } from './plan';
import { scanSecurityPlanReviews } from './reminders';

const NOW = new Date('2026-03-10T10:00:00Z');
let db: Db;
let actor: Actor;

const input = (overrides: Partial<PlanEntryInput>): PlanEntryInput => ({
	description: 'Described.',
	ownerId: null,
	status: 'described',
	lastReviewedOn: null,
	nextReviewOn: null,
	responsibleParty: 'main_connector',
	responsibleName: '',
	agreementReference: '',
	...overrides
});

beforeEach(() => {
	db = freshDb();
	actor = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
});

describe('scanSecurityPlanReviews', () => {
	it('reminds the owner and the administrators once when a review date has come, and again only after the next date comes', () => {
		const owner = insertUser(db, { roles: ['mc_signatory'] });
		saveRequirement(db, actor, MAIN_PLAN, '6.2-3', input({ ownerId: owner.id, nextReviewOn: '2026-03-01' }), NOW);
		saveRequirement(db, actor, MAIN_PLAN, '6.2-4', input({ nextReviewOn: '2026-04-01' }), NOW);

		expect(scanSecurityPlanReviews(db, NOW)).toBe(2); // the administrator and the owner
		expect(scanSecurityPlanReviews(db, NOW)).toBe(0);
		const sent = db.select().from(notification).where(eq(notification.userId, owner.id)).all();
		expect(sent).toHaveLength(1);
		expect(sent[0].link).toBe('/security-plan/6.2-3');
		expect(describeNotification(sent[0], 'en')).toBe(
			'Requirement 6.2-3 of the information security plan is due for review (review date 2026-03-01)'
		);
		expect(describeNotification(sent[0], 'fi')).toContain('6.2-3');

		markReviewed(db, actor, MAIN_PLAN, '6.2-3', NOW);
		expect(scanSecurityPlanReviews(db, new Date('2027-03-09T10:00:00Z'))).toBe(1); // 6.2-4 has come; 6.2-3 not yet
		expect(scanSecurityPlanReviews(db, new Date('2027-03-10T10:00:00Z'))).toBe(2);
	});

	it('does nothing before a plan exists', () => {
		expect(scanSecurityPlanReviews(db, NOW)).toBe(0);
	});
});
