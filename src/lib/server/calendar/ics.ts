import ical, { escape as escapeText, ICalAlarmRelatesTo, ICalAlarmType, ICalCalendarMethod, ICalEventTransparency } from 'ical-generator';

export interface CalendarEvent {
	/** Stable across regenerations (e.g. `cert-expiry-<certId>@liitos`) so clients update instead of duplicating. */
	uid: string;
	/** YYYY-MM-DD: an all-day event on that Finnish calendar day. */
	date: string;
	summary: string;
	description?: string;
	/** Absolute http(s) link into the portal. */
	url?: string;
	/** Display alarms at 09:00 this many days before the date (0 = on the day itself). */
	alarmDaysBefore?: number[];
	categories?: string[];
}

export interface BuildCalendarInput {
	name: string;
	description?: string;
	events: CalendarEvent[];
	/** Used as DTSTAMP; pass it to get byte-identical output for identical input. */
	now?: Date;
}

/** Clients poll subscribed feeds at their own pace; this asks for roughly hourly refreshes. */
const REFRESH_SECONDS = 60 * 60;
const DAY_SECONDS = 24 * 60 * 60;
/** Local time of day at which reminders fire. */
const ALARM_HOUR = 9;
/** Upper bound for a sane reminder; anything larger is almost certainly a unit mistake. */
const MAX_ALARM_DAYS = 366;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Control characters in a UID would break the content line (or inject properties), since
// ical-generator writes the UID verbatim.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Turns a YYYY-MM-DD string into a Date at UTC midnight. ical-generator formats all-day dates of
 * events without a time zone from the UTC fields, so anchoring to UTC keeps the calendar day
 * identical no matter which time zone the server process runs in.
 */
function parseIsoDate(date: string): Date {
	const match = ISO_DATE.exec(date);
	if (!match) throw new RangeError(`Calendar event date must be YYYY-MM-DD, got "${date}"`);
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const result = new Date(Date.UTC(year, month - 1, day));
	// Date.UTC silently rolls 2025-02-30 over to March; reject it instead of moving the event.
	if (result.getUTCFullYear() !== year || result.getUTCMonth() !== month - 1 || result.getUTCDate() !== day) {
		throw new RangeError(`Calendar event date is not a real day: "${date}"`);
	}
	return result;
}

/**
 * ical-generator escapes URL values as TEXT, so a literal comma or semicolon would come out as
 * "\," / "\;", which URI parsers keep as a backslash. Percent-encoding them first means nothing
 * needs escaping and the link survives intact; servers treat the encoded forms the same.
 */
function normaliseUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new RangeError(`Calendar event url must be absolute, got "${url}"`);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new RangeError(`Calendar event url must be http(s), got "${url}"`);
	}
	return parsed.href.replaceAll(',', '%2C').replaceAll(';', '%3B');
}

function normaliseAlarmDays(days: number[] | undefined, uid: string): number[] {
	if (!days) return [];
	for (const d of days) {
		if (!Number.isInteger(d) || d < 0 || d > MAX_ALARM_DAYS) {
			throw new RangeError(`alarmDaysBefore for ${uid} must be whole days 0–${MAX_ALARM_DAYS}, got ${d}`);
		}
	}
	// Duplicates would make the phone ring twice; a fixed order keeps the output stable.
	return [...new Set(days)].sort((a, b) => b - a);
}

/**
 * Seconds before the all-day start (local midnight) at which an alarm `days` ahead fires at
 * 09:00. Negative for days = 0, i.e. 09:00 on the day itself, after the start.
 */
function alarmOffsetSeconds(days: number): number {
	return days * DAY_SECONDS - ALARM_HOUR * 60 * 60;
}

// Plain code-unit comparison rather than localeCompare: the order must not depend on the
// server's ICU data or locale, or the feed would change without its content changing.
function compareEvents(a: CalendarEvent, b: CalendarEvent): number {
	if (a.date !== b.date) return a.date < b.date ? -1 : 1;
	if (a.uid !== b.uid) return a.uid < b.uid ? -1 : 1;
	return 0;
}

/** Renders events as an iCalendar (.ics) feed for calendar subscriptions. */
export function buildCalendar(input: BuildCalendarInput): string {
	const stamp = input.now ?? new Date();
	if (Number.isNaN(stamp.getTime())) throw new RangeError('buildCalendar: `now` is an invalid Date');

	const calendar = ical({
		prodId: { company: 'Liitos', product: 'Liitos', language: 'FI' },
		// ical-generator writes NAME / X-WR-CALNAME / X-WR-CALDESC verbatim, unlike event text,
		// so escape here or a comma, semicolon or newline in an organisation name would corrupt the feed.
		name: escapeText(input.name, false),
		description: input.description ? escapeText(input.description, false) : null,
		method: ICalCalendarMethod.PUBLISH,
		scale: 'GREGORIAN',
		ttl: REFRESH_SECONDS
		// Deliberately no calendar time zone: ical-generator would then print DTSTAMP in the
		// server's local time without "Z". All-day dates need no zone at all.
	});

	const seenUids = new Set<string>();
	for (const event of [...input.events].sort(compareEvents)) {
		if (!event.uid || CONTROL_CHARS.test(event.uid)) {
			throw new RangeError(`Calendar event uid must be non-empty without control characters: "${event.uid}"`);
		}
		// Two VEVENTs sharing a UID (without RECURRENCE-ID) are the same event to a client, which
		// then keeps an arbitrary one; better to fail loudly at the source.
		if (seenUids.has(event.uid)) throw new RangeError(`Duplicate calendar event uid: ${event.uid}`);
		seenUids.add(event.uid);

		const start = parseIsoDate(event.date);
		const created = calendar.createEvent({
			id: event.uid,
			allDay: true,
			start,
			// DTEND is exclusive; spelling out the one-day length avoids clients that guess
			// differently when it is missing.
			end: new Date(start.getTime() + DAY_SECONDS * 1000),
			stamp,
			summary: event.summary,
			description: event.description ?? null,
			url: event.url ? normaliseUrl(event.url) : null,
			// These are deadlines and reminders, not appointments: they should not mark the
			// user as busy for the whole day.
			transparency: ICalEventTransparency.TRANSPARENT,
			categories: (event.categories ?? []).filter((c) => c.length > 0).map((name) => ({ name }))
		});

		// Alarms are relative to the all-day start rather than absolute DATE-TIME triggers.
		// An all-day DTSTART is floating (midnight wherever the viewer is), so "-P6DT15H" means
		// "7 days before, at 09:00 local time", i.e. 09:00 Helsinki time for Finnish users. This
		// is the form Apple Calendar itself writes for all-day reminders and the one clients
		// handle most consistently, whereas absolute triggers are ignored by some clients and
		// go stale if the event date changes. (Google ignores alarms in subscribed
		// feeds either way and uses the user's own notification settings.)
		for (const days of normaliseAlarmDays(event.alarmDaysBefore, event.uid)) {
			created
				.createAlarm({ type: ICalAlarmType.display, trigger: alarmOffsetSeconds(days) })
				// Without this ical-generator anchors offsets after the start (the day-0 alarm)
				// to the END of the event, i.e. the next midnight. Set via the setter because the
				// createAlarm() constructor ignores a `relatesTo` option (ical-generator 10.2).
				.relatesTo(ICalAlarmRelatesTo.start);
		}
	}

	return calendar.toString();
}
