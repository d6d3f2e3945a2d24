import type { Actions } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { requestPasswordReset } from '$lib/server/people/people';
import { sendMail } from '$lib/server/mail/mailer';
import { passwordResetRequestSchema } from '$lib/schemas/auth';
import { clientOf } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(passwordResetRequestSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const issued = requestPasswordReset(db(), parsed.data.email, clientOf(event));
		if (issued) {
			const link = `${config.origin}/password-reset/${issued.token}`;
			await sendMail(db(), {
				to: issued.person.email,
				subject: m.mail_reset_subject(),
				body: m.mail_reset_body({ name: issued.person.name, link }),
				oneTimeLink: link
			});
		}
		// The same answer either way, so the form does not reveal who has an account.
		return { sent: true };
	}
};
