import { describe, expect, it } from 'vitest';
import {
	addDays,
	addMonths,
	daysBetween,
	fromHelsinkiWallClock,
	helsinkiOffsetMinutes,
	helsinkiWallClock,
	HOUR_MS,
	startOfHelsinkiDay,
	todayInHelsinki
} from './time';

describe('Helsinki calendar days', () => {
	it('starts a winter day at 22:00 UTC the evening before', () => {
		expect(startOfHelsinkiDay('2026-01-15').toISOString()).toBe('2026-01-14T22:00:00.000Z');
	});
	it('starts a summer day at 21:00 UTC the evening before', () => {
		expect(startOfHelsinkiDay('2026-07-01').toISOString()).toBe('2026-06-30T21:00:00.000Z');
	});
	it('knows the offset on both sides of the spring change', () => {
		expect(helsinkiOffsetMinutes(new Date('2026-03-29T00:59:00Z'))).toBe(120);
		expect(helsinkiOffsetMinutes(new Date('2026-03-29T01:01:00Z'))).toBe(180);
	});
});

describe('todayInHelsinki', () => {
	it('is already tomorrow in Finland late in the UTC evening', () => {
		expect(todayInHelsinki(new Date('2026-11-22T21:59:00Z'))).toBe('2026-11-22');
		expect(todayInHelsinki(new Date('2026-11-22T22:00:00Z'))).toBe('2026-11-23');
		expect(todayInHelsinki(new Date('2026-06-30T21:00:00Z'))).toBe('2026-07-01');
	});
});

describe('addMonths (notice periods, §20)', () => {
	it('is the same day a month later', () => {
		expect(addMonths('2026-11-22', 1)).toBe('2026-12-22');
	});
	it('crosses the year', () => {
		expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
		expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
	});

	it('goes back across years (the demo’s overdue review: 14 months back)', () => {
		expect(addMonths('2026-12-06', -14)).toBe('2025-10-06');
		expect(addMonths('2026-01-31', -1)).toBe('2025-12-31');
		expect(addMonths('2026-03-31', -13)).toBe('2025-02-28');
	});
	it('falls on the last day of a shorter month, leap years included', () => {
		expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
		expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
		expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
	});
	it('follows a longer notice period recorded on the agreement', () => {
		expect(addMonths('2026-05-10', 6)).toBe('2026-11-10');
		expect(addMonths('2026-05-10', 12)).toBe('2027-05-10');
	});
});

describe('day arithmetic', () => {
	it('steps over month and year ends and back', () => {
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
	});
	it('counts whole days either way, also across a daylight-saving change', () => {
		expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
		expect(daysBetween('2026-01-10', '2026-01-01')).toBe(-9);
	});
});

describe('fromHelsinkiWallClock', () => {
	it('reads a datetime-local value as Helsinki time, winter and summer', () => {
		expect(fromHelsinkiWallClock('2026-01-12T10:15')?.toISOString()).toBe('2026-01-12T08:15:00.000Z');
		expect(fromHelsinkiWallClock('2026-07-01T10:15')?.toISOString()).toBe('2026-07-01T07:15:00.000Z');
	});

	it('takes the earlier of the doubled autumn hour and moves a skipped spring time forward', () => {
		expect(fromHelsinkiWallClock('2026-10-25T03:30')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
		expect(fromHelsinkiWallClock('2026-03-29T03:30')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
		expect(helsinkiWallClock(fromHelsinkiWallClock('2026-03-29T03:30')!)).toBe('2026-03-29T04:30');
	});

	it('round-trips every hour across both change days', () => {
		for (const day of ['2026-03-28', '2026-10-24']) {
			const start = fromHelsinkiWallClock(`${day}T00:00`)!.getTime();
			for (let h = 0; h < 72; h++) {
				const instant = new Date(start + h * HOUR_MS);
				const back = fromHelsinkiWallClock(helsinkiWallClock(instant))!;
				// The second of the doubled autumn hours reads back as the first; every other hour exactly.
				expect([0, HOUR_MS]).toContain(instant.getTime() - back.getTime());
			}
		}
	});

	it('refuses what is not a wall-clock time', () => {
		expect(fromHelsinkiWallClock('')).toBeNull();
		expect(fromHelsinkiWallClock('2026-02-30T10:00')).toBeNull();
		expect(fromHelsinkiWallClock('2026-01-12T24:00')).toBeNull();
		expect(fromHelsinkiWallClock('2026-01-12 10:00')).toBeNull();
		expect(fromHelsinkiWallClock('2026-01-12T10:00:00Z')).toBeNull();
	});
});
