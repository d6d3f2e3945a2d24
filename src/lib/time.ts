/**
 * Calendar and clock arithmetic, in Finnish time where a day matters. Shared by the server, the form
 * schemas and the browser: nothing here is secret.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const TIME_ZONE = 'Europe/Helsinki';
const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' });

/** Helsinki's offset from UTC in minutes at `instant` (+120 in winter, +180 in summer). */
export function helsinkiOffsetMinutes(instant: Date): number {
	const name = offsetFormat.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
	const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
	if (!match) return 0;
	return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** The instant a calendar day (YYYY-MM-DD) begins in Finland. DST switches at 03:00/04:00, never at midnight. */
export function startOfHelsinkiDay(isoDate: string): Date {
	const utcMidnight = new Date(`${isoDate}T00:00:00Z`);
	return new Date(utcMidnight.getTime() - helsinkiOffsetMinutes(utcMidnight) * MINUTE_MS);
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Finland (YYYY-MM-DD): deadlines and notice periods run on Finnish calendar days. */
export function todayInHelsinki(now = new Date()): string {
	return dayFormat.format(now);
}

const isoDay = (utcMs: number) => new Date(utcMs).toISOString().slice(0, 10);
const utcMidnight = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);

/** The calendar day `days` after (or before, when negative) an ISO date. */
export function addDays(isoDate: string, days: number): string {
	return isoDay(utcMidnight(isoDate) + days * DAY_MS);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
	return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

/**
 * The same calendar day `months` later, or that month's last day when it is shorter
 * (31 January + 1 month = 28/29 February): notice periods (agreement §20), renewals, validity.
 */
export function addMonths(isoDate: string, months: number): string {
	const [year, month, day] = isoDate.split('-').map(Number);
	const targetMonthIndex = month - 1 + months;
	const targetYear = year + Math.floor(targetMonthIndex / 12);
	// Modulo that stays positive: going back past January (e.g. -14 months) must not give month -2.
	const targetMonth = (((targetMonthIndex % 12) + 12) % 12) + 1;
	const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${targetYear}-${pad(targetMonth)}-${pad(Math.min(day, lastDay))}`;
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
	if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59)
		return null;
	// The offsets in force around that day: the same on both sides except on a change day.
	const offsets = [
		...new Set([helsinkiOffsetMinutes(new Date(asUtc - 12 * HOUR_MS)), helsinkiOffsetMinutes(new Date(asUtc + 12 * HOUR_MS))])
	].sort((a, b) => b - a);
	for (const offset of offsets) {
		const instant = new Date(asUtc - offset * MINUTE_MS);
		if (helsinkiOffsetMinutes(instant) === offset) return instant;
	}
	return new Date(asUtc - Math.min(...offsets) * MINUTE_MS);
}
