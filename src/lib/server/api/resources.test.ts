import { describe, expect, it } from 'vitest';
import { listPeoplePage } from './resources';
import { decodeCursor } from './cursor';
import { freshDb, insertTenantRow, insertUser } from '../test-support';

describe('a tenant’s people through the API', () => {
	it('pages by name then id with cursors: every person once, in order, only this tenant’s, with their roles', () => {
		const db = freshDb();
		const tenantId = insertTenantRow(db);
		const other = insertTenantRow(db, undefined, '0737546-2');
		// Two people share a name, so the id decides between them and may fall on a page boundary.
		const names = ['Ella', 'Aaro', 'Mikko', 'Aaro', 'Öljy', 'Bea', 'Ville'];
		const people = names.map((name) => insertUser(db, { name, tenantId, roles: ['tenant_staff'] }));
		insertUser(db, { name: 'Aaron', tenantId: other, roles: ['tenant_staff'] });
		const expected = people
			.map((p) => [p.name, p.id] as const)
			.sort(([an, ai], [bn, bi]) => (an === bn ? (ai < bi ? -1 : 1) : an < bn ? -1 : 1))
			.map(([, id]) => id);

		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const page = listPeoplePage(db, tenantId, 2, cursor ? decodeCursor(cursor, 2) : null);
			expect(page.data.length).toBeLessThanOrEqual(2);
			for (const person of page.data) expect(person.roles).toEqual(['tenant_staff']);
			seen.push(...page.data.map((p) => p.id));
			cursor = page.nextCursor;
			pages++;
		} while (cursor && pages < 10);

		expect(seen).toEqual(expected);
		expect(pages).toBe(4);
	});

	it('neither repeats nor skips a person when someone joins before the cursor between calls', () => {
		const db = freshDb();
		const tenantId = insertTenantRow(db);
		for (const name of ['Anna', 'Bertta', 'Cecilia', 'Doris']) insertUser(db, { name, tenantId, roles: ['tenant_staff'] });
		const first = listPeoplePage(db, tenantId, 2, null);
		insertUser(db, { name: 'Aada', tenantId, roles: ['tenant_staff'] });
		const second = listPeoplePage(db, tenantId, 2, decodeCursor(first.nextCursor!, 2));
		expect([...first.data, ...second.data].map((p) => p.name)).toEqual(['Anna', 'Bertta', 'Cecilia', 'Doris']);
		expect(second.nextCursor).toBeNull();
	});
});
