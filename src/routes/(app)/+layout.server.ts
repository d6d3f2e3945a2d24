import type { LayoutServerLoad } from './$types';
import { authorize } from '$lib/server/http/guard';

/** Sends signed-out visitors to the login page. Each page still checks its own permission. */
export const load: LayoutServerLoad = (event) => {
	authorize(event, 'dashboard.view');
};
