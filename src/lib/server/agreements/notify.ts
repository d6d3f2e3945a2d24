import { and, eq, inArray, isNull } from 'drizzle-orm';
import * as m from '../../paraglide/messages.js';
import type { Db } from '../db';
import { user, userRole, type Agreement, type Role } from '../db/schema';
import { config } from '../config';
import { sendMail } from '../mail/mailer';
import { getTenant } from '../tenants/tenants';

type Locale = 'fi' | 'sv' | 'en';
export type AgreementStep = 'sent' | 'reminder' | 'tenant_signed' | 'in_force' | 'notice' | 'ended' | 'declined';

/** Active people of one side of the agreement holding any of `roles`. */
function recipients(db: Db, tenantId: string | null, roles: Role[]): { email: string; name: string }[] {
	return db
		.selectDistinct({ email: user.email, name: user.name })
		.from(user)
		.innerJoin(userRole, eq(userRole.userId, user.id))
		.where(and(tenantId ? eq(user.tenantId, tenantId) : isNull(user.tenantId), eq(user.status, 'active'), inArray(userRole.role, roles)))
		.all();
}

/** Who hears about each step: the next signer, or both parties' administrators and signatories. */
function audienceFor(db: Db, step: AgreementStep, tenantId: string) {
	switch (step) {
		case 'sent':
		case 'reminder':
			return recipients(db, tenantId, ['tenant_signatory']);
		case 'tenant_signed':
			return recipients(db, null, ['mc_signatory']);
		case 'declined':
			return recipients(db, null, ['mc_admin']);
		default:
			return [...recipients(db, tenantId, ['tenant_admin', 'tenant_signatory']), ...recipients(db, null, ['mc_admin', 'mc_signatory'])];
	}
}

/**
 * E-mails the people concerned, in the agreement's language. Sent after the change is committed.
 * `note` is the administrator's own message (a campaign's), added below the standard text.
 */
export async function notifyAgreementStep(db: Db, current: Agreement, step: AgreementStep, note = ''): Promise<void> {
	const o = { locale: current.language as Locale };
	const tenantName = getTenant(db, current.tenantId)?.name ?? '';
	const link = `${config.origin}/agreements/${current.id}`;
	const subject = {
		sent: m.mail_agreement_sent_subject,
		reminder: m.mail_agreement_reminder_subject,
		tenant_signed: m.mail_agreement_tenant_signed_subject,
		in_force: m.mail_agreement_in_force_subject,
		notice: m.mail_agreement_notice_subject,
		ended: m.mail_agreement_ended_subject,
		declined: m.mail_agreement_declined_subject
	}[step]({ tenant: tenantName }, o);
	const people = new Map(audienceFor(db, step, current.tenantId).map((p) => [p.email, p]));
	for (const person of people.values()) {
		const standard = m.mail_agreement_body({ name: person.name, subject, link, endDate: current.endDate ?? '-' }, o);
		const body = note ? `${standard}\n\n${note}` : standard;
		await sendMail(db, { to: person.email, subject, body });
	}
}
