import type { Db } from '../db';
import { runEffects, type EffectHandler, type EffectRun } from '../effects/effects';
import { INSTRUCTION_REMINDER_MAIL, sendInstructionReminderMail } from '../instructions/remind';
import { sendTenantReminderMail, TENANT_REMINDER_MAIL } from './tenant-reminders';

/** The mails of the bulk reminders, recorded in the reminding transaction and sent after it. */
const handlers: Record<string, EffectHandler> = {
	[TENANT_REMINDER_MAIL]: sendTenantReminderMail,
	[INSTRUCTION_REMINDER_MAIL]: sendInstructionReminderMail
};

/**
 * Sends the reminder mails still waiting: right after a bulk reminder (not awaited by the page, so
 * a thousand mails never hold the request) and from the scheduler, which retries those that failed.
 */
export function carryOutReminderMail(db: Db, now = new Date()): Promise<EffectRun> {
	return runEffects(db, handlers, { now, kinds: Object.keys(handlers) });
}
