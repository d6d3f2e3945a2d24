import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute } from '$lib/server/http/api';
import { listCertificatePage } from '$lib/server/api/resources';
import { certificateListQuery } from '$lib/server/api/schemas';

/** Current certificates, soonest expiry first; `expiringWithinDays` narrows to those running out. */
export const GET: RequestHandler = apiRoute((api) => {
	const query = api.query(certificateListQuery);
	const own = api.caller.token.tenantId;
	// A tenant's token reads its own tenant's certificates; the main connector's reads all or one tenant's.
	const tenantId = query.tenantId ?? own ?? undefined;
	api.authorize('certificate.view', tenantId ? { tenantId } : undefined);
	const filter = { tenantId, kind: query.kind, holderType: query.holderType, expiringWithinDays: query.expiringWithinDays };
	return listCertificatePage(db(), filter, query.limit, api.cursor(query.cursor, 2));
});
