import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { signIn } from '$lib/server/auth/sign-in';
import { listProviders } from '$lib/server/auth/oidc-providers';
import { loginSchema } from '$lib/schemas/auth';
import { clientOf } from '$lib/server/http/guard';
import { invalid, parseForm, type FieldErrors } from '$lib/server/http/forms';
import { safeNext, setSessionCookie } from '$lib/server/http/session-cookie';
import { PROVIDER_LOGOUT_COOKIE } from '$lib/server/http/cookies';
import { formatTime } from '$lib/i18n/format';

export const load: PageServerLoad = ({ locals, url, cookies }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	const providerLogout = cookies.get(PROVIDER_LOGOUT_COOKIE.name);
	if (providerLogout) cookies.delete(PROVIDER_LOGOUT_COOKIE.name, { path: '/', secure: PROVIDER_LOGOUT_COOKIE.options.secure });
	const next = url.searchParams.get('next');
	return {
		// Each configured provider, as a link that starts signing in there (and comes back to `next`).
		providers: listProviders().map((p) => ({
			name: p.displayName,
			href: `/login/oidc/${p.id}${next ? `?next=${encodeURIComponent(safeNext(next))}` : ''}`
		})),
		unavailable: url.searchParams.get('oidc') === 'unavailable',
		throttled: url.searchParams.get('oidc') === 'throttled',
		// Set by /logout only, to an address it built from a configured provider's metadata.
		providerLogout: providerLogout && URL.canParse(providerLogout) ? providerLogout : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(loginSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const result = await signIn(db(), parsed.data.email, parsed.data.password, clientOf(event));
		if (!result.ok) {
			const message =
				result.reason === 'throttled'
					? m.login_throttled({ time: formatTime(result.retryAt) })
					: result.reason === 'sso_only'
						? m.login_sso_only()
						: m.login_invalid();
			const errors: FieldErrors = { form: message };
			return fail(result.reason === 'throttled' ? 429 : 400, { errors, values: parsed.values });
		}
		setSessionCookie(event.cookies, result.token);
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
