import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { pendingEffect, type PendingEffect } from '../db/schema';

/** One piece of follow-up work, as a domain command records it. */
export interface EffectRequest {
	kind: string;
	subjectId: string;
	payload?: Record<string, unknown>;
}

export type EffectHandler = (db: Db, effect: PendingEffect) => Promise<void>;

export interface EffectRun {
	done: number;
	failed: number;
}

/** The longest wait before a failed effect is tried again. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** How long a started effect is left to the one who started it before another run may take it over. */
const LEASE_MS = 5 * 60 * 1000;

/** Records follow-up work in the caller's transaction: it exists exactly when the change does. */
export function recordEffect(tx: DbOrTx, effect: EffectRequest): void {
	tx.insert(pendingEffect)
		.values({ kind: effect.kind, subjectId: effect.subjectId, payload: JSON.stringify(effect.payload ?? {}) })
		.run();
}

/** Doubling from a minute: 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
	return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/**
 * Carries out recorded effects after their change committed. Effects of one subject run in the order
 * they were recorded, and a failure holds back the later ones (the "in force" mail never goes out before
 * the seal it announces), to be retried after a growing delay. Effects are done at least once: a
 * crash between the work and its mark repeats the work, so handlers are written to be repeatable.
 * `kinds` keeps a run to the effects its handlers know: several concepts record effects, and a run
 * that met another concept's effect would count it failed and hold it back for no reason.
 */
export async function runEffects(
	db: Db,
	handlers: Record<string, EffectHandler>,
	options: { subjectId?: string; now?: Date; kinds?: string[] } = {}
): Promise<EffectRun> {
	const now = options.now ?? new Date();
	const open = db
		.select()
		.from(pendingEffect)
		.where(
			and(
				isNull(pendingEffect.doneAt),
				options.subjectId ? eq(pendingEffect.subjectId, options.subjectId) : undefined,
				options.kinds ? inArray(pendingEffect.kind, options.kinds) : undefined
			)
		)
		.orderBy(asc(pendingEffect.id))
		.all();
	const held = new Set<string>();
	const run: EffectRun = { done: 0, failed: 0 };
	for (const effect of open) {
		if (held.has(effect.subjectId)) continue;
		if (effect.nextAttemptAt && effect.nextAttemptAt > now) {
			held.add(effect.subjectId);
			continue;
		}
		// Claim it first: another request or the scheduler may be running effects at the same time.
		const claimed = db
			.update(pendingEffect)
			.set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
			.where(
				and(
					eq(pendingEffect.id, effect.id),
					isNull(pendingEffect.doneAt),
					effect.nextAttemptAt ? eq(pendingEffect.nextAttemptAt, effect.nextAttemptAt) : isNull(pendingEffect.nextAttemptAt)
				)
			)
			.run();
		if (claimed.changes !== 1) {
			held.add(effect.subjectId);
			continue;
		}
		const handler = handlers[effect.kind];
		try {
			if (!handler) throw new Error(`no handler for ${effect.kind}`);
			await handler(db, effect);
			db.update(pendingEffect).set({ doneAt: new Date(), lastError: null }).where(eq(pendingEffect.id, effect.id)).run();
			run.done++;
		} catch (error) {
			const attempts = effect.attempts + 1;
			db.update(pendingEffect)
				.set({
					attempts,
					lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500),
					nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts))
				})
				.where(eq(pendingEffect.id, effect.id))
				.run();
			held.add(effect.subjectId);
			run.failed++;
		}
	}
	return run;
}

/** Effects still waiting, oldest first (for the operator's view and tests). */
export function openEffects(db: DbOrTx, subjectId?: string): PendingEffect[] {
	return db
		.select()
		.from(pendingEffect)
		.where(and(isNull(pendingEffect.doneAt), subjectId ? eq(pendingEffect.subjectId, subjectId) : undefined))
		.orderBy(asc(pendingEffect.id))
		.all();
}
