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
	return new Date(utcMidnight.getTime() - helsinkiOffsetMinutes(utcMidnight) * 60_000);
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Finland (YYYY-MM-DD): deadlines and notice periods run on Finnish calendar days. */
export function todayInHelsinki(now = new Date()): string {
	return dayFormat.format(now);
}
