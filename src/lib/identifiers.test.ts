import { describe, expect, it } from 'vitest';
import { isValidBusinessId, isValidOid, oidMatchesBusinessId, oidRootForBusinessId } from './identifiers';

describe('isValidBusinessId', () => {
	it.each(['2617416-4', '1572860-0', '0737546-2', '0204819-8', '3221308-6'])('accepts %s', (id) => {
		expect(isValidBusinessId(id)).toBe(true);
	});

	it.each([
		['0737546-1', 'wrong check digit'],
		['1000008-1', 'remainder 1 is never issued'],
		['1000008-0', 'remainder 1 is never issued'],
		['26174164', 'no hyphen'],
		['261741-64', 'hyphen misplaced'],
		['2617416-45', 'too long'],
		[' 2617416-4', 'surrounding space'],
		['2617416-4\n', 'trailing newline'],
		['261741a-4', 'letter'],
		['２６１７４１６-４', 'full-width digits'],
		['', 'empty']
	])('rejects %s (%s)', (id) => {
		expect(isValidBusinessId(id)).toBe(false);
	});
});

describe('isValidOid', () => {
	const valid = ['1.2', '0.0', '1.2.246.10.32213086.10.0', '1.2.246.10.8286189.10.100012'];
	it.each(valid)('accepts %s', (oid) => {
		expect(isValidOid(oid)).toBe(true);
	});

	const invalid = ['1', '', '1.', '.1', '1..2', '1.02', '01.2', '1.2.a', '1.2 ', '1,2', '-1.2'];
	it.each(invalid)('rejects %j', (oid) => {
		expect(isValidOid(oid)).toBe(false);
	});

	it('limits the length to 200 characters', () => {
		const exactly200 = '1.' + '2'.repeat(198);
		expect(isValidOid(exactly200)).toBe(true);
		expect(isValidOid(exactly200 + '2')).toBe(false);
	});
});

describe('oidRootForBusinessId', () => {
	it('drops the hyphen and leading zeros', () => {
		expect(oidRootForBusinessId('0204819-8')).toBe('1.2.246.10.2048198');
		expect(oidRootForBusinessId('3221308-6')).toBe('1.2.246.10.32213086');
	});

	it('refuses an invalid business ID', () => {
		expect(() => oidRootForBusinessId('0737546-1')).toThrow(/Invalid business ID/);
	});
});

describe('oidMatchesBusinessId', () => {
	it('matches the root and OIDs below it', () => {
		expect(oidMatchesBusinessId('1.2.246.10.32213086', '3221308-6')).toBe(true);
		expect(oidMatchesBusinessId('1.2.246.10.32213086.10.0', '3221308-6')).toBe(true);
	});

	it('does not match a sibling whose digits merely start the same', () => {
		expect(oidMatchesBusinessId('1.2.246.10.322130861', '3221308-6')).toBe(false);
		expect(oidMatchesBusinessId('1.2.246.10.322130861.10', '3221308-6')).toBe(false);
	});

	it('does not match another organisation, an ancestor, or malformed input', () => {
		expect(oidMatchesBusinessId('1.2.246.10.2048198.10.1', '3221308-6')).toBe(false);
		expect(oidMatchesBusinessId('1.2.246.10', '3221308-6')).toBe(false);
		expect(oidMatchesBusinessId('1.2.246.10.32213086.', '3221308-6')).toBe(false);
		expect(oidMatchesBusinessId('1.2.246.10.32213086', '3221308-5')).toBe(false);
	});
});
