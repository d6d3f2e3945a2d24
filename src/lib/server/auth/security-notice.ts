import * as m from '../../paraglide/messages.js';
import type { Db } from '../db';
import { config } from '../config';
import { sendMail } from '../mail/mailer';
import { getUser } from './accounts';

export type SecurityChange =
	'password_changed' | 'two_factor_enabled' | 'two_factor_replaced' | 'two_factor_disabled' | 'two_factor_reset' | 'recovery_codes_renewed';

const CHANGE_TEXT: Record<SecurityChange, (inputs: Record<string, never>, options: { locale: 'fi' | 'sv' | 'en' }) => string> = {
	password_changed: m.security_change_password,
	two_factor_enabled: m.security_change_two_factor_enabled,
	two_factor_replaced: m.security_change_two_factor_replaced,
	two_factor_disabled: m.security_change_two_factor_disabled,
	two_factor_reset: m.security_change_two_factor_reset,
	recovery_codes_renewed: m.security_change_recovery_codes
};

/**
 * Tells a person, in their own language, that how they sign in has changed, so a change they did
 * not make does not go unnoticed. Sent after the change is committed.
 */
export async function sendSecurityNotice(db: Db, userId: string, change: SecurityChange): Promise<void> {
	const person = getUser(db, userId);
	if (!person) return;
	const o = { locale: person.locale };
	const subject = m.mail_security_subject({}, o);
	const body = m.mail_security_body({ name: person.name, change: CHANGE_TEXT[change]({}, o), link: `${config.origin}/account` }, o);
	await sendMail(db, { to: person.email, subject, body });
}
