import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute, ApiProblem } from '$lib/server/http/api';
import { toCertificateOut } from '$lib/server/api/resources';
import { getCertificate } from '$lib/server/certificates/registry';

export const GET: RequestHandler = apiRoute((api) => {
	const found = getCertificate(db(), api.id('id'));
	// The main connector's own certificates carry no tenant: only its own token reads them.
	api.authorize('certificate.view', { tenantId: found ? found.tenantId : '' });
	if (!found) throw new ApiProblem(404, 'No such resource.');
	return toCertificateOut(found);
});
