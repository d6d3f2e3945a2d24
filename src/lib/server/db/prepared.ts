/**
 * Queries run on every request (the session check, the unread count, the tenant list) are compiled
 * once per database connection and reused: building and compiling the SQL costs far more than
 * running it (about 0.6 ms against 10 µs for the session check).
 */
const compiled = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(db: object, key: string, compile: () => T): T {
	let byKey = compiled.get(db);
	if (!byKey) compiled.set(db, (byKey = new Map()));
	let statement = byKey.get(key) as T | undefined;
	if (statement === undefined) byKey.set(key, (statement = compile()));
	return statement;
}
