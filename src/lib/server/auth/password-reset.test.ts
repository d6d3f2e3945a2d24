import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { emailToken, outboxMessage } from '../db/schema';
import { freshDb, insertUser } from '../test-support';
import { acceptPasswordResetRequest } from './password-reset';

const T0 = new Date('2025-06-01T12:00:00Z');
const client = { ipAddress: '192.0.2.1' };
const MINUTE_MS = 60_000;

let db: Db;

beforeEach(() => {
	db = freshDb();
	insertUser(db, { email: 'aino@example.fi', name: 'Aino Aalto', passwordHash: 'hash' });
	insertUser(db, { email: 'gone@example.fi', status: 'deactivated' });
});

describe('acceptPasswordResetRequest', () => {
	it('answers alike for an account, an unknown address and a deactivated one, before anything is looked up or sent', async () => {
		const answers = ['aino@example.fi', 'nobody@example.fi', 'gone@example.fi'].map((email) =>
			acceptPasswordResetRequest(db, email, client, T0)
		);
		for (const answer of answers) expect(answer).toEqual({ ok: true, delivered: expect.any(Promise) });
		// Answered: no link issued, nothing in the outbox yet.
		expect(db.select().from(emailToken).all()).toEqual([]);
		expect(db.select().from(outboxMessage).all()).toEqual([]);

		await Promise.all(answers.map((answer) => (answer.ok ? answer.delivered : null)));
		expect(db.select().from(emailToken).all()).toHaveLength(1);
		const mail = db.select().from(outboxMessage).all();
		expect(mail).toMatchObject([{ to: 'aino@example.fi' }]);
		expect(mail[0].body).toContain('/password-reset/');
	});

	it('allows three requests per e-mail address, whether or not it has an account, then says when to try again', async () => {
		for (const email of ['aino@example.fi', 'nobody@example.fi']) {
			for (let i = 0; i < 3; i++) expect(acceptPasswordResetRequest(db, email, { ipAddress: `198.51.100.${i}` }, T0).ok).toBe(true);
			expect(acceptPasswordResetRequest(db, email, { ipAddress: '203.0.113.1' }, T0)).toEqual({
				ok: false,
				reason: 'throttled',
				retryAt: new Date(T0.getTime() + 15 * MINUTE_MS)
			});
		}
	});

	it('allows ten requests per client address, whatever the e-mail addresses', () => {
		for (let i = 0; i < 10; i++) expect(acceptPasswordResetRequest(db, `p${i}@example.fi`, client, T0).ok).toBe(true);
		expect(acceptPasswordResetRequest(db, 'aino@example.fi', client, T0)).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('sends at most three links to a mailbox however many requests arrive together', async () => {
		const answers = Array.from({ length: 30 }, (_, i) =>
			acceptPasswordResetRequest(db, 'aino@example.fi', { ipAddress: `198.51.100.${i}` }, T0)
		);
		await Promise.all(answers.map((answer) => (answer.ok ? answer.delivered : null)));
		expect(answers.filter((answer) => answer.ok)).toHaveLength(3);
		expect(db.select().from(outboxMessage).all()).toHaveLength(3);
	});
});
