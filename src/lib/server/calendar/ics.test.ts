import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCalendar, type CalendarEvent } from './ics';

const NOW = new Date('2025-01-15T10:20:30Z');
const TRICKY_DESCRIPTION = 'Ä, ö; and a\nnew line';

const EVENTS: CalendarEvent[] = [
	{
		uid: 'cert-expiry-2@liitos',
		date: '2025-06-30',
		summary: 'Hygieniapassi vanhenee: Åsa Öberg',
		description: TRICKY_DESCRIPTION,
		url: 'https://liitos.example/people/42/certificates',
		alarmDaysBefore: [7, 1],
		categories: ['Sertifikaatit', 'Henkilöstö']
	},
	{ uid: 'agreement-end-9@liitos', date: '2025-12-31', summary: 'Sopimus päättyy' },
	{ uid: 'cert-expiry-1@liitos', date: '2025-03-01', summary: 'Tulityökortti vanhenee' }
];

function parse(ics: string): ICAL.Component {
	return new ICAL.Component(ICAL.parse(ics));
}

function eventsOf(ics: string): ICAL.Component[] {
	return parse(ics).getAllSubcomponents('vevent');
}

function text(component: ICAL.Component, property: string): string | null {
	const value = component.getFirstPropertyValue(property);
	return value === null ? null : String(value);
}

function time(component: ICAL.Component, property: string): ICAL.Time {
	const value = component.getFirstPropertyValue(property);
	if (!(value instanceof ICAL.Time)) throw new Error(`${property} is not a date/time`);
	return value;
}

function trigger(alarm: ICAL.Component): { seconds: number; related: string | null } {
	const prop = alarm.getFirstProperty('trigger');
	const value = prop?.getFirstValue();
	if (!(value instanceof ICAL.Duration)) throw new Error('trigger is not a duration');
	const related = prop?.getParameter('related');
	return { seconds: value.toSeconds(), related: typeof related === 'string' ? related : null };
}

function byUid(ics: string, uid: string): ICAL.Component {
	const found = eventsOf(ics).find((e) => text(e, 'uid') === uid);
	if (!found) throw new Error(`no event ${uid}`);
	return found;
}

const DAY = 24 * 60 * 60;
const HOUR = 60 * 60;

describe('buildCalendar', () => {
	const ics = buildCalendar({ name: 'Liitos – Testi Oy', description: 'Määräajat', events: EVENTS, now: NOW });

	it('sets calendar-level properties: PRODID, name, description, refresh hint', () => {
		const cal = parse(ics);
		expect(text(cal, 'prodid')).toMatch(/Liitos/);
		expect(text(cal, 'version')).toBe('2.0');
		expect(text(cal, 'x-wr-calname')).toBe('Liitos – Testi Oy');
		expect(text(cal, 'x-wr-caldesc')).toBe('Määräajat');
		expect(ics).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
		expect(ics).toContain('\r\nX-PUBLISHED-TTL:PT1H\r\n');
	});

	it('round-trips UIDs, summaries and all-day start dates', () => {
		const events = eventsOf(ics);
		expect(events).toHaveLength(3);
		expect(events.map((e) => text(e, 'uid'))).toEqual(['cert-expiry-1@liitos', 'cert-expiry-2@liitos', 'agreement-end-9@liitos']);
		expect(events.map((e) => text(e, 'summary'))).toEqual([
			'Tulityökortti vanhenee',
			'Hygieniapassi vanhenee: Åsa Öberg',
			'Sopimus päättyy'
		]);
		for (const e of events) {
			expect(time(e, 'dtstart').isDate).toBe(true);
			expect(time(e, 'dtend').isDate).toBe(true);
		}
		expect(events.map((e) => time(e, 'dtstart').toString())).toEqual(['2025-03-01', '2025-06-30', '2025-12-31']);
		// DTEND is exclusive: a one-day event ends at the start of the next day.
		expect(events.map((e) => time(e, 'dtend').toString())).toEqual(['2025-03-02', '2025-07-01', '2026-01-01']);
	});

	it('writes DTSTAMP from `now` in UTC', () => {
		for (const e of eventsOf(ics)) {
			const stamp = time(e, 'dtstamp');
			expect(stamp.zone?.tzid).toBe('UTC');
			expect(stamp.toJSDate().toISOString()).toBe('2025-01-15T10:20:30.000Z');
		}
	});

	it('round-trips description with Nordic letters, comma, semicolon and newline exactly', () => {
		const e = byUid(ics, 'cert-expiry-2@liitos');
		expect(text(e, 'description')).toBe(TRICKY_DESCRIPTION);
		// The raw text must be escaped, not merely survive by luck.
		expect(ics).toContain('DESCRIPTION:Ä\\, ö\\; and a\\nnew line');
	});

	it('includes URL and categories', () => {
		const e = byUid(ics, 'cert-expiry-2@liitos');
		expect(text(e, 'url')).toBe('https://liitos.example/people/42/certificates');
		expect(e.getFirstProperty('categories')?.getValues()).toEqual(['Sertifikaatit', 'Henkilöstö']);
		expect(byUid(ics, 'agreement-end-9@liitos').hasProperty('url')).toBe(false);
	});

	it('adds display alarms 7 and 1 days before, at 09:00 relative to the all-day start', () => {
		const alarms = byUid(ics, 'cert-expiry-2@liitos').getAllSubcomponents('valarm');
		expect(alarms).toHaveLength(2);
		expect(alarms.map((a) => text(a, 'action'))).toEqual(['DISPLAY', 'DISPLAY']);
		// Display alarms require a DESCRIPTION (RFC 5545 §3.6.6).
		expect(alarms.every((a) => (text(a, 'description') ?? '').length > 0)).toBe(true);
		const triggers = alarms.map(trigger);
		expect(triggers.map((t) => t.seconds)).toEqual([-(7 * DAY - 9 * HOUR), -(1 * DAY - 9 * HOUR)]);
		expect(triggers.every((t) => t.related === null || t.related === 'START')).toBe(true);
		expect(ics).toContain(':-P6DT15H\r\n');
		expect(ics).toContain(':-PT15H\r\n');
		expect(byUid(ics, 'agreement-end-9@liitos').getAllSubcomponents('valarm')).toHaveLength(0);
	});

	it('gives identical text for identical input, regardless of input order', () => {
		const again = buildCalendar({ name: 'Liitos – Testi Oy', description: 'Määräajat', events: EVENTS, now: NOW });
		const reversed = buildCalendar({
			name: 'Liitos – Testi Oy',
			description: 'Määräajat',
			events: [...EVENTS].reverse(),
			now: NOW
		});
		expect(again).toBe(ics);
		expect(reversed).toBe(ics);
	});

	it('does not reorder the caller’s array', () => {
		const events = [...EVENTS];
		buildCalendar({ name: 'x', events, now: NOW });
		expect(events).toEqual(EVENTS);
	});
});

describe('buildCalendar ordering', () => {
	it('sorts by date, then by uid', () => {
		const ics = buildCalendar({
			name: 'Järjestys',
			now: NOW,
			events: [
				{ uid: 'c@liitos', date: '2025-05-02', summary: 'C' },
				{ uid: 'b@liitos', date: '2025-05-01', summary: 'B' },
				{ uid: 'z@liitos', date: '2024-12-31', summary: 'Z' },
				{ uid: 'a@liitos', date: '2025-05-01', summary: 'A' }
			]
		});
		expect(eventsOf(ics).map((e) => text(e, 'uid'))).toEqual(['z@liitos', 'a@liitos', 'b@liitos', 'c@liitos']);
	});
});

describe('buildCalendar empty calendar', () => {
	it('is still a valid calendar with a name and no events', () => {
		const ics = buildCalendar({ name: 'Tyhjä', events: [], now: NOW });
		const cal = parse(ics);
		expect(cal.name).toBe('vcalendar');
		expect(cal.getAllSubcomponents('vevent')).toHaveLength(0);
		expect(text(cal, 'x-wr-calname')).toBe('Tyhjä');
		expect(text(cal, 'prodid')).toMatch(/Liitos/);
		expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
		expect(ics.endsWith('END:VCALENDAR')).toBe(true);
	});
});

describe('buildCalendar edge cases', () => {
	const originalTz = process.env.TZ;
	afterEach(() => {
		if (originalTz === undefined) delete process.env.TZ;
		else process.env.TZ = originalTz;
	});

	it('keeps the calendar day whatever time zone the server runs in', () => {
		const event: CalendarEvent = { uid: 'tz@liitos', date: '2025-03-30', summary: 'DST-päivä' };
		const outputs = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Helsinki', 'UTC'].map((tz) => {
			process.env.TZ = tz;
			return buildCalendar({ name: 'TZ', events: [event], now: NOW });
		});
		expect(new Set(outputs).size).toBe(1);
		expect(time(byUid(outputs[0], 'tz@liitos'), 'dtstart').toString()).toBe('2025-03-30');
	});

	it('escapes commas, semicolons and newlines in the calendar name', () => {
		const name = 'Oy Ab, Kala; Ranta\nOsasto';
		const ics = buildCalendar({ name, description: 'a, b; c', events: [], now: NOW });
		const cal = parse(ics);
		// ical.js has no type for X-WR-* and hands back the raw value, so compare the TEXT-escaped
		// wire form; calendar apps unescape it as TEXT.
		expect(text(cal, 'x-wr-calname')).toBe('Oy Ab\\, Kala\\; Ranta\\nOsasto');
		expect(text(cal, 'x-wr-caldesc')).toBe('a\\, b\\; c');
		// The newline must not start a new content line (no property injection).
		expect(cal.getAllProperties().map((p) => p.name)).not.toContain('osasto');
		expect(ics).not.toMatch(/\r\nOsasto/);
	});

	it('escapes commas inside category names so they stay one category', () => {
		const ics = buildCalendar({
			name: 'x',
			now: NOW,
			events: [{ uid: 'c@liitos', date: '2025-01-01', summary: 's', categories: ['Kurssit, koulutus', 'Muut'] }]
		});
		expect(byUid(ics, 'c@liitos').getFirstProperty('categories')?.getValues()).toEqual(['Kurssit, koulutus', 'Muut']);
	});

	it('keeps URLs with commas and semicolons usable (percent-encoded, no backslashes)', () => {
		const ics = buildCalendar({
			name: 'x',
			now: NOW,
			events: [{ uid: 'u@liitos', date: '2025-01-01', summary: 's', url: 'https://liitos.example/a?ids=1,2;x=3' }]
		});
		expect(text(byUid(ics, 'u@liitos'), 'url')).toBe('https://liitos.example/a?ids=1%2C2%3Bx=3');
	});

	it('puts a same-day alarm at 09:00 on the day, related to the start (not the end)', () => {
		const ics = buildCalendar({
			name: 'x',
			now: NOW,
			events: [{ uid: 'd0@liitos', date: '2025-01-01', summary: 's', alarmDaysBefore: [0, 1, 1] }]
		});
		const triggers = byUid(ics, 'd0@liitos').getAllSubcomponents('valarm').map(trigger);
		// Duplicates collapse; larger lead times come first.
		expect(triggers).toEqual([
			{ seconds: -(DAY - 9 * HOUR), related: 'START' },
			{ seconds: 9 * HOUR, related: 'START' }
		]);
	});

	it('uses the current time for DTSTAMP when `now` is omitted', () => {
		const before = Math.floor(Date.now() / 1000) * 1000;
		const ics = buildCalendar({ name: 'x', events: [{ uid: 'n@liitos', date: '2025-01-01', summary: 's' }] });
		const stamp = time(byUid(ics, 'n@liitos'), 'dtstamp').toJSDate().getTime();
		expect(stamp).toBeGreaterThanOrEqual(before);
		expect(stamp).toBeLessThanOrEqual(Date.now());
	});

	it.each([
		['not ISO', { date: '1.3.2025' }],
		['impossible day', { date: '2025-02-30' }],
		['relative url', { url: '/people/1' }],
		['non-http url', { url: 'javascript:alert(1)' }],
		['negative alarm', { alarmDaysBefore: [-1] }],
		['fractional alarm', { alarmDaysBefore: [1.5] }],
		['empty uid', { uid: '' }],
		['uid with newline', { uid: 'a\r\nX-EVIL:1' }]
	] satisfies [string, Partial<CalendarEvent>][])('rejects %s', (_label, override) => {
		const event: CalendarEvent = { uid: 'bad@liitos', date: '2025-01-01', summary: 's', ...override };
		expect(() => buildCalendar({ name: 'x', events: [event], now: NOW })).toThrow(RangeError);
	});

	it('rejects duplicate UIDs, which clients would silently merge', () => {
		const event: CalendarEvent = { uid: 'dup@liitos', date: '2025-01-01', summary: 's' };
		expect(() => buildCalendar({ name: 'x', events: [event, { ...event, date: '2025-02-01' }], now: NOW })).toThrow(/Duplicate/);
	});
});
