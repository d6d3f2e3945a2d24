import * as m from '$lib/paraglide/messages.js';
import type { CertificateKind, ExpiryBucket, HolderType } from '$lib/domain';

/** Names for certificate codes, in the reader's language. */
export const certificateKindLabel = (kind: CertificateKind): string =>
	({
		server: m.cert_kind_server,
		system_signature: m.cert_kind_system_signature,
		server_test: m.cert_kind_server_test,
		system_signature_test: m.cert_kind_system_signature_test,
		professional_card: m.cert_kind_professional_card,
		staff_card: m.cert_kind_staff_card,
		replacement_card: m.cert_kind_replacement_card,
		security_assessment: m.cert_kind_security_assessment
	})[kind]();

export const holderTypeLabel = (type: HolderType): string =>
	({
		main_connector: m.cert_holder_main_connector,
		tenant: m.cert_holder_tenant,
		person: m.cert_holder_person
	})[type]();

export const expiryBucketLabel = (bucket: ExpiryBucket): string =>
	({
		expired: m.cert_bucket_expired,
		within_30: m.cert_bucket_within_30,
		within_60: m.cert_bucket_within_60,
		within_90: m.cert_bucket_within_90,
		later: m.cert_bucket_later
	})[bucket]();
