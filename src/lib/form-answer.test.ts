import { describe, expect, it } from 'vitest';
import { answer, answerIn, refusal, textValues } from './form-answer';

describe('form answers', () => {
	it('an answer and a refusal name their section; a refusal carries the errors and what was typed', () => {
		expect(answer('add', { added: true })).toEqual({ section: 'add', added: true });
		expect(refusal({ name: 'Required' }, { name: '' })).toEqual({ section: 'main', errors: { name: 'Required' }, values: { name: '' } });
		expect(refusal({}, {}, 'confirm').section).toBe('confirm');
	});

	it('answerIn gives a page’s form its own answer only', () => {
		const form = answer('add', { added: true }) as
			ReturnType<typeof answer<'add', { added: boolean }>> | { section: 'confirm'; confirmed: boolean };
		expect(answerIn(form, 'add')).toBe(form);
		expect(answerIn(form, 'confirm')).toBeNull();
		expect(answerIn(null as typeof form | null, 'add')).toBeNull();
	});

	it('textValues keeps single values and leaves lists out', () => {
		expect(textValues({ kind: 'server', roles: ['a', 'b'] })).toEqual({ kind: 'server' });
		expect(textValues(undefined)).toEqual({});
	});
});
