import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { user } from '../db/schema';
import { listOutbox } from '../mail/mailer';
import { freshDb, insertUser } from '../test-support';
import { sendSecurityNotice } from './security-notice';

let db: Db;

beforeEach(() => {
	db = freshDb();
});

describe('sendSecurityNotice', () => {
	it('writes to the person, in their own language, what changed and where to look', async () => {
		const person = insertUser(db, { email: 'sara@example.fi', name: 'Sara Svensson' });
		db.update(user).set({ locale: 'sv' }).where(eq(user.id, person.id)).run();
		await sendSecurityNotice(db, person.id, 'two_factor_reset');
		const [mail] = listOutbox(db, { page: 1, pageSize: 5 }).messages;
		expect(mail.to).toBe('sara@example.fi');
		expect(mail.subject).toBe('Dina inloggningsinställningar har ändrats');
		expect(mail.body).toContain('Hej Sara Svensson');
		expect(mail.body).toContain('En administratör återställde din autentiseringsapp');
		expect(mail.body).toMatch(/https?:\/\/\S+\/account/);
	});

	it('names each kind of change differently', async () => {
		const person = insertUser(db, { email: 'eero@example.fi' });
		db.update(user).set({ locale: 'en' }).where(eq(user.id, person.id)).run();
		const changes = [
			'password_changed',
			'two_factor_enabled',
			'two_factor_replaced',
			'two_factor_disabled',
			'two_factor_reset',
			'recovery_codes_renewed'
		] as const;
		for (const change of changes) await sendSecurityNotice(db, person.id, change);
		const bodies = listOutbox(db, { page: 1, pageSize: 10 }).messages.map((m) => m.body);
		expect(new Set(bodies).size).toBe(changes.length);
	});

	it('sends nothing for an unknown person', async () => {
		await sendSecurityNotice(db, crypto.randomUUID(), 'password_changed');
		expect(listOutbox(db, { page: 1, pageSize: 5 }).total).toBe(0);
	});
});
