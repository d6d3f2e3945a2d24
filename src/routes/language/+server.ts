import { redirect, type RequestHandler } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';

/** The language switch: a plain form post, so it works without JavaScript. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	const target = String(form.get('redirectTo') ?? '/');
	if (isLocale(locale)) {
		cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax', secure: false });
	}
	// Only same-site paths: never bounce to another origin.
	redirect(303, target.startsWith('/') && !target.startsWith('//') ? target : '/');
};
