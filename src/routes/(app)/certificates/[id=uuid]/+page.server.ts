import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { can, type Action } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { expiryBucket, getCertificate, markRenewalOrdered, orderByDate, renewalChain } from '$lib/server/certificates/registry';
import { getSettings } from '$lib/server/settings';
import { getTenant } from '$lib/server/tenants/tenants';
import { isFileKind, renewalOrderedSchema } from '$lib/schemas/certificate';

/**
 * The certificate, after checking the caller may do `action` on it. A main connector's own
 * certificate has no tenant, so a tenant's people get 404 for it just as for another tenant's.
 */
function certificateFor(event: RequestEvent<{ id: string }>, action: Action) {
	const current = getCertificate(db(), event.params.id);
	const user = authorize(event, action, { tenantId: current?.tenantId ?? '' });
	if (!current) error(404, m.error_not_found());
	return { current, user };
}

export const load: PageServerLoad = (event) => {
	const { current: c, user } = certificateFor(event, 'certificate.view');
	const now = new Date();
	const mayManage = can(user, 'certificate.manage');
	return {
		certificate: {
			id: c.id,
			kind: c.kind,
			holderType: c.holderType,
			holderName: c.holderName,
			subject: c.subject,
			issuer: c.issuer,
			serialNumber: c.serialNumber,
			fingerprintSha256: c.fingerprintSha256,
			keyType: c.keyType,
			keySize: c.keySize,
			validFrom: c.validFrom,
			validTo: c.validTo,
			reference: c.reference,
			source: c.source,
			supersededAt: c.supersededAt,
			renewalOrderedAt: c.renewalOrderedAt,
			renewalNote: c.renewalNote,
			createdAt: c.createdAt,
			createdBy: c.createdBy,
			uploaded: isFileKind(c.kind)
		},
		tenant: c.tenantId ? { id: c.tenantId, name: getTenant(db(), c.tenantId)?.name ?? '' } : null,
		orderBy: orderByDate(c.validTo, c.kind, getSettings(db())),
		bucket: expiryBucket(c.validTo, now),
		chain: renewalChain(db(), c.id).map((link) => ({
			id: link.id,
			validFrom: link.validFrom,
			validTo: link.validTo,
			supersededAt: link.supersededAt,
			reference: link.reference
		})),
		may: { order: mayManage && !c.supersededAt && !c.renewalOrderedAt, renew: mayManage && !c.supersededAt }
	};
};

export const actions = {
	ordered: async (event) => {
		const { current } = certificateFor(event, 'certificate.manage');
		const parsed = parseForm(renewalOrderedSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'ordered');
		if (!markRenewalOrdered(db(), actorOf(event), current.id, parsed.data.note))
			return invalid({ form: m.cert_renewal_not_possible() }, parsed.values, 'ordered');
		return answer('ordered', { ordered: true });
	}
} satisfies Actions;
