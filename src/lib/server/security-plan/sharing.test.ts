import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, setUpMainConnector } from '../test-support';
import { syncBundledFrameworks } from './framework-store';
import { MAIN_PLAN, saveRequirement } from './plan';
import { bindingChapters, setSectionBinding } from './sharing';
import { planEntry } from './test-entries';

const NOW = new Date('2026-03-10T10:00:00Z');
let db: Db;
let actor: Actor;

beforeEach(() => {
	db = freshDb();
	actor = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
	saveRequirement(
		db,
		actor,
		MAIN_PLAN,
		'6.9-3',
		{
			description: 'Tulosteet **lukittuun keräysastiaan**.',
			ownerId: actor.id,
			status: 'implemented',
			lastReviewedOn: null,
			nextReviewOn: null,
			responsibleParty: 'main_connector',
			responsibleName: '',
			agreementReference: ''
		},
		NOW
	);
	saveRequirement(db, actor, MAIN_PLAN, '6.7-5', planEntry({ description: 'Internal: admin accounts.' }), NOW);
});

describe('sections that bind tenants', () => {
	it('records the sections chosen to bind tenants, and audits each choice', () => {
		expect(bindingChapters(db).size).toBe(0);
		expect(setSectionBinding(db, actor, '6.9', true, NOW)).toBe(true);
		expect([...bindingChapters(db)]).toEqual(['6.9']);
		expect(setSectionBinding(db, actor, '6.9', false, NOW)).toBe(true);
		expect(bindingChapters(db).size).toBe(0);
		const audits = db.select().from(auditEntry).where(like(auditEntry.action, 'security_plan.share')).all();
		expect(audits.map((a) => a.summary)).toEqual(['6.9: binds tenants', '6.9: no longer binds tenants']);
	});

	it('refuses a chapter that does not exist', () => {
		expect(setSectionBinding(db, actor, '6.13', true, NOW)).toBe(false);
		expect(setSectionBinding(db, actor, '7', true, NOW)).toBe(false);
	});
});
