import { describe, expect, it } from 'vitest';
import { readSessionLimits } from './session-limits';

const MINUTE_MS = 60 * 1000;

describe('readSessionLimits', () => {
	it('defaults to 12 hours absolute and 30 minutes idle', () => {
		expect(readSessionLimits({})).toEqual({ absoluteMs: 720 * MINUTE_MS, idleMs: 30 * MINUTE_MS, problems: [] });
	});

	it('takes shorter values', () => {
		expect(readSessionLimits({ LIITOS_SESSION_MAX_MINUTES: '480', LIITOS_SESSION_IDLE_MINUTES: '15' })).toEqual({
			absoluteMs: 480 * MINUTE_MS,
			idleMs: 15 * MINUTE_MS,
			problems: []
		});
	});

	it('refuses longer values, keeps the maximum and says so', () => {
		const limits = readSessionLimits({ LIITOS_SESSION_MAX_MINUTES: '1440', LIITOS_SESSION_IDLE_MINUTES: '60' });
		expect(limits.absoluteMs).toBe(720 * MINUTE_MS);
		expect(limits.idleMs).toBe(30 * MINUTE_MS);
		expect(limits.problems).toEqual([
			'LIITOS_SESSION_MAX_MINUTES=1440 is above the allowed 720 minutes; using 720.',
			'LIITOS_SESSION_IDLE_MINUTES=60 is above the allowed 30 minutes; using 30.'
		]);
	});

	it.each(['0', '-5', '2.5', 'ten'])('refuses %s and keeps the maximum', (raw) => {
		const limits = readSessionLimits({ LIITOS_SESSION_IDLE_MINUTES: raw });
		expect(limits.idleMs).toBe(30 * MINUTE_MS);
		expect(limits.problems).toEqual([`LIITOS_SESSION_IDLE_MINUTES=${raw} is not a whole number of minutes; using 30.`]);
	});

	it('never lets the idle timeout outlast the absolute lifetime', () => {
		expect(readSessionLimits({ LIITOS_SESSION_MAX_MINUTES: '20' })).toMatchObject({ absoluteMs: 20 * MINUTE_MS, idleMs: 20 * MINUTE_MS });
	});
});
