import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { authorize } from '$lib/server/http/guard';
import { verifyPdf } from '$lib/server/agreements/verify';
import { getTenant } from '$lib/server/tenants/tenants';
import { listSignatures } from '$lib/server/agreements/agreements';
import { signatureView } from '$lib/server/agreements/view';
import { refusalMessage } from '$lib/server/http/untrusted-refusal';

const MAX_PDF_BYTES = 20 * 1024 * 1024;

export const load: PageServerLoad = (event) => {
	authorize(event, 'agreement.verify');
};

export const actions = {
	default: async (event) => {
		const user = authorize(event, 'agreement.verify');
		const file = (await event.request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { error: m.verify_no_file() });
		if (file.size > MAX_PDF_BYTES) return fail(400, { error: m.verify_too_large() });
		const result = await verifyPdf(db(), new Uint8Array(await file.arrayBuffer()));
		if (result.result === 'refused') return fail(400, { error: refusalMessage(result.reason) });
		if (result.result === 'unknown') return { result: 'unknown' as const, sha256: result.sha256, fileName: file.name };
		// Name the agreement only to people who may see it; others learn just whether it matches.
		const visible = can(user, 'agreement.view', { tenantId: result.agreement.tenantId });
		return {
			result: result.result,
			sha256: result.sha256,
			fileName: file.name,
			agreement: visible
				? {
						id: result.agreement.id,
						status: result.agreement.status,
						tenantName: getTenant(db(), result.agreement.tenantId)?.name ?? '',
						sealedSha256: result.agreement.sealedSha256,
						// Who signed, and for strongly identified signatures the provider, level and time.
						signatures: listSignatures(db(), result.agreement.id).map(signatureView)
					}
				: null
		};
	}
} satisfies Actions;
