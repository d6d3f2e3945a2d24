import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry, type User } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, insertUser, setUpMainConnector } from '../test-support';
import { hashPassword } from '../auth/password';
import { syncBundledFrameworks } from './framework-store';
import { acceptRisk, addRisk, designateDirector, getRisk, updateRisk, type RiskInput } from './risks';
import { acceptRiskConfirmed } from './risk-acceptance';
import { MAIN_PLAN } from './plan';

const NOW = new Date('2026-03-10T10:00:00Z');
const PASSWORD = 'correct horse battery staple';

let passwordHash: string;
let db: Db;
let admin: Actor;
let director: User;
let riskId: string;

const client = { ipAddress: '192.0.2.7' };
const RISK: RiskInput = {
	title: 'Patient system unavailable',
	systems: 'Demo EHR',
	chapters: ['6.2'],
	likelihood: 'moderate',
	impact: 'high',
	treatment: 'Paper forms.',
	residual: 'low'
};
const accepted = () => getRisk(db, MAIN_PLAN, riskId)!.acceptedAt;
const failedStepUps = () =>
	db
		.select({ summary: auditEntry.summary })
		.from(auditEntry)
		.where(eq(auditEntry.action, 'auth.step_up_failed'))
		.all()
		.map((a) => a.summary);

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
	director = insertUser(db, { name: 'Ville Vastaava', roles: ['mc_signatory'], passwordHash });
	designateDirector(db, admin, MAIN_PLAN, director.id, NOW);
	const added = addRisk(db, admin, MAIN_PLAN, RISK, NOW);
	riskId = (added as { id: string }).id;
});

describe('accepting a residual risk asks the director to confirm who they are', () => {
	it('refuses a wrong password and accepts nothing; the right one accepts, once', async () => {
		expect(await acceptRiskConfirmed(db, MAIN_PLAN, director, { password: 'wrong' }, riskId, NOW.getTime(), client, NOW)).toEqual({
			ok: false,
			reason: 'wrong_password'
		});
		expect(accepted()).toBeNull();
		expect(failedStepUps()).toEqual(['risk_acceptance']);

		expect(await acceptRiskConfirmed(db, MAIN_PLAN, director, { password: PASSWORD }, riskId, NOW.getTime(), client, NOW)).toEqual({
			ok: true
		});
		expect(getRisk(db, MAIN_PLAN, riskId)).toMatchObject({ acceptedBy: director.id, acceptedByName: 'Ville Vastaava', acceptedAt: NOW });
		expect(await acceptRiskConfirmed(db, MAIN_PLAN, director, { password: PASSWORD }, riskId, NOW.getTime(), client, NOW)).toEqual({
			ok: false,
			reason: 'already_accepted'
		});
	});

	it('refuses anyone but the director before asking for a secret, and an unknown risk', async () => {
		const other = insertUser(db, { roles: ['mc_signatory'], passwordHash });
		expect(await acceptRiskConfirmed(db, MAIN_PLAN, other, { password: PASSWORD }, riskId, NOW.getTime(), client, NOW)).toEqual({
			ok: false,
			reason: 'not_director'
		});
		expect(
			await acceptRiskConfirmed(db, MAIN_PLAN, director, { password: PASSWORD }, crypto.randomUUID(), NOW.getTime(), client, NOW)
		).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(accepted()).toBeNull();
		expect(failedStepUps()).toEqual([]);
	});

	it('refuses a director who has no password (single sign-on only), as approving the plan does', async () => {
		const ssoDirector = insertUser(db, { name: 'Sanna SSO', roles: ['mc_signatory'] });
		designateDirector(db, admin, MAIN_PLAN, ssoDirector.id, NOW);
		expect(await acceptRiskConfirmed(db, MAIN_PLAN, ssoDirector, { password: 'anything' }, riskId, NOW.getTime(), client, NOW)).toEqual({
			ok: false,
			reason: 'no_password'
		});
		expect(accepted()).toBeNull();
		expect(failedStepUps()).toEqual(['risk_acceptance: no password']);
	});

	it('accepts only the assessment the director was shown: a save in between refuses it, before the password and inside the transaction', async () => {
		const LATER = new Date(NOW.getTime() + 60_000);
		const shown = getRisk(db, MAIN_PLAN, riskId)!.updatedAt.getTime();
		updateRisk(db, admin, MAIN_PLAN, riskId, { ...RISK, residual: 'high' }, LATER);
		// A wrong password is not even looked at: the refusal comes first, and no step-up is spent or recorded.
		expect(await acceptRiskConfirmed(db, MAIN_PLAN, director, { password: 'wrong' }, riskId, shown, client, LATER)).toEqual({
			ok: false,
			reason: 'changed_meanwhile'
		});
		expect(failedStepUps()).toEqual([]);
		expect(acceptRisk(db, { id: director.id, label: director.email, ipAddress: '' }, MAIN_PLAN, riskId, shown, LATER)).toEqual({
			ok: false,
			reason: 'changed_meanwhile'
		});
		expect(accepted()).toBeNull();
		// Read again, it is accepted as it now stands.
		expect(await acceptRiskConfirmed(db, MAIN_PLAN, director, { password: PASSWORD }, riskId, LATER.getTime(), client, LATER)).toEqual({
			ok: true
		});
		expect(getRisk(db, MAIN_PLAN, riskId)).toMatchObject({ residual: 'high', acceptedAt: LATER });
	});
});
