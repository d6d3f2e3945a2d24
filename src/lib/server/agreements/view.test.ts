import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { agreement, agreementSignature } from '../db/schema';
import { freshDb, insertTenantRow, insertUser, insertAgreementRow } from '../test-support';
import { getAgreement, listSignatures } from './agreements';
import { agreementView, draftChoicesView, signatureView } from './view';

const SEALED_PATH = '/srv/liitos/data/agreements/sealed-1234.pdf';
const IP = '203.0.113.77';
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) SecretBrowser/1.0';

function sealedAgreementWithSignature() {
	const db = freshDb();
	const tenantId = insertTenantRow(db, 'tenant-1');
	const signer = insertUser(db, { tenantId, roles: ['tenant_signatory'] });
	const id = insertAgreementRow(db, tenantId, 'in_force');
	db.update(agreement)
		.set({ sealedPath: SEALED_PATH, sealedSha256: 'ab'.repeat(32), valuesSnapshot: '{"values":{}}', contentHash: 'cd'.repeat(32) })
		.where(eq(agreement.id, id))
		.run();
	db.insert(agreementSignature)
		.values({
			id: 'sig-1',
			agreementId: id,
			party: 'tenant',
			userId: signer.id,
			signerName: 'Ville Virtanen',
			signerTitle: 'Toimitusjohtaja',
			organisationName: 'Virtanen Oy',
			method: 'password-step-up',
			contentHash: 'cd'.repeat(32),
			signedAt: new Date('2026-01-10T09:00:00Z'),
			ipAddress: IP,
			userAgent: USER_AGENT
		})
		.run();
	return { current: getAgreement(db, id)!, signatures: listSignatures(db, id, true), signer };
}

describe('the agreement page data', () => {
	it('carries neither the sealed file’s place on the server nor the signers’ addresses, browsers or account ids', () => {
		const { current, signatures, signer } = sealedAgreementWithSignature();
		const data = JSON.stringify({ agreement: agreementView(current), signatures: signatures.map(signatureView) });
		for (const secret of [SEALED_PATH, 'sealed-1234', IP, USER_AGENT, signer.id, current.templateSource.slice(0, 40), '{"values"'])
			expect(data).not.toContain(secret);
		expect(agreementView(current)).not.toHaveProperty('sealedPath');
		expect(Object.keys(signatureView(signatures[0])).sort()).toEqual([
			'id',
			// provider, acr and time of a strong identification; never the subject (or its hash)
			'identification',
			'invalidatedAt',
			'organisationName',
			'party',
			'signedAt',
			'signerName',
			'signerTitle'
		]);
	});

	it('keeps what the page shows', () => {
		const { current, signatures } = sealedAgreementWithSignature();
		expect(agreementView(current)).toMatchObject({
			id: current.id,
			status: 'in_force',
			sealed: true,
			sealedSha256: 'ab'.repeat(32),
			noticeMonths: current.noticeMonths
		});
		expect(signatureView(signatures[0])).toMatchObject({
			party: 'tenant',
			signerName: 'Ville Virtanen',
			signerTitle: 'Toimitusjohtaja',
			organisationName: 'Virtanen Oy'
		});
		expect(draftChoicesView(current)).toEqual({
			place: current.place,
			noticeMonths: current.noticeMonths,
			renewalsForwarded: current.renewalsForwarded,
			serviceAgreementReference: current.serviceAgreementReference
		});
	});
});
