import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { searchPortal } from '$lib/server/search/search';
import { searchQuerySchema } from '$lib/schemas/search';

export const load: PageServerLoad = (event) => {
	// Everyone signed in may search; what each group shows is decided by can() inside searchPortal.
	const user = authorize(event, 'dashboard.view');
	const { q } = searchQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	if (!q) return { results: null, q };
	return { results: searchPortal(db(), user, q, getLocale()), q };
};
