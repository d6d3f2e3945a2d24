/** Time to a deadline, for display; shared by the server and the countdown in the browser. */
export interface TimeLeft {
	overdue: boolean;
	/** Hours and minutes left, or past the deadline when overdue. */
	hours: number;
	minutes: number;
}

/** The deadline instant itself counts as overdue; time left never shows "0 min" while some remains. */
export function timeUntil(deadline: Date, now: Date): TimeLeft {
	const ms = deadline.getTime() - now.getTime();
	const overdue = ms <= 0;
	const total = overdue ? Math.floor(Math.abs(ms) / 60_000) : Math.ceil(ms / 60_000);
	return { overdue, hours: Math.floor(total / 60), minutes: total % 60 };
}
