/**
 * Cursor pagination. A cursor is the sort key of the last item returned, base64url-encoded JSON;
 * the next page starts after it, so inserts and deletions between calls neither repeat nor skip
 * items that stay. Callers treat it as opaque.
 */
export type SortKey = (string | number)[];

export function encodeCursor(key: SortKey): string {
	return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key in a cursor, or null when it is not one of ours (of the expected length and types). */
export function decodeCursor(cursor: string, length: number): SortKey | null {
	try {
		const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (!Array.isArray(value) || value.length !== length) return null;
		if (!value.every((part) => typeof part === 'string' || (typeof part === 'number' && Number.isFinite(part)))) return null;
		return value as SortKey;
	} catch {
		return null;
	}
}

function compare(a: SortKey, b: SortKey): number {
	for (let i = 0; i < a.length; i++) {
		if (a[i] === b[i]) continue;
		return a[i] < b[i] ? -1 : 1;
	}
	return 0;
}

export interface Page<T> {
	data: T[];
	nextCursor: string | null;
}

/**
 * One page of an in-memory list (a tenant's people, its agreements): sorted by `key`, the items
 * after `after`, at most `limit`. Lists that can be long are paged in SQL instead (see resources.ts).
 */
export function pageOf<T>(items: T[], key: (item: T) => SortKey, limit: number, after: SortKey | null): Page<T> {
	const sorted = items.map((item) => ({ item, key: key(item) })).sort((a, b) => compare(a.key, b.key));
	const rest = after ? sorted.filter((entry) => compare(entry.key, after) > 0) : sorted;
	const data = rest.slice(0, limit);
	return { data: data.map((entry) => entry.item), nextCursor: rest.length > limit ? encodeCursor(data[data.length - 1].key) : null };
}
