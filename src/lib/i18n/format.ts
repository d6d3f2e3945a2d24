import { getLocale } from '$lib/paraglide/runtime.js';

const TIME_ZONE = 'Europe/Helsinki';
const intlLocale = (locale: string) => (locale === 'sv' ? 'sv-FI' : locale === 'en' ? 'en-GB' : 'fi-FI');

// Building an Intl formatter costs far more than using one, and a page may format hundreds of dates.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}|${options.dateStyle}|${options.timeStyle}`;
	let formatter = formatters.get(key);
	if (!formatter) formatters.set(key, (formatter = new Intl.DateTimeFormat(intlLocale(locale), { ...options, timeZone: TIME_ZONE })));
	return formatter;
}

/** Date and time as people in Finland read it, in the reader's language. */
export function formatDateTime(value: Date | number | null | undefined, locale = getLocale()): string {
	if (value === null || value === undefined) return '';
	return dateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(value);
}

/** With seconds: when an agreement was signed, on its signature and audit pages. */
export function formatDateTimeSeconds(value: Date | number, locale = getLocale()): string {
	return dateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }).format(value);
}

/** The month written out ("1. huhtikuuta 2026"), as dates read in an agreement's text. */
export function formatLongDate(value: Date | number, locale = getLocale()): string {
	return dateTimeFormat(locale, { dateStyle: 'long' }).format(value);
}

export function formatDate(value: Date | number | null | undefined, locale = getLocale()): string {
	if (value === null || value === undefined) return '';
	return dateTimeFormat(locale, { dateStyle: 'medium' }).format(value);
}

export function formatTime(value: Date | number, locale = getLocale()): string {
	return dateTimeFormat(locale, { timeStyle: 'short' }).format(value);
}

export function formatNumber(value: number, locale = getLocale()): string {
	return new Intl.NumberFormat(intlLocale(locale)).format(value);
}

const monthFormatters = new Map<string, Intl.DateTimeFormat>();
/** A calendar month (YYYY-MM or YYYY-MM-DD) as a short label for charts, e.g. "joulu 2026", "Dec 2026". */
export function formatMonth(isoMonth: string, locale = getLocale(), style: 'short' | 'long' = 'short'): string {
	const key = `${locale}|${style}`;
	let formatter = monthFormatters.get(key);
	if (!formatter)
		monthFormatters.set(key, (formatter = new Intl.DateTimeFormat(intlLocale(locale), { month: style, year: 'numeric', timeZone: 'UTC' })));
	return formatter.format(new Date(`${isoMonth.slice(0, 7)}-15T12:00:00Z`));
}
