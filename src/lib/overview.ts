import type { CertificateKind } from './domain';

/**
 * The dashboard's expiry chart groups the eight certificate kinds into four series a reader can
 * tell apart by colour: connection certificates, signature certificates, people's cards and
 * security assessments (test variants go with their production kind).
 */
export const EXPIRY_SERIES = ['server', 'signature', 'card', 'assessment'] as const;
export type ExpirySeries = (typeof EXPIRY_SERIES)[number];

export const expirySeriesOf = (kind: CertificateKind): ExpirySeries =>
	(
		({
			server: 'server',
			server_test: 'server',
			system_signature: 'signature',
			system_signature_test: 'signature',
			professional_card: 'card',
			staff_card: 'card',
			replacement_card: 'card',
			security_assessment: 'assessment'
		}) as const
	)[kind];

/** The kinds behind a series, for the link to the certificate list filtered by kind. */
export const firstKindOf: Record<ExpirySeries, CertificateKind> = {
	server: 'server',
	signature: 'system_signature',
	card: 'professional_card',
	assessment: 'security_assessment'
};
