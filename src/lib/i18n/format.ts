import { getLocale } from '$lib/paraglide/runtime.js';

const TIME_ZONE = 'Europe/Helsinki';
const intlLocale = (locale: string) => (locale === 'sv' ? 'sv-FI' : locale === 'en' ? 'en-GB' : 'fi-FI');

/** Date and time as people in Finland read it, in the reader's language. */
export function formatDateTime(value: Date | number | null | undefined, locale = getLocale()): string {
	if (value === null || value === undefined) return '';
	return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'short', timeStyle: 'short', timeZone: TIME_ZONE }).format(value);
}

export function formatDate(value: Date | number | null | undefined, locale = getLocale()): string {
	if (value === null || value === undefined) return '';
	return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeZone: TIME_ZONE }).format(value);
}

export function formatTime(value: Date | number, locale = getLocale()): string {
	return new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: 'short', timeZone: TIME_ZONE }).format(value);
}

export function formatNumber(value: number, locale = getLocale()): string {
	return new Intl.NumberFormat(intlLocale(locale)).format(value);
}
