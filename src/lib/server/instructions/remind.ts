import { and, eq, gt, inArray, like } from 'drizzle-orm';
import * as m from '../../paraglide/messages.js';
import type { Db, DbOrTx } from '../db';
import { notification, reminderLog, user, type PendingEffect } from '../db/schema';
import { audit, type Actor } from '../actor';
import { config } from '../config';
import { recordEffect } from '../effects/effects';
import { sendMail } from '../mail/mailer';
import { notify } from '../notifications/notifications';
import { HOUR_MS } from '../../time';
import { baselineVersion, coverageByTenant, currentVersion, getInstruction, lastAcknowledged } from './instructions';

/** The same window as the tenant list's reminder (bulk/tenant-reminders.ts), for the same reasons. */
export const INSTRUCTION_REMINDER_WINDOW_MS = 24 * HOUR_MS;
export const INSTRUCTION_REMINDER_MAIL = 'instruction.reminder_mail';

const keyPrefix = (instructionId: string) => `instruction-reminder:${instructionId}:`;

export interface PendingReminders {
	/** People who have not acknowledged the current version and were not reminded of it within the window. */
	toRemind: { tenantId: string; userId: string }[];
	/** People who have not acknowledged, but were reminded within the window. */
	recentlyReminded: number;
}

/** Who a reminder would reach now; nothing is written. */
export function planAcknowledgementReminders(db: DbOrTx, instructionId: string, now = new Date()): PendingReminders {
	const item = getInstruction(db, instructionId);
	const current = item && !item.archivedAt && item.requiresAck ? currentVersion(db, item.id) : undefined;
	if (!item || !current) return { toRemind: [], recentlyReminded: 0 };
	const pending = coverageByTenant(db, item).flatMap((t) =>
		t.people.filter((p) => !p.current).map((p) => ({ tenantId: t.tenantId, userId: p.userId }))
	);
	const recent = new Set(
		pending.length
			? db
					.selectDistinct({ subjectId: reminderLog.subjectId })
					.from(reminderLog)
					.where(
						and(
							inArray(
								reminderLog.subjectId,
								pending.map((p) => p.userId)
							),
							like(reminderLog.reminderKey, `${keyPrefix(item.id)}%`),
							gt(reminderLog.sentAt, new Date(now.getTime() - INSTRUCTION_REMINDER_WINDOW_MS))
						)
					)
					.all()
					.map((r) => r.subjectId)
			: []
	);
	return { toRemind: pending.filter((p) => !recent.has(p.userId)), recentlyReminded: pending.filter((p) => recent.has(p.userId)).length };
}

/**
 * The coverage report's bulk action: everyone the instruction reaches who has not acknowledged its
 * current version, and was not reminded of it within the window, gets a reminder now: in the inbox,
 * and by a mail recorded as an effect and sent after the commit. One audit entry per person reminded.
 * The inbox entry counts as mailed, so the daily digest does not send the same reminder again.
 */
export function remindPendingAcknowledgements(
	db: Db,
	actor: Actor,
	instructionId: string,
	now = new Date()
): { reminded: number; recentlyReminded: number } {
	return db.transaction((tx) => {
		const plan = planAcknowledgementReminders(tx, instructionId, now);
		const current = currentVersion(tx, instructionId);
		if (!current || plan.toRemind.length === 0) return { reminded: 0, recentlyReminded: plan.recentlyReminded };
		for (const person of plan.toRemind) {
			notify(
				tx,
				[person.userId],
				'instruction_pending',
				{ titleFi: current.titleFi, titleSv: current.titleSv, titleEn: current.titleEn ?? '' },
				`/my-instructions/${instructionId}`,
				now
			);
			tx.insert(reminderLog)
				.values({ subjectId: person.userId, reminderKey: `${keyPrefix(instructionId)}${now.toISOString()}`, sentAt: now })
				.run();
			recordEffect(tx, { kind: INSTRUCTION_REMINDER_MAIL, subjectId: person.userId, payload: { instructionId } });
			audit(tx, actor, {
				tenantId: person.tenantId,
				action: 'instruction.remind',
				targetType: 'user',
				targetId: person.userId,
				summary: `instruction ${instructionId} v${current.version}`
			});
		}
		tx.update(notification)
			.set({ digestedAt: now })
			.where(
				and(
					inArray(
						notification.userId,
						plan.toRemind.map((p) => p.userId)
					),
					eq(notification.kind, 'instruction_pending'),
					eq(notification.createdAt, now)
				)
			)
			.run();
		return { reminded: plan.toRemind.length, recentlyReminded: plan.recentlyReminded };
	});
}

/** The effect's work: the reminder mail to one person, in their language, unless they acknowledged meanwhile. */
export async function sendInstructionReminderMail(db: Db, effect: PendingEffect): Promise<void> {
	const { instructionId } = JSON.parse(effect.payload) as { instructionId: string };
	const person = db.select().from(user).where(eq(user.id, effect.subjectId)).get();
	const current = currentVersion(db, instructionId);
	if (!person || person.status !== 'active' || !current) return;
	// Acknowledged meanwhile: the newest material version (what "current" means on the report) is covered.
	const baseline = baselineVersion(db, instructionId);
	const last = lastAcknowledged(db, person.id, instructionId);
	if (baseline && last && last.version >= baseline.version) return;
	const title = person.locale === 'sv' ? current.titleSv : person.locale === 'en' ? current.titleEn || current.titleFi : current.titleFi;
	const o = { locale: person.locale };
	await sendMail(db, {
		to: person.email,
		subject: m.mail_instruction_reminder_subject({ title }, o),
		body: m.mail_instruction_reminder_body({ name: person.name, title, link: `${config.origin}/my-instructions/${instructionId}` }, o)
	});
}
