import { and, eq, inArray, isNull } from 'drizzle-orm';
import * as m from '../../paraglide/messages.js';
import type { Db } from '../db';
import { user, userRole, type Role, type User } from '../db/schema';
import { config } from '../config';
import { sendMail } from '../mail/mailer';

/** Roles that act for the organisation: granting one is announced to everyone who holds one. */
const OVERSEEING_ROLES: readonly Role[] = ['mc_admin', 'mc_signatory', 'tenant_admin', 'tenant_signatory'];

type Locale = User['locale'];
const ROLE_NAME: Record<Role, (inputs: Record<string, never>, options: { locale: Locale }) => string> = {
	mc_admin: m.role_mc_admin,
	mc_signatory: m.role_mc_signatory,
	mc_cert_admin: m.role_mc_cert_admin,
	tenant_admin: m.role_tenant_admin,
	tenant_signatory: m.role_tenant_signatory,
	tenant_staff: m.role_tenant_staff
};

export function overseeingRoles(roles: readonly Role[]): Role[] {
	return roles.filter((role) => OVERSEEING_ROLES.includes(role));
}

/** The active administrators and signatories of the organisation (`tenantId` null: the main connector). */
export function overseersOf(db: Db, tenantId: string | null): User[] {
	return db
		.selectDistinct({ user })
		.from(user)
		.innerJoin(userRole, eq(userRole.userId, user.id))
		.where(
			and(
				tenantId === null ? isNull(user.tenantId) : eq(user.tenantId, tenantId),
				eq(user.status, 'active'),
				inArray(userRole.role, [...OVERSEEING_ROLES])
			)
		)
		.all()
		.map((row) => row.user);
}

/**
 * Tells every administrator and signatory of the person's organisation, each in their own
 * language, that someone was given a role that acts for it, so a grant none of them expected is
 * noticed. Sent after the grant is committed; does nothing when no such role was granted.
 */
export async function sendRoleGrantNotices(
	db: Db,
	grantee: Pick<User, 'name' | 'email' | 'tenantId'>,
	granted: readonly Role[],
	grantedBy: string
): Promise<void> {
	const roles = overseeingRoles(granted);
	if (roles.length === 0) return;
	for (const recipient of overseersOf(db, grantee.tenantId)) {
		const o = { locale: recipient.locale };
		await sendMail(db, {
			to: recipient.email,
			subject: m.mail_role_grant_subject({}, o),
			body: m.mail_role_grant_body(
				{
					name: recipient.name,
					person: `${grantee.name} <${grantee.email}>`,
					roles: roles.map((role) => ROLE_NAME[role]({}, o)).join(', '),
					by: grantedBy,
					link: `${config.origin}/audit`
				},
				o
			)
		});
	}
}
