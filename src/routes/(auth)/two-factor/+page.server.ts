import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { verifySecondFactor } from '$lib/server/auth/two-factor';
import { secondFactorSchema } from '$lib/schemas/auth';
import { actorOf } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { safeNext } from '$lib/server/http/session-cookie';
import { codeRefused } from '$lib/server/http/second-factor';

/** The second step of signing in: only for a session that has passed the password and has an authenticator. */
export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	if (!locals.pending) redirect(303, '/login');
	if (locals.pending.step === 'enrol') redirect(303, `/two-factor/setup?next=${encodeURIComponent(next)}`);
	return { email: locals.pending.user.email };
};

export const actions = {
	default: async (event) => {
		const { pending, session } = event.locals;
		if (!pending || pending.step !== 'verify' || !session) redirect(303, '/login');
		const parsed = parseForm(secondFactorSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors);
		const result = verifySecondFactor(db(), actorOf(event), pending.user, parsed.data.code, 'sign_in', session.id);
		if (!result.ok) return codeRefused(result);
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
} satisfies Actions;
