import { describe, expect, it } from 'vitest';
import { isUnchanged, textDiff } from './diff';

describe('textDiff', () => {
	it('marks removed and added words and keeps the rest', () => {
		const parts = textDiff('Kortti säilytetään lukitussa laatikossa.', 'Kortti säilytetään aina lukitussa kaapissa.');
		expect(parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toEqual(['laatikossa']);
		expect(
			parts
				.filter((p) => p.kind === 'added')
				.map((p) => p.text.trim())
				.filter(Boolean)
		).toEqual(['aina', 'kaapissa']);
		expect(
			parts
				.filter((p) => p.kind !== 'removed')
				.map((p) => p.text)
				.join('')
		).toBe('Kortti säilytetään aina lukitussa kaapissa.');
		expect(
			parts
				.filter((p) => p.kind !== 'added')
				.map((p) => p.text)
				.join('')
		).toBe('Kortti säilytetään lukitussa laatikossa.');
	});

	it('reports identical texts as unchanged', () => {
		expect(isUnchanged(textDiff('Sama teksti.', 'Sama teksti.'))).toBe(true);
		expect(isUnchanged(textDiff('Sama teksti.', 'Eri teksti.'))).toBe(false);
	});
});
