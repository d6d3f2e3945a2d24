import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { auditEntry, oidcIdentity, type OidcTransaction } from '../db/schema';
import { hashPassword } from '../auth/password';
import { setPolicy } from '../auth/oidc-policy';
import { findProvider } from '../auth/oidc-providers';
import { oidcRedirectUri, redeemCallback } from '../auth/oidc-client';
import { takeTransaction } from '../auth/oidc-transaction';
import { followToCallback, startTestProvider, type TestLogin, type TestProvider } from '../../../../tests/support/oidc-test-provider';
import { DRAFT_CHOICES, freshDb, setUpAgreementWorld, type AgreementWorld } from '../test-support';
import {
	countersignMany,
	createDraft,
	getAgreement,
	listSignatures,
	sendForSignature,
	signAgreement,
	SIGNATURE_METHODS,
	updateDraft
} from './agreements';
import { completeIdentifiedSignature } from './identified-signature';
import { buildPdfInput } from './document';
import { subjectHash } from './strong-identification';

const PASSWORD = 'oikea-hevonen-akku-niitti';
const CLIENT = { ipAddress: '198.51.100.7', userAgent: 'vitest' };
const REDIRECT = oidcRedirectUri();
const SUBSTANTIAL = 'http://eidas.europa.eu/LoA/substantial';
const LOW = 'http://eidas.europa.eu/LoA/low';

let op: TestProvider;
let dir: string;
let passwordHash: string;
let db: Db;
let world: AgreementWorld;

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
	op = await startTestProvider({ redirectUris: [REDIRECT] });
	dir = mkdtempSync(join(tmpdir(), 'liitos-oidc-'));
	const file = join(dir, 'oidc.json');
	writeFileSync(
		file,
		JSON.stringify({
			providers: [
				{
					id: 'broker',
					displayName: 'Tunnistus',
					issuer: op.issuer,
					clientId: op.clientId,
					clientSecret: op.clientSecret,
					organisation: 'main'
				}
			]
		})
	);
	process.env.LIITOS_OIDC_CONFIG = file;
	op.accounts.set('sub-signer', { sub: 'sub-signer', email: 'signer@mc.example.fi' });
	op.accounts.set('sub-someone', { sub: 'sub-someone', email: 'someone@example.fi' });
});
afterAll(async () => {
	delete process.env.LIITOS_OIDC_CONFIG;
	rmSync(dir, { recursive: true, force: true });
	await op.close();
});

beforeEach(async () => {
	db = freshDb();
	world = setUpAgreementWorld(db, passwordHash, { tenantSignerName: 'Ville Virtanen' });
});

/** An agreement the tenant has signed (the tenant has no requirement), awaiting the main connector. */
async function awaitingCountersignature(): Promise<string> {
	const created = createDraft(db, world.admin, { tenantId: world.tenantId, templateId: world.templateId });
	if (!created.ok) throw new Error(created.reason);
	updateDraft(db, world.admin, created.id, DRAFT_CHOICES);
	sendForSignature(db, world.admin, created.id);
	const signed = await signAgreement(
		db,
		world.tenantSigner,
		created.id,
		{ typedName: 'Ville Virtanen', title: 'Toimitusjohtaja', password: PASSWORD },
		CLIENT
	);
	expect(signed.ok).toBe(true);
	return created.id;
}

function requireIdentification() {
	setPolicy(db, world.admin, 'main', { autoCreateRole: null, ssoOnly: false, signingProvider: 'broker', signingMinAcr: SUBSTANTIAL });
	db.insert(oidcIdentity).values({ provider: 'broker', subject: 'sub-signer', userId: world.mainSigner.id, linkedAt: new Date() }).run();
}

/** "Sign" → the provider (as `login`) → the callback → the signature, as the portal's callback does it. */
async function countersignThrough(id: string, login: TestLogin) {
	const started = await signAgreement(
		db,
		world.mainSigner,
		id,
		{ typedName: 'Sakari Signer', title: 'Puheenjohtaja', password: '' },
		CLIENT
	);
	if (started.ok || started.reason !== 'identify') throw new Error(`expected a redirect, got ${JSON.stringify(started)}`);
	op.nextLogin = login;
	const callback = await followToCallback(new URL(started.url), REDIRECT);
	const tx = takeTransaction(db, started.token) as OidcTransaction;
	const identity = await redeemCallback(findProvider('broker')!, tx, callback, 3600);
	return completeIdentifiedSignature(db, world.mainSigner, tx, identity, CLIENT);
}

describe('strong identification at signing', () => {
	it('sends the signatory to the provider with prompt=login, max_age=0 and the acr, and records provider, acr, subject hash and time', async () => {
		const id = await awaitingCountersignature();
		requireIdentification();
		const before = Date.now();
		const { result } = await countersignThrough(id, { sub: 'sub-signer', acr: SUBSTANTIAL });
		expect(result).toEqual({ ok: true, status: 'in_force' });
		const request = op.requests.at(-1)!;
		expect([request.get('prompt'), request.get('max_age'), request.get('acr_values')]).toEqual(['login', '0', SUBSTANTIAL]);
		const signature = listSignatures(db, id).find((s) => s.party === 'main_connector')!;
		expect(signature).toMatchObject({
			method: SIGNATURE_METHODS.strongIdentification,
			idProvider: 'broker',
			idAcr: SUBSTANTIAL,
			idSubjectHash: subjectHash('broker', 'sub-signer')
		});
		expect(signature.idAuthAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
		const entry = db
			.select()
			.from(auditEntry)
			.all()
			.find((e) => e.action === 'agreement.countersign')!;
		expect(entry.summary).toContain(`[broker, acr=${SUBSTANTIAL}, auth_time=`);
		const page = buildPdfInput(db, getAgreement(db, id)!, { final: true }).signaturePage!;
		expect(page.signatures.map((s) => s.method).join('\n')).toMatch(new RegExp(`Tunnistus.*${SUBSTANTIAL.replace(/[./]/g, '\\$&')}`));
	});

	it('refuses an acr below the required one', async () => {
		const id = await awaitingCountersignature();
		requireIdentification();
		const { result } = await countersignThrough(id, { sub: 'sub-signer', acr: LOW });
		expect(result).toEqual({ ok: false, reason: 'identification_refused', why: 'acr' });
		expect(getAgreement(db, id)!.status).toBe('awaiting_countersignature');
		expect(
			db
				.select()
				.from(auditEntry)
				.all()
				.some((e) => e.action === 'agreement.identification_refused')
		).toBe(true);
	});

	it("refuses another person's identity", async () => {
		const id = await awaitingCountersignature();
		requireIdentification();
		const { result } = await countersignThrough(id, { sub: 'sub-someone', acr: SUBSTANTIAL });
		expect(result).toEqual({ ok: false, reason: 'identification_refused', why: 'subject' });
		expect(listSignatures(db, id).filter((s) => s.party === 'main_connector')).toEqual([]);
	});

	it('refuses an authentication older than the request (no fresh login at the provider)', async () => {
		const id = await awaitingCountersignature();
		requireIdentification();
		const { result } = await countersignThrough(id, { sub: 'sub-signer', acr: SUBSTANTIAL, authTime: Math.floor(Date.now() / 1000) - 600 });
		expect(result).toEqual({ ok: false, reason: 'identification_refused', why: 'stale' });
	});

	it('does not accept the password when identification is required', async () => {
		const id = await awaitingCountersignature();
		requireIdentification();
		const result = await signAgreement(
			db,
			world.mainSigner,
			id,
			{ typedName: 'Sakari Signer', title: 'Puheenjohtaja', password: PASSWORD },
			CLIENT
		);
		expect(!result.ok && result.reason).toBe('identify');
		expect(getAgreement(db, id)!.status).toBe('awaiting_countersignature');
	});

	it('refuses the batch countersignature, which has no way through the provider, and signs nothing', async () => {
		const id = await awaitingCountersignature();
		requireIdentification();
		const result = await countersignMany(
			db,
			world.mainSigner,
			[id],
			{ typedName: 'Sakari Signer', title: 'Puheenjohtaja', password: PASSWORD },
			CLIENT
		);
		expect(!result.ok && result.reason).toBe('identification_required');
		expect(getAgreement(db, id)!.status).toBe('awaiting_countersignature');
		expect(listSignatures(db, id)).toHaveLength(1);
	});

	it("refuses a transaction started by someone else's session", async () => {
		const id = await awaitingCountersignature();
		requireIdentification();
		const started = await signAgreement(
			db,
			world.mainSigner,
			id,
			{ typedName: 'Sakari Signer', title: 'Puheenjohtaja', password: '' },
			CLIENT
		);
		if (started.ok || started.reason !== 'identify') throw new Error('expected a redirect');
		op.nextLogin = { sub: 'sub-signer', acr: SUBSTANTIAL };
		const callback = await followToCallback(new URL(started.url), REDIRECT);
		const tx = takeTransaction(db, started.token)!;
		const identity = await redeemCallback(findProvider('broker')!, tx, callback, 3600);
		const { result } = await completeIdentifiedSignature(db, world.tenantSigner, tx, identity, CLIENT);
		expect(result).toEqual({ ok: false, reason: 'not_yours' });
	});
});
