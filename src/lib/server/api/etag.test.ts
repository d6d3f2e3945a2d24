import { describe, expect, it } from 'vitest';
import { etagOf, matchesIfNoneMatch } from './etag';

describe('ETags', () => {
	it('change with the body and match If-None-Match lists, weak or strong, or *', () => {
		const tag = etagOf('{"data":[]}');
		expect(tag).toMatch(/^"[\w-]{32}"$/);
		expect(etagOf('{"data":[]}')).toBe(tag);
		expect(etagOf('{"data":[1]}')).not.toBe(tag);
		expect(matchesIfNoneMatch(tag, tag)).toBe(true);
		expect(matchesIfNoneMatch(`"other", W/${tag}`, tag)).toBe(true);
		expect(matchesIfNoneMatch('*', tag)).toBe(true);
		expect(matchesIfNoneMatch('"other"', tag)).toBe(false);
		expect(matchesIfNoneMatch(null, tag)).toBe(false);
	});
});
