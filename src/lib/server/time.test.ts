import { describe, expect, it } from 'vitest';
import { helsinkiOffsetMinutes, startOfHelsinkiDay, todayInHelsinki } from './time';

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
