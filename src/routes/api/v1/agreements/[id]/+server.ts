import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute, ApiProblem } from '$lib/server/http/api';
import { toAgreementOut } from '$lib/server/api/resources';
import { getAgreement } from '$lib/server/agreements/agreements';

export const GET: RequestHandler = apiRoute((api) => {
	const current = getAgreement(db(), api.id('id'));
	// An unknown id is authorised against no tenant, so it answers exactly like another tenant's.
	api.authorize('agreement.view', { tenantId: current?.tenantId ?? '' });
	if (!current) throw new ApiProblem(404, 'No such resource.');
	return toAgreementOut(current);
});
