import { fail } from '@sveltejs/kit';
import type { Actions } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { acceptPasswordResetRequest } from '$lib/server/auth/password-reset';
import { passwordResetRequestSchema } from '$lib/schemas/auth';
import { clientOf } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { formatTime } from '$lib/i18n/format';

export const actions = {
	default: async (event) => {
		const parsed = parseForm(passwordResetRequestSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		// The link is mailed after this answer; the answer is the same whether the account exists.
		const answer = acceptPasswordResetRequest(db(), parsed.data.email, clientOf(event));
		if (!answer.ok)
			return fail(429, { errors: { email: m.reset_request_throttled({ time: formatTime(answer.retryAt) }) }, values: parsed.values });
		return { sent: true };
	}
} satisfies Actions;
