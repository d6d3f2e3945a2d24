import { and, inArray, isNull } from 'drizzle-orm';
import type { Db } from './db';
import { tenant } from './db/schema';
import { SYSTEM_ACTOR } from './actor';
import { runAgreementSweep } from './agreements/agreements';
import { carryOutAgreementFollowUp } from './agreements/follow-up';
import type { EffectRun } from './effects/effects';
import { expireDueItems, refreshReadiness } from './prerequisites/checklist';
import { scanAcknowledgementReminders } from './instructions/instructions';
import { scanTrainingReminders } from './training/training';
import { scanCertificateReminders, scanChecklistReminders, sendDailyDigests } from './reminders/reminders';
import { scanSecurityPlanReviews } from './security-plan/reminders';
import { scanBreachEscalations } from './incidents/decisions';
import { deliverDueWebhooks } from './webhooks/delivery';
import { scanCampaignReminders } from './campaigns/campaigns';
import { sweepExpiredTransactions } from './auth/oidc-transaction';
import { carryOutReminderMail } from './bulk/follow-up';

const HOUR_MS = 60 * 60 * 1000;

export interface JobReport {
	agreementsEnded: number;
	agreementFollowUp: EffectRun;
	reminderMail: EffectRun;
	itemsExpired: number;
	tenantsReady: number;
	certificateReminders: number;
	checklistReminders: number;
	acknowledgementReminders: number;
	trainingReminders: number;
	securityPlanReviews: number;
	breachEscalations: number;
	campaignReminders: number;
	digests: number;
	webhooksSent: number;
	oidcTransactionsSwept: number;
}

/**
 * Everything dates bring, in one pass. All of it acts on state in the database and claims what
 * it sends, so running it twice, or again after a restart, repeats nothing.
 */
export async function runScheduledWork(db: Db, now = new Date()): Promise<JobReport> {
	const { ended, endedAutomatically } = runAgreementSweep(db, now);
	// The seals and mails of agreement steps: those of the sweep above, and any that failed before.
	// Campaign reminders first, so their mails go out with the follow-up below.
	const campaignReminders = scanCampaignReminders(db, now);
	const followUp = await carryOutAgreementFollowUp(db, undefined, now);
	// Bulk reminders' mails that failed when they were first tried.
	const reminderMail = await carryOutReminderMail(db, now);

	const itemsExpired = expireDueItems(db, now).length;
	// Derived items (agreement, certificates) can complete a checklist without anyone touching it.
	const waiting = db
		.select({ id: tenant.id })
		.from(tenant)
		.where(and(isNull(tenant.archivedAt), inArray(tenant.stage, ['invited', 'onboarding', 'agreement_signed'])))
		.all();
	const tenantsReady = waiting.filter(({ id }) => db.transaction((tx) => refreshReadiness(tx, SYSTEM_ACTOR, id, now))).length;

	const certificateReminders = scanCertificateReminders(db, now);
	const checklistReminders = scanChecklistReminders(db, now);
	const acknowledgementReminders = scanAcknowledgementReminders(db, now);
	const trainingReminders = scanTrainingReminders(db, now);
	const securityPlanReviews = scanSecurityPlanReviews(db, now);
	const breachEscalations = await scanBreachEscalations(db, now);
	const digests = await sendDailyDigests(db, now);
	// Webhooks also go out every few seconds from the server (webhooks/delivery.ts); this pass
	// serves installations that run scheduled work from cron only.
	const { sent: webhooksSent } = await deliverDueWebhooks(db, { now: () => now });
	// Sign-ins begun at a provider and never finished (each start also sweeps; this catches the last ones).
	const oidcTransactionsSwept = sweepExpiredTransactions(db, now);
	return {
		agreementsEnded: ended.length + endedAutomatically.length,
		agreementFollowUp: followUp,
		reminderMail,
		itemsExpired,
		tenantsReady,
		certificateReminders,
		checklistReminders,
		acknowledgementReminders,
		trainingReminders,
		securityPlanReviews,
		breachEscalations,
		campaignReminders,
		digests,
		webhooksSent,
		oidcTransactionsSwept
	};
}

let timer: ReturnType<typeof setInterval> | undefined;

/** Hourly inside the server, and once at start-up to catch up on anything missed while it was down. */
export function startScheduler(db: Db): void {
	if (timer) return;
	const run = () => runScheduledWork(db).catch((error) => console.error('scheduled work failed:', error));
	void run();
	timer = setInterval(run, HOUR_MS);
	timer.unref();
}
