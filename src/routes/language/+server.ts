import { redirect, type RequestHandler } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf } from '$lib/server/http/guard';
import { setUserLocale } from '$lib/server/people/people';
import { safeNext } from '$lib/server/http/session-cookie';

/** The language switch: a plain form post, so it works without JavaScript. */
export const POST: RequestHandler = async (event) => {
	const { request, cookies, locals } = event;
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	const target = String(form.get('redirectTo') ?? '/');
	if (isLocale(locale)) {
		cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax', secure: false });
		if (locals.user && can(locals.user, 'account.manage')) setUserLocale(db(), actorOf(event), locals.user.id, locale);
	}
	redirect(303, safeNext(target));
};
