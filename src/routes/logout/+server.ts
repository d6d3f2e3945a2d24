import { redirect, type RequestHandler } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { signOut } from '$lib/server/auth/sign-in';
import { config } from '$lib/server/config';
import { SESSION_COOKIE } from '$lib/server/http/cookies';
import { clientOf } from '$lib/server/http/guard';

/** Sign out of this browser, or with `everywhere` of every session the person has. */
export const POST: RequestHandler = async (event) => {
	const { locals, cookies, request } = event;
	const person = locals.user ?? locals.pending?.user;
	if (person && locals.session) {
		const everywhere = (await request.formData()).get('everywhere') === 'on';
		signOut(db(), locals.session.id, person, clientOf(event), everywhere);
	}
	cookies.delete(SESSION_COOKIE.name, { path: '/', secure: config.production });
	redirect(303, '/login');
};
