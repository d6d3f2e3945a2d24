/**
 * The clock of a suspected personal data breach (agreement §4, GDPR art. 33): the controller has
 * 72 hours from the moment the breach was noticed to decide whether the Data Protection Ombudsman
 * must be notified. The hours are real elapsed hours, so a daylight-saving change in between moves
 * the Helsinki wall-clock deadline by an hour but never the instant.
 */
import { helsinkiOffsetMinutes } from '../time';
import { timeUntil, type TimeLeft } from '../../incidents/countdown';

export type { TimeLeft };

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

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

const wallClockFormat = new Intl.DateTimeFormat('en-CA', {
	timeZone: 'Europe/Helsinki',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

/** The instant as a Helsinki wall clock, `YYYY-MM-DDTHH:mm` (the value of a datetime-local input). */
export function helsinkiWallClock(instant: Date): string {
	const part = Object.fromEntries(wallClockFormat.formatToParts(instant).map((p) => [p.type, p.value]));
	return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}`;
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * A Helsinki wall-clock time (`YYYY-MM-DDTHH:mm`) as an instant; null when malformed. In the
 * autumn hour that happens twice the earlier one is meant (summer time); a time skipped in spring
 * is read with the winter offset, i.e. an hour later on the clock, as a clock would have shown it.
 */
export function fromHelsinkiWallClock(value: string): Date | null {
	const match = WALL_CLOCK.exec(value);
	if (!match) return null;
	const [year, month, day, hour, minute] = match.slice(1).map(Number);
	const asUtc = Date.UTC(year, month - 1, day, hour, minute);
	const check = new Date(asUtc);
	if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
	// The offsets in force around that day: the same on both sides except on a change day.
	const offsets = [...new Set([helsinkiOffsetMinutes(new Date(asUtc - 12 * HOUR_MS)), helsinkiOffsetMinutes(new Date(asUtc + 12 * HOUR_MS))])].sort((a, b) => b - a);
	for (const offset of offsets) {
		const instant = new Date(asUtc - offset * MINUTE_MS);
		if (helsinkiOffsetMinutes(instant) === offset) return instant;
	}
	return new Date(asUtc - Math.min(...offsets) * MINUTE_MS);
}
