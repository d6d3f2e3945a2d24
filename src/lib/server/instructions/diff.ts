import { diffWordsWithSpace } from 'diff';

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };

/** What changed between two texts, word by word, for "what changed since you last read it". */
export function textDiff(before: string, after: string): DiffPart[] {
	return diffWordsWithSpace(before, after).map((part) => ({
		kind: part.added ? 'added' : part.removed ? 'removed' : 'same',
		text: part.value
	}));
}

/** True when nothing but whitespace changed. */
export function isUnchanged(parts: DiffPart[]): boolean {
	return parts.every((p) => p.kind === 'same' || p.text.trim() === '');
}
