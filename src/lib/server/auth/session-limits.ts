/**
 * How long a session may last. ASVS 4.0.3 V3.3.2 (level 2) asks for re-authentication at least
 * every 12 hours and after at most 30 minutes of inactivity; an installation may shorten both.
 */
const MINUTE_MS = 60 * 1000;
export const MAX_ABSOLUTE_MINUTES = 12 * 60;
export const MAX_IDLE_MINUTES = 30;

export interface SessionLimits {
	/** From sign-in; using the session does not move it. */
	absoluteMs: number;
	/** From the last request. */
	idleMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { absoluteMs: MAX_ABSOLUTE_MINUTES * MINUTE_MS, idleMs: MAX_IDLE_MINUTES * MINUTE_MS };

/** One limit in whole minutes: shorter values are taken, longer or unreadable ones fall back to the maximum. */
function minutes(name: string, raw: string | undefined, max: number, problems: string[]): number {
	if (raw === undefined || raw.trim() === '') return max;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1) {
		problems.push(`${name}=${raw} is not a whole number of minutes; using ${max}.`);
		return max;
	}
	if (value > max) {
		problems.push(`${name}=${raw} is above the allowed ${max} minutes; using ${max}.`);
		return max;
	}
	return value;
}

/** Reads LIITOS_SESSION_MAX_MINUTES and LIITOS_SESSION_IDLE_MINUTES; `problems` are logged at start-up. */
export function readSessionLimits(env: Record<string, string | undefined>): SessionLimits & { problems: string[] } {
	const problems: string[] = [];
	const absolute = minutes('LIITOS_SESSION_MAX_MINUTES', env.LIITOS_SESSION_MAX_MINUTES, MAX_ABSOLUTE_MINUTES, problems);
	const idle = minutes('LIITOS_SESSION_IDLE_MINUTES', env.LIITOS_SESSION_IDLE_MINUTES, MAX_IDLE_MINUTES, problems);
	return { absoluteMs: absolute * MINUTE_MS, idleMs: Math.min(idle, absolute) * MINUTE_MS, problems };
}
