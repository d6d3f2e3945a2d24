import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEntry } from '../db/schema';
import type { Actor } from '../actor';
import { freshDb, setUpMainConnector } from '../test-support';
import { syncBundledFrameworks } from './framework-store';
import { addDocument, getDocument, listDocuments, removeDocument } from './documents';
import { currentSnapshot } from './versions';
import { MAIN_PLAN } from './plan';
import { documentSchema } from '../../schemas/security-plan';

const NOW = new Date('2026-03-10T10:00:00Z');
let db: Db;
let admin: Actor;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
	syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
});

describe('documents beside a requirement', () => {
	it('keeps links and stored files per requirement, in the frozen content too, and audits adding and removing', () => {
		const link = addDocument(
			db,
			admin,
			MAIN_PLAN,
			'6.1-1',
			{ title: 'Tietoturvapolitiikka', url: 'https://intra.example.fi/policy' },
			NOW
		)!;
		const file = addDocument(
			db,
			admin,
			MAIN_PLAN,
			'6.1-1',
			{ title: 'Ohje', file: { name: 'ohje.pdf', path: '/data/x', sha256: 'ab'.repeat(32), mimeType: 'application/pdf' } },
			NOW
		)!;
		expect(listDocuments(db, MAIN_PLAN, '6.1-1').map((d) => d.id)).toEqual([link, file].sort((a, b) => (a < b ? -1 : 1)));
		expect(listDocuments(db, MAIN_PLAN, '6.2-1')).toEqual([]);
		// The type found on upload is kept, so a download need not read the file again to name it.
		expect(getDocument(db, MAIN_PLAN, '6.1-1', file)).toMatchObject({ mimeType: 'application/pdf' });
		expect(getDocument(db, MAIN_PLAN, '6.1-1', link)).toMatchObject({ mimeType: null });
		expect(getDocument(db, MAIN_PLAN, '6.2-1', link)).toBeUndefined();
		// A requirement with documents but no description yet still appears in the frozen content.
		expect(currentSnapshot(db, MAIN_PLAN)!.requirements).toMatchObject([
			{
				id: '6.1-1',
				status: 'not_described',
				documents: expect.arrayContaining([
					'Tietoturvapolitiikka <https://intra.example.fi/policy>',
					`Ohje (ohje.pdf, sha256 ${'ab'.repeat(32)})`
				])
			}
		]);
		expect(removeDocument(db, admin, MAIN_PLAN, '6.2-1', link)).toBe(false);
		expect(removeDocument(db, admin, MAIN_PLAN, '6.1-1', link)).toBe(true);
		expect(listDocuments(db, MAIN_PLAN, '6.1-1').map((d) => d.title)).toEqual(['Ohje']);
		const actions = db.select().from(auditEntry).where(like(auditEntry.action, 'security_plan.document%')).all();
		expect(actions.map((a) => a.action)).toEqual([
			'security_plan.document_add',
			'security_plan.document_add',
			'security_plan.document_remove'
		]);
	});

	it('refuses a requirement the framework does not have, and a link that is not http(s)', () => {
		expect(addDocument(db, admin, MAIN_PLAN, '6.1-99', { title: 'x', url: 'https://example.fi' }, NOW)).toBeNull();
		expect(documentSchema.safeParse({ title: 'x', url: 'javascript:alert(1)' }).success).toBe(false);
		expect(documentSchema.safeParse({ title: 'x', url: 'https://example.fi/a' }).success).toBe(true);
	});
});
