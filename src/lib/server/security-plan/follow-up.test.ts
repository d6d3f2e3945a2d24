import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, insertTenantRow, insertUser, setUpMainConnector } from '../test-support';
import { syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, markReviewed, saveRequirement } from './plan';
import { listChecks, recordCheck } from './follow-up';
import { planEntry } from './test-entries';
import { planCheckSchema } from '../../schemas/security-plan';

const NOW = new Date('2026-03-10T10:00:00Z');
let db: Db;
let admin: Actor;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
});

describe('the follow-up log', () => {
	it('records a check of chosen chapters with who did it, newest first, audited; a review adds one by itself', () => {
		expect(
			recordCheck(
				db,
				admin,
				MAIN_PLAN,
				{ checkedOn: '2026-03-02', chapters: ['6.5', '6.2'], what: 'Access rights sampled.', findings: '' },
				NOW
			)
		).toMatchObject({ ok: true });
		saveRequirement(db, admin, MAIN_PLAN, '6.3-1', planEntry(), NOW);
		markReviewed(db, admin, MAIN_PLAN, '6.3-1', NOW);
		expect(
			recordCheck(
				db,
				admin,
				MAIN_PLAN,
				{ checkedOn: '2026-03-01', chapters: [], what: 'Whole plan read through.', findings: 'Backups untested.' },
				NOW
			)
		).toMatchObject({ ok: true });

		const { rows, total } = listChecks(db, MAIN_PLAN, 1, 50);
		expect(total).toBe(3);
		expect(rows.map((r) => [r.checkedOn, r.chapters, r.requirementId, r.what, r.findings])).toEqual([
			['2026-03-10', '6.3', '6.3-1', '', ''],
			['2026-03-02', '6.2,6.5', null, 'Access rights sampled.', ''],
			['2026-03-01', '', null, 'Whole plan read through.', 'Backups untested.']
		]);
		expect(rows[1].checkedByName).toBe('Aino Admin');
		expect(listChecks(db, MAIN_PLAN, 2, 2).rows.map((r) => r.checkedOn)).toEqual(['2026-03-01']);
		const audits = db.select().from(auditEntry).where(eq(auditEntry.action, 'security_plan.check')).all();
		expect(audits.map((a) => a.summary)).toEqual(['follow-up check 2026-03-02 of 6.2,6.5', 'follow-up check 2026-03-01 of the whole plan']);
	});

	it('refuses a date ahead, and the form refuses an unknown chapter and an empty description', () => {
		expect(recordCheck(db, admin, MAIN_PLAN, { checkedOn: '2026-03-11', chapters: [], what: 'Not yet done.', findings: '' }, NOW)).toEqual({
			ok: false,
			reason: 'invalid',
			field: 'checkedOn',
			code: 'security_plan_check_error_future'
		});
		expect(listChecks(db, MAIN_PLAN, 1, 50).total).toBe(0);
		const parsed = planCheckSchema.safeParse({ checkedOn: '2026-02-30', chapters: ['9.9'], what: '  ' });
		expect(parsed.success).toBe(false);
		expect(parsed.error!.issues.map((i) => i.path[0]).sort()).toEqual(['chapters', 'checkedOn', 'what']);
	});

	it('keeps each organisation’s log to its own plan', () => {
		const tenantId = insertTenantRow(db);
		const tenantAdmin = insertUser(db, { tenantId, roles: ['tenant_admin'] });
		const actor = { id: tenantAdmin.id, label: tenantAdmin.email, ipAddress: '' };
		recordCheck(db, actor, { tenantId }, { checkedOn: '2026-03-01', chapters: [], what: 'Tenant check.', findings: '' }, NOW);
		expect(listChecks(db, MAIN_PLAN, 1, 50).total).toBe(0);
		expect(listChecks(db, { tenantId }, 1, 50).rows.map((r) => r.what)).toEqual(['Tenant check.']);
	});
});
