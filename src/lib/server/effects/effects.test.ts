import { describe, expect, it } from 'vitest';
import { freshDb } from '../test-support';
import { openEffects, recordEffect, retryDelayMs, runEffects, type EffectHandler } from './effects';

const T0 = new Date('2026-12-06T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** Handlers that write down what they did, and fail for the subjects named in `failing`. */
function recorder(failing = new Set<string>()) {
	const done: string[] = [];
	const handler: EffectHandler = async (_db, effect) => {
		if (failing.has(effect.subjectId)) throw new Error(`cannot ${effect.kind} ${effect.subjectId}`);
		done.push(`${effect.kind} ${effect.subjectId}`);
	};
	return { done, handlers: { first: handler, second: handler } };
}

describe('recorded effects', () => {
	it('exist only when the transaction that recorded them commits', () => {
		const db = freshDb();
		expect(() =>
			db.transaction((tx) => {
				recordEffect(tx, { kind: 'first', subjectId: 'a' });
				throw new Error('the change fails');
			})
		).toThrow('the change fails');
		db.transaction((tx) => recordEffect(tx, { kind: 'first', subjectId: 'b' }));
		expect(openEffects(db).map((e) => e.subjectId)).toEqual(['b']);
	});

	it('run once each, in the order recorded, and are done afterwards', async () => {
		const db = freshDb();
		recordEffect(db, { kind: 'first', subjectId: 'a' });
		recordEffect(db, { kind: 'second', subjectId: 'a', payload: { step: 'x' } });
		recordEffect(db, { kind: 'first', subjectId: 'b' });
		const { done, handlers } = recorder();
		expect(await runEffects(db, handlers, { now: T0 })).toEqual({ done: 3, failed: 0 });
		expect(done).toEqual(['first a', 'second a', 'first b']);
		expect(await runEffects(db, handlers, { now: T0 })).toEqual({ done: 0, failed: 0 });
		expect(openEffects(db)).toEqual([]);
	});

	it('run only the named subject when asked', async () => {
		const db = freshDb();
		recordEffect(db, { kind: 'first', subjectId: 'a' });
		recordEffect(db, { kind: 'first', subjectId: 'b' });
		const { done, handlers } = recorder();
		await runEffects(db, handlers, { subjectId: 'b', now: T0 });
		expect(done).toEqual(['first b']);
		expect(openEffects(db).map((e) => e.subjectId)).toEqual(['a']);
	});

	it('hold back the later effects of a subject whose earlier one failed, not other subjects', async () => {
		const db = freshDb();
		recordEffect(db, { kind: 'first', subjectId: 'a' });
		recordEffect(db, { kind: 'second', subjectId: 'a' });
		recordEffect(db, { kind: 'first', subjectId: 'b' });
		const failing = recorder(new Set(['a']));
		expect(await runEffects(db, failing.handlers, { now: T0 })).toEqual({ done: 1, failed: 1 });
		expect(failing.done).toEqual(['first b']);
		const [first, second] = openEffects(db, 'a');
		expect(first).toMatchObject({ kind: 'first', attempts: 1, lastError: 'cannot first a', nextAttemptAt: minutes(1) });
		expect(second).toMatchObject({ kind: 'second', attempts: 0 });
	});

	it('are retried once the delay has passed, and not before', async () => {
		const db = freshDb();
		recordEffect(db, { kind: 'first', subjectId: 'a' });
		await runEffects(db, recorder(new Set(['a'])).handlers, { now: T0 });
		const healed = recorder();
		expect(await runEffects(db, healed.handlers, { now: minutes(0.5) })).toEqual({ done: 0, failed: 0 });
		expect(await runEffects(db, healed.handlers, { now: minutes(1) })).toEqual({ done: 1, failed: 0 });
		expect(healed.done).toEqual(['first a']);
	});

	it('count an effect of an unknown kind as failed rather than done', async () => {
		const db = freshDb();
		recordEffect(db, { kind: 'unknown', subjectId: 'a' });
		expect(await runEffects(db, recorder().handlers, { now: T0 })).toEqual({ done: 0, failed: 1 });
		expect(openEffects(db)[0].lastError).toBe('no handler for unknown');
	});

	it('are not run twice by two runs at the same time', async () => {
		const db = freshDb();
		recordEffect(db, { kind: 'first', subjectId: 'a' });
		let calls = 0;
		const slow: EffectHandler = async () => {
			calls++;
			await new Promise((resolve) => setTimeout(resolve, 20));
		};
		await Promise.all([runEffects(db, { first: slow }, { now: T0 }), runEffects(db, { first: slow }, { now: T0 })]);
		expect(calls).toBe(1);
	});
});

describe('retryDelayMs', () => {
	it('doubles from a minute up to an hour', () => {
		expect([1, 2, 3, 7, 8, 20].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 60, 60, 60]);
	});
});
