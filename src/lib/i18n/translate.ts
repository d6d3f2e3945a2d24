import * as m from '$lib/paraglide/messages.js';

type MessageFn = () => string;
const catalogue = m as unknown as Record<string, MessageFn | undefined>;

/**
 * Looks up a message by key at run time, for keys that travel as data (validation errors,
 * stage and role names). Unknown keys fall back to a generic error rather than leaking the key.
 */
export function translate(key: string): string {
	const message = catalogue[key];
	return typeof message === 'function' ? message() : m.error_invalid_value();
}
