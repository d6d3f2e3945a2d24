import type { ParamMatcher } from '@sveltejs/kit';

/** Anything that is not a UUID never reaches a load: it is a plain 404. */
export const match: ParamMatcher = (param) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(param);
