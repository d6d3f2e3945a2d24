import type { ParamMatcher } from '@sveltejs/kit';

/** A requirement id of the information-security plan framework, e.g. "6.3-2". */
export const match: ParamMatcher = (param) => /^(3|5|6\.(?:[1-9]|1[0-2]))-[1-9]\d?$/.test(param);
