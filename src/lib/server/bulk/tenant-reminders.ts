import { and, asc, eq, gt, inArray, like } from 'drizzle-orm';
import * as m from '../../paraglide/messages.js';
import type { Db, DbOrTx } from '../db';
import { agreement, checklistItem, prerequisiteType, reminderLog, tenant, user, type PendingEffect } from '../db/schema';
import { auditor, type Actor } from '../actor';
import { config } from '../config';
import { recordEffect } from '../effects/effects';
import { sendMail } from '../mail/mailer';
import { activePeopleWithRoles } from '../notifications/notifications';
import { HOUR_MS } from '../../time';
import type { SelectedTenant } from './tenant-selection';

/**
 * A tenant reminded from the list is not reminded again from it for a day. The mail lists what is
 * open, which changes over days, not minutes: a second reminder within the day would only repeat
 * the first, whether it came from a double submit or from two administrators working the same list.
 * A day also matches the daily digest, so a tenant's administrators hear from Liitos at most about
 * once a day for the same things.
 */
export const TENANT_REMINDER_WINDOW_MS = 24 * HOUR_MS;

export const TENANT_REMINDER_MAIL = 'tenant.reminder_mail';

const REMINDER_KEY = 'tenant-reminder:';
const OPEN_STATUSES = ['not_started', 'in_progress', 'returned', 'expired'] as const;

/** Who would be reminded, and why the others would not. */
export interface TenantReminderPlan {
	toRemind: { tenantId: string; recipients: string[] }[];
	recentlyReminded: string[];
	noRecipients: string[];
	nothingOpen: string[];
	archived: string[];
}

/** Tenants among `ids` with a tenant-side checklist item open or an agreement waiting for their signature. */
function tenantsWithSomethingOpen(tx: DbOrTx, ids: string[]): Set<string> {
	if (ids.length === 0) return new Set();
	const items = tx
		.selectDistinct({ tenantId: checklistItem.tenantId })
		.from(checklistItem)
		.innerJoin(prerequisiteType, eq(prerequisiteType.id, checklistItem.typeId))
		.where(
			and(
				inArray(checklistItem.tenantId, ids),
				inArray(checklistItem.status, [...OPEN_STATUSES]),
				eq(prerequisiteType.responsibleParty, 'tenant'),
				eq(prerequisiteType.active, true)
			)
		)
		.all();
	const agreements = tx
		.selectDistinct({ tenantId: agreement.tenantId })
		.from(agreement)
		.where(and(inArray(agreement.tenantId, ids), eq(agreement.status, 'awaiting_tenant_signature')))
		.all();
	return new Set([...items, ...agreements].map((r) => r.tenantId));
}

/** Tenants among `ids` reminded from the list within the window before `now`. */
function recentlyRemindedTenants(tx: DbOrTx, ids: string[], now: Date): Set<string> {
	if (ids.length === 0) return new Set();
	const rows = tx
		.selectDistinct({ subjectId: reminderLog.subjectId })
		.from(reminderLog)
		.where(
			and(
				inArray(reminderLog.subjectId, ids),
				like(reminderLog.reminderKey, `${REMINDER_KEY}%`),
				gt(reminderLog.sentAt, new Date(now.getTime() - TENANT_REMINDER_WINDOW_MS))
			)
		)
		.all();
	return new Set(rows.map((r) => r.subjectId));
}

/** What a reminder to `tenants` would do now; nothing is written. */
export function planTenantReminders(db: DbOrTx, tenants: SelectedTenant[], now = new Date()): TenantReminderPlan {
	const plan: TenantReminderPlan = { toRemind: [], recentlyReminded: [], noRecipients: [], nothingOpen: [], archived: [] };
	const current = tenants.filter((t) => !t.archived);
	plan.archived = tenants.filter((t) => t.archived).map((t) => t.id);
	const ids = current.map((t) => t.id);
	const recent = recentlyRemindedTenants(db, ids, now);
	const open = tenantsWithSomethingOpen(db, ids);
	for (const { id } of current) {
		if (recent.has(id)) plan.recentlyReminded.push(id);
		else if (!open.has(id)) plan.nothingOpen.push(id);
		else {
			const recipients = activePeopleWithRoles(db, id, ['tenant_admin']);
			if (recipients.length === 0) plan.noRecipients.push(id);
			else plan.toRemind.push({ tenantId: id, recipients });
		}
	}
	return plan;
}

/**
 * Reminds each tenant's administrators of what is open for the tenant. In one transaction: the
 * throttle's claim, one audit entry per tenant reminded, and one mail per administrator recorded as
 * an effect, sent only after the commit (see `carryOutReminderMail`). With `confirmed`, the number
 * the administrator was shown, nothing is done when the reminder would now reach a different number
 * of tenants (`changed`): they are asked again.
 */
export function remindTenants(
	db: Db,
	actor: Actor,
	tenants: SelectedTenant[],
	now = new Date(),
	confirmed?: number
): { changed: boolean; plan: TenantReminderPlan } {
	return db.transaction((tx) => {
		const plan = planTenantReminders(tx, tenants, now);
		if (confirmed !== undefined && confirmed !== plan.toRemind.length) return { changed: true, plan };
		const audit = auditor(tx);
		for (const { tenantId, recipients } of plan.toRemind) {
			tx.insert(reminderLog)
				.values({ subjectId: tenantId, reminderKey: `${REMINDER_KEY}${now.toISOString()}`, sentAt: now })
				.run();
			for (const userId of recipients) recordEffect(tx, { kind: TENANT_REMINDER_MAIL, subjectId: tenantId, payload: { userId } });
			audit(actor, {
				tenantId,
				action: 'tenant.remind',
				targetType: 'tenant',
				targetId: tenantId,
				summary: `reminder to ${recipients.length} administrator(s)`
			});
		}
		return { changed: false, plan };
	});
}

type Locale = 'fi' | 'sv' | 'en';

/** The lines of the reminder: what is open now, in the reader's language. */
function openLines(db: DbOrTx, tenantId: string, locale: Locale): string[] {
	const o = { locale };
	const items = db
		.select({
			nameFi: prerequisiteType.nameFi,
			nameSv: prerequisiteType.nameSv,
			nameEn: prerequisiteType.nameEn,
			dueDate: checklistItem.dueDate
		})
		.from(checklistItem)
		.innerJoin(prerequisiteType, eq(prerequisiteType.id, checklistItem.typeId))
		.where(
			and(
				eq(checklistItem.tenantId, tenantId),
				inArray(checklistItem.status, [...OPEN_STATUSES]),
				eq(prerequisiteType.responsibleParty, 'tenant'),
				eq(prerequisiteType.active, true)
			)
		)
		.orderBy(asc(prerequisiteType.sortOrder), asc(prerequisiteType.code))
		.all();
	const lines = items.map((i) => {
		const name = locale === 'sv' ? i.nameSv : locale === 'en' ? i.nameEn : i.nameFi;
		return `- ${i.dueDate ? m.mail_tenant_reminder_item_due({ item: name, date: i.dueDate }, o) : name}`;
	});
	const waiting = db
		.select({ id: agreement.id })
		.from(agreement)
		.where(and(eq(agreement.tenantId, tenantId), eq(agreement.status, 'awaiting_tenant_signature')))
		.all();
	for (const a of waiting) lines.push(`- ${m.mail_tenant_reminder_agreement({}, o)}: ${config.origin}/agreements/${a.id}`);
	return lines;
}

/**
 * The effect's work: one mail to one administrator, written when it is sent (so it lists what is
 * open then). Someone no longer active or no longer the tenant's gets nothing.
 */
export async function sendTenantReminderMail(db: Db, effect: PendingEffect): Promise<void> {
	const { userId } = JSON.parse(effect.payload) as { userId: string };
	const person = db.select().from(user).where(eq(user.id, userId)).get();
	const current = db.select({ name: tenant.name }).from(tenant).where(eq(tenant.id, effect.subjectId)).get();
	if (!person || !current || person.status !== 'active' || person.tenantId !== effect.subjectId) return;
	const o = { locale: person.locale };
	const lines = openLines(db, effect.subjectId, person.locale);
	await sendMail(db, {
		to: person.email,
		subject: m.mail_tenant_reminder_subject({ tenant: current.name }, o),
		body: m.mail_tenant_reminder_body(
			{
				name: person.name,
				tenant: current.name,
				items: lines.length ? lines.join('\n') : m.mail_tenant_reminder_nothing({}, o),
				link: `${config.origin}/tenants/${effect.subjectId}/checklist`
			},
			o
		)
	});
}
