import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// config.ts reads DATA_DIR once, when first imported: a fresh folder before any module loads it.
const { dataDir } = await vi.hoisted(async () => {
	const { mkdtempSync } = await import('node:fs');
	const { tmpdir } = await import('node:os');
	const path = await import('node:path');
	const dir = mkdtempSync(path.join(tmpdir(), 'liitos-follow-up-'));
	process.env.DATA_DIR = dir;
	delete process.env.SEAL_P12_PATH;
	return { dataDir: dir };
});

import type { Db } from '../db';
import { outboxMessage } from '../db/schema';
import { hashPassword } from '../auth/password';
import { openEffects } from '../effects/effects';
import { runScheduledWork } from '../scheduler';
import { DRAFT_CHOICES, freshDb, setUpAgreementWorld, type AgreementWorld } from '../test-support';
import { createDraft, declineAgreement, getAgreement, sendForSignature, signAgreement, updateDraft } from './agreements';
import { carryOutAgreementFollowUp } from './follow-up';

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const PASSWORD = 'oikea-hevonen-akku-niitti';
const CLIENT = { ipAddress: '192.0.2.9', userAgent: 'vitest' };
let passwordHash: string;
beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

function world(): { db: Db; w: AgreementWorld; id: string } {
	const db = freshDb();
	const w = setUpAgreementWorld(db, passwordHash, { tenantSignerName: 'Tiina Tenant' });
	const created = createDraft(db, w.admin, { tenantId: w.tenantId, templateId: w.templateId });
	if (!created.ok) throw new Error(created.reason);
	updateDraft(db, w.admin, created.id, DRAFT_CHOICES);
	return { db, w, id: created.id };
}

const subjects = (db: Db) =>
	db
		.select({ subject: outboxMessage.subject })
		.from(outboxMessage)
		.all()
		.map((row) => row.subject);
const kinds = (db: Db, id: string) => openEffects(db, id).map((e) => (e.kind === 'agreement.notify' ? JSON.parse(e.payload).step : e.kind));

async function signBoth(db: Db, w: AgreementWorld, id: string) {
	await signAgreement(db, w.tenantSigner, id, { typedName: 'Tiina Tenant', title: 'Toimitusjohtaja', password: PASSWORD }, CLIENT);
	return signAgreement(db, w.mainSigner, id, { typedName: 'Sakari Signer', title: 'Johtaja', password: PASSWORD }, CLIENT);
}

describe('the follow-up of agreement steps', () => {
	it('is recorded by each step in its own transaction, seal before the "in force" mail', async () => {
		const { db, w, id } = world();
		expect(kinds(db, id)).toEqual([]); // completing a draft tells no one
		sendForSignature(db, w.admin, id);
		expect(kinds(db, id)).toEqual(['sent']);
		const signed = await signBoth(db, w, id);
		expect(signed).toMatchObject({ ok: true, status: 'in_force' });
		expect(kinds(db, id)).toEqual(['sent', 'tenant_signed', 'agreement.seal', 'in_force']);
		// Nothing has been sealed or sent until the follow-up is carried out.
		expect(getAgreement(db, id)!.sealedPath).toBeNull();
		expect(subjects(db)).toEqual([]);

		expect(await carryOutAgreementFollowUp(db, id)).toEqual({ done: 4, failed: 0 });
		expect(getAgreement(db, id)!.sealedPath).toBeTruthy();
		expect(subjects(db).length).toBeGreaterThanOrEqual(4);
		expect(kinds(db, id)).toEqual([]);
	});

	it('a refusal records nothing to do', async () => {
		const { db, w, id } = world();
		sendForSignature(db, w.admin, id);
		await carryOutAgreementFollowUp(db, id);
		const wrong = await signAgreement(db, w.tenantSigner, id, { typedName: 'Someone Else', title: 'X', password: PASSWORD }, CLIENT);
		expect(wrong.ok).toBe(false);
		expect(kinds(db, id)).toEqual([]);
		expect(declineAgreement(db, w.mainSigner, id, 'not yours to decline', '')).toBe(false);
		expect(kinds(db, id)).toEqual([]);
	});

	it('a seal that fails leaves the signature standing, holds back the "in force" mail, and the scheduler finishes both', async () => {
		const { db, w, id } = world();
		sendForSignature(db, w.admin, id);
		await carryOutAgreementFollowUp(db, id);
		// A file where the agreements folder should be: writing the sealed PDF fails.
		const folder = join(dataDir, 'agreements');
		rmSync(folder, { recursive: true, force: true });
		writeFileSync(folder, 'in the way');
		try {
			expect(await signBoth(db, w, id)).toMatchObject({ ok: true, status: 'in_force' });
			const before = subjects(db).length;
			expect(await carryOutAgreementFollowUp(db, id)).toEqual({ done: 1, failed: 1 }); // the tenant-signed mail, then the seal
			expect(getAgreement(db, id)).toMatchObject({ status: 'in_force', sealedPath: null });
			expect(kinds(db, id)).toEqual(['agreement.seal', 'in_force']);
			expect(subjects(db).length).toBe(before + 1);
		} finally {
			rmSync(folder, { force: true });
			mkdirSync(folder);
		}
		// The scheduler's hourly run comes after the retry delay.
		const report = await runScheduledWork(db, new Date(Date.now() + 2 * 60_000));
		expect(report.agreementFollowUp).toEqual({ done: 2, failed: 0 });
		expect(getAgreement(db, id)!.sealedPath).toBeTruthy();
		expect(kinds(db, id)).toEqual([]);
	});
});
