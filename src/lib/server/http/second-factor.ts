import { fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import type { CodeRefused } from '$lib/server/auth/two-factor';
import { formatTime } from '$lib/i18n/format';

/** The answer to a refused authenticator or recovery code, beside the field it was typed in. */
export function codeRefused(result: CodeRefused, field = 'code', section = 'main') {
	const throttled = result.reason === 'throttled';
	const message = throttled ? m.login_throttled({ time: formatTime(result.retryAt) }) : m.two_factor_code_wrong();
	return fail(throttled ? 429 : 400, { errors: { [field]: message }, values: {}, section });
}
