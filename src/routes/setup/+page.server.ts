import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { completeSetup, isSetupComplete } from '$lib/server/organisation/organisation';
import { getLocale } from '$lib/paraglide/runtime';
import { hashPassword } from '$lib/server/auth/password';
import { createSession, generateSessionToken } from '$lib/server/auth/session';
import { setupSchema } from '$lib/schemas/organisation';
import { clientOf } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { passwordProblem } from '$lib/server/http/set-password';
import { setSessionCookie } from '$lib/server/http/session-cookie';
import { loadSealCredentials } from '$lib/server/agreements/sealing';

/** Once the main connector exists this page no longer exists either. */
function ensureFirstRun() {
	if (isSetupComplete(db())) error(404, m.error_not_found());
}

export const load: PageServerLoad = () => ensureFirstRun();

export const actions = {
	default: async (event) => {
		ensureFirstRun();
		const parsed = parseForm(setupSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const { adminName, adminEmail, adminPassword, adminPasswordConfirm, ...organisation } = parsed.data;
		const problem = passwordProblem(adminPassword, adminPasswordConfirm, { email: adminEmail, name: adminName });
		if (problem) {
			const field = problem.field === 'password' ? 'adminPassword' : 'adminPasswordConfirm';
			return fail(400, { errors: { [field]: problem.message }, values: parsed.values });
		}
		const client = clientOf(event);
		const passwordHash = await hashPassword(adminPassword);
		const done = completeSetup(
			db(),
			{ organisation, admin: { name: adminName, email: adminEmail, passwordHash, locale: getLocale() } },
			client
		);
		if (!done) error(404, m.error_not_found());
		// Agreements are sealed from day one: make the (self-signed, until configured) seal now.
		loadSealCredentials(db());
		const token = generateSessionToken();
		createSession(db(), token, done.userId, client);
		setSessionCookie(event.cookies, token);
		redirect(303, '/');
	}
} satisfies Actions;
