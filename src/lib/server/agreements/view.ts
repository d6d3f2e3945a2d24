import { findProvider } from '../auth/oidc-providers';
import type { Agreement, AgreementSignature } from '../db/schema';

/*
 * What the agreement page shows, field by field. A load's data is serialised whole to the
 * browser, so rows are never returned as they are: the sealed file's place on the server and
 * the signers' addresses and browsers (evidence of each signature, for the audit) stay on the
 * server.
 */

export function agreementView(a: Agreement) {
	return {
		id: a.id,
		status: a.status,
		createdAt: a.createdAt,
		inForceAt: a.inForceAt,
		noticeMonths: a.noticeMonths,
		noticeGivenAt: a.noticeGivenAt,
		noticeGivenBy: a.noticeGivenBy,
		endDate: a.endDate,
		serviceAgreementEndDate: a.serviceAgreementEndDate,
		declinedReason: a.declinedReason,
		rescindReason: a.rescindReason,
		sealed: a.sealedPath !== null,
		sealedSha256: a.sealedSha256
	};
}

/** The choices completed on a draft, for the main connector's edit form. */
export function draftChoicesView(a: Agreement) {
	return {
		place: a.place,
		noticeMonths: a.noticeMonths,
		renewalsForwarded: a.renewalsForwarded,
		serviceAgreementReference: a.serviceAgreementReference
	};
}

export function signatureView(s: AgreementSignature) {
	return {
		id: s.id,
		party: s.party,
		signerName: s.signerName,
		signerTitle: s.signerTitle,
		organisationName: s.organisationName,
		signedAt: s.signedAt,
		invalidatedAt: s.invalidatedAt,
		// Strong identification at signing: who vouched for the signer, at what level, when.
		identification: s.idProvider
			? { provider: findProvider(s.idProvider)?.displayName ?? s.idProvider, acr: s.idAcr ?? '-', at: s.idAuthAt }
			: null
	};
}
