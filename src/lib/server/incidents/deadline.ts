/**
 * The clock of a suspected personal data breach (agreement §4, GDPR art. 33): the controller has
 * 72 hours from the moment the breach was noticed to decide whether the Data Protection Ombudsman
 * must be notified. The hours are real elapsed hours, so a daylight-saving change in between moves
 * the Helsinki wall-clock deadline by an hour but never the instant.
 */
import { HOUR_MS } from '../../time';
import { timeUntil, type TimeLeft } from '../../incidents/countdown';

export type { TimeLeft };

export const DECISION_WINDOW_HOURS = 72;

/** Reminders while no decision is recorded, in hours after noticing; the last leaves six hours. */
export const ESCALATION_STEPS = [24, 48, 66] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];

/** The instant the decision is due: exactly 72 × 3600 s after noticing. */
export function decisionDeadline(noticedAt: Date): Date {
	return new Date(noticedAt.getTime() + DECISION_WINDOW_HOURS * HOUR_MS);
}

/** Whole hours left until the deadline, rounded down; negative once it has passed. */
export function hoursLeft(noticedAt: Date, now: Date): number {
	return Math.floor((decisionDeadline(noticedAt).getTime() - now.getTime()) / HOUR_MS);
}

/** Time left to the deadline for display; the deadline instant itself counts as overdue. */
export function timeLeft(noticedAt: Date, now: Date): TimeLeft {
	return timeUntil(decisionDeadline(noticedAt), now);
}

/** Every escalation step reached by `now`, earliest first. */
export function escalationStepsReached(noticedAt: Date, now: Date): EscalationStep[] {
	const elapsed = now.getTime() - noticedAt.getTime();
	return ESCALATION_STEPS.filter((step) => elapsed >= step * HOUR_MS);
}

/** The latest escalation step reached by `now`, or null before the first (24 h). */
export function escalationStepDue(noticedAt: Date, now: Date): EscalationStep | null {
	return escalationStepsReached(noticedAt, now).at(-1) ?? null;
}
