import { describe, expect, it } from 'vitest';
import { fromHelsinkiWallClock, helsinkiWallClock } from '../../time';
import { decisionDeadline, escalationStepDue, escalationStepsReached, hoursLeft, timeLeft } from './deadline';

const HOUR_MS = 3_600_000;
const seventyTwoHours = 72 * 3600 * 1000;

describe('decisionDeadline', () => {
	it('is exactly 72 hours later on an ordinary week', () => {
		const noticed = new Date('2026-01-12T08:15:00Z'); // 10:15 in Helsinki (EET, +2)
		const deadline = decisionDeadline(noticed);
		expect(deadline.getTime() - noticed.getTime()).toBe(seventyTwoHours);
		expect(helsinkiWallClock(noticed)).toBe('2026-01-12T10:15');
		expect(helsinkiWallClock(deadline)).toBe('2026-01-15T10:15');
	});

	it('shows the deadline an hour later on the clock when summer time starts in between (29 March 2026)', () => {
		// Noticed Friday 27 March at 10:00 winter time; clocks go from 03:00 to 04:00 on Sunday 29 March.
		const noticed = fromHelsinkiWallClock('2026-03-27T10:00')!;
		expect(noticed.toISOString()).toBe('2026-03-27T08:00:00.000Z');
		const deadline = decisionDeadline(noticed);
		expect(deadline.getTime() - noticed.getTime()).toBe(72 * 3600 * 1000);
		expect(deadline.toISOString()).toBe('2026-03-30T08:00:00.000Z');
		expect(helsinkiWallClock(deadline)).toBe('2026-03-30T11:00');
	});

	it('shows the deadline an hour earlier on the clock when summer time ends in between (25 October 2026)', () => {
		// Noticed Friday 23 October at 10:00 summer time; clocks go from 04:00 back to 03:00 on Sunday 25 October.
		const noticed = fromHelsinkiWallClock('2026-10-23T10:00')!;
		expect(noticed.toISOString()).toBe('2026-10-23T07:00:00.000Z');
		const deadline = decisionDeadline(noticed);
		expect(deadline.getTime() - noticed.getTime()).toBe(72 * 3600 * 1000);
		expect(deadline.toISOString()).toBe('2026-10-26T07:00:00.000Z');
		expect(helsinkiWallClock(deadline)).toBe('2026-10-26T09:00');
	});

	it('noticed in the very hour of a change, the deadline is still 72 real hours later', () => {
		const spring = new Date('2026-03-29T00:30:00Z'); // 02:30 EET, half an hour before the clocks jump
		expect(helsinkiWallClock(spring)).toBe('2026-03-29T02:30');
		expect(helsinkiWallClock(decisionDeadline(spring))).toBe('2026-04-01T03:30');
		expect(decisionDeadline(spring).getTime() - spring.getTime()).toBe(seventyTwoHours);

		// The autumn hour 03:00–04:00 happens twice: the first time in summer time, the second in winter time.
		const first = new Date('2026-10-25T00:30:00Z');
		const second = new Date('2026-10-25T01:30:00Z');
		expect(helsinkiWallClock(first)).toBe('2026-10-25T03:30');
		expect(helsinkiWallClock(second)).toBe('2026-10-25T03:30');
		expect(helsinkiWallClock(decisionDeadline(first))).toBe('2026-10-28T02:30');
		expect(helsinkiWallClock(decisionDeadline(second))).toBe('2026-10-28T03:30');
	});

	it('gives the same deadline for the same instant however its time zone was written', () => {
		const inHelsinki = new Date('2026-06-10T12:00:00+03:00');
		const inStockholm = new Date('2026-06-10T11:00:00+02:00');
		const inUtc = new Date('2026-06-10T09:00:00Z');
		expect(decisionDeadline(inStockholm).getTime()).toBe(decisionDeadline(inHelsinki).getTime());
		expect(decisionDeadline(inUtc).getTime()).toBe(decisionDeadline(inHelsinki).getTime());
		expect(helsinkiWallClock(decisionDeadline(inStockholm))).toBe('2026-06-13T12:00');
	});
});

describe('time left', () => {
	const noticed = new Date('2026-03-27T08:00:00Z');
	const after = (hours: number) => new Date(noticed.getTime() + hours * HOUR_MS);

	it('counts whole hours down, across the spring change, to zero and below', () => {
		expect(hoursLeft(noticed, noticed)).toBe(72);
		expect(hoursLeft(noticed, after(0.5))).toBe(71);
		expect(hoursLeft(noticed, after(48))).toBe(24);
		expect(hoursLeft(noticed, after(71.99))).toBe(0);
		expect(hoursLeft(noticed, after(72))).toBe(0);
		expect(hoursLeft(noticed, after(73.5))).toBe(-2);
	});

	it('gives hours and minutes, and is overdue from the deadline instant on', () => {
		expect(timeLeft(noticed, after(30))).toEqual({ overdue: false, hours: 42, minutes: 0 });
		expect(timeLeft(noticed, after(71.75))).toEqual({ overdue: false, hours: 0, minutes: 15 });
		expect(timeLeft(noticed, new Date(after(72).getTime() - 1000))).toEqual({ overdue: false, hours: 0, minutes: 1 });
		expect(timeLeft(noticed, after(72))).toEqual({ overdue: true, hours: 0, minutes: 0 });
		expect(timeLeft(noticed, after(74.5))).toEqual({ overdue: true, hours: 2, minutes: 30 });
	});
});

describe('escalation steps', () => {
	const noticed = new Date('2026-10-23T07:00:00Z');
	const after = (hours: number) => new Date(noticed.getTime() + hours * HOUR_MS);

	it('are due at 24, 48 and 66 elapsed hours, also across the autumn change', () => {
		expect(escalationStepDue(noticed, after(0))).toBeNull();
		expect(escalationStepDue(noticed, new Date(after(24).getTime() - 1))).toBeNull();
		expect(escalationStepDue(noticed, after(24))).toBe(24);
		expect(escalationStepDue(noticed, after(47.9))).toBe(24);
		expect(escalationStepDue(noticed, after(48))).toBe(48);
		expect(escalationStepDue(noticed, after(65.9))).toBe(48);
		expect(escalationStepDue(noticed, after(66))).toBe(66);
		expect(escalationStepDue(noticed, after(200))).toBe(66);
	});

	it('lists every step reached, earliest first', () => {
		expect(escalationStepsReached(noticed, after(10))).toEqual([]);
		expect(escalationStepsReached(noticed, after(50))).toEqual([24, 48]);
		expect(escalationStepsReached(noticed, after(70))).toEqual([24, 48, 66]);
	});
});
