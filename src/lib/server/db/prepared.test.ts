import { describe, expect, it } from 'vitest';
import { prepared } from './prepared';

describe('prepared', () => {
	it('compiles once per database and key, and again for another database or key', () => {
		const first = {};
		const second = {};
		let compiled = 0;
		const compile = () => ({ statement: ++compiled });
		expect(prepared(first, 'a', compile)).toEqual({ statement: 1 });
		expect(prepared(first, 'a', compile)).toEqual({ statement: 1 });
		expect(prepared(first, 'b', compile)).toEqual({ statement: 2 });
		expect(prepared(second, 'a', compile)).toEqual({ statement: 3 });
		expect(compiled).toBe(3);
	});
});
