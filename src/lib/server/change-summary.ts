/** "name, city" — which of `next`'s fields differ from `before`, for the audit log's summary. */
export function changedFields<T extends object>(before: T, next: Partial<T>): string {
	const changed = (Object.keys(next) as (keyof T)[]).filter(
		(key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(next[key] ?? null)
	);
	return changed.length ? `changed: ${changed.join(', ')}` : 'no changes';
}
