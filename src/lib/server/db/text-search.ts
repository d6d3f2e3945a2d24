import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import { isMissingValue } from '../printable';

/**
 * "Contains", ignoring case, for the portal's search boxes. SQLite's LIKE folds ASCII letters only,
 * so "äänekoski" would miss "Äänekoski". A search with other letters therefore compares values
 * folded by JavaScript (`unicode_lower`); a plain ASCII search keeps LIKE alone, which needs no call
 * into JavaScript for every row it reads.
 */
export interface ContainsSearch {
	/** For `like … escape '\'`: the text with LIKE's wildcards escaped, between two `%`. */
	pattern: string;
	/** Whether values must be folded by `unicode_lower` before they are compared. */
	unicode: boolean;
}

/** LIKE's wildcards escaped, so typed text matches literally (with `escape '\'`). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function containsSearch(text: string): ContainsSearch {
	// eslint-disable-next-line no-control-regex -- the range is all of ASCII; anything outside it needs the Unicode path
	const unicode = /[^\u0000-\u007f]/.test(text);
	return { pattern: `%${escapeLike(unicode ? text.toLowerCase() : text)}%`, unicode };
}

/** `column` contains the search; `pattern` is ContainsSearch.pattern or a placeholder for it. */
export function contains(column: SQLWrapper, pattern: string | SQLWrapper, unicode: boolean): SQL {
	return unicode ? sql`unicode_lower(${column}) like ${pattern} escape '\\'` : sql`${column} like ${pattern} escape '\\'`;
}

/** Makes `unicode_lower` available to a connection's SQL (openDatabase does it for every one). */
export function registerUnicodeLower(client: Database.Database): void {
	client.function('unicode_lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
}

/**
 * Makes `blank_value(text)` available: 1 when an agreement would report the value missing where it
 * is printed (see `printable`). The campaign list asks it only about values SQL alone cannot judge.
 */
export function registerBlankValue(client: Database.Database): void {
	client.function('blank_value', { deterministic: true }, (value: unknown) => (isMissingValue(value) ? 1 : 0));
}
