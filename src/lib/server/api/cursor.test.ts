import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from './cursor';

describe('cursor pagination', () => {
	it('round-trips a key and refuses anything that is not one', () => {
		expect(decodeCursor(encodeCursor(['Äijä', 'id-1']), 2)).toEqual(['Äijä', 'id-1']);
		expect(decodeCursor(encodeCursor(['a']), 2)).toBeNull();
		expect(decodeCursor('not base64 json', 2)).toBeNull();
		expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'), 1)).toBeNull();
		expect(decodeCursor(Buffer.from('[null]').toString('base64url'), 1)).toBeNull();
	});

	it('walks a list in stable order without repeats or gaps, even when items are added between pages', () => {
		const items = ['d', 'b', 'a', 'c', 'e'].map((id) => ({ id, name: id === 'a' || id === 'b' ? 'same' : id }));
		const key = (item: { id: string; name: string }) => [item.name, item.id];
		const first = pageOf(items, key, 2, null);
		expect(first.data.map((i) => i.id)).toEqual(['c', 'd']);
		items.push({ id: '0', name: 'a-new' });
		const second = pageOf(items, key, 2, decodeCursor(first.nextCursor!, 2));
		expect(second.data.map((i) => i.id)).toEqual(['e', 'a']);
		const third = pageOf(items, key, 2, decodeCursor(second.nextCursor!, 2));
		expect(third).toEqual({ data: [{ id: 'b', name: 'same' }], nextCursor: null });
	});
});
