import type { Db } from '../db';
import { runEffects, type EffectHandler, type EffectRun } from '../effects/effects';
import { getAgreement } from './agreements';
import { notifyAgreementStep, type AgreementStep } from './notify';
import { sealAgreement } from './sealing';

/**
 * What an agreement's steps leave to do after they commit. The commands in `agreements.ts` record these
 * in their own transaction (`recordEffect`); this carries them out.
 */
const handlers: Record<string, EffectHandler> = {
	// Sealing writes its file only once and records it; a repeat finds the agreement sealed and stops.
	'agreement.seal': (db, effect) => sealAgreement(db, effect.subjectId),
	'agreement.notify': async (db, effect) => {
		const current = getAgreement(db, effect.subjectId);
		const { step, note } = JSON.parse(effect.payload) as { step: AgreementStep; note?: string };
		if (current) await notifyAgreementStep(db, current, step, note);
	}
};

/**
 * Carries out the follow-up of one agreement (right after a person's action, so the page they see next
 * is sealed and the mails are out) or of all of them (the scheduler, retrying what failed). Never throws:
 * the step itself is committed, and a failure is kept to be retried.
 */
export async function carryOutAgreementFollowUp(db: Db, agreementId?: string, now = new Date()): Promise<EffectRun> {
	return runEffects(db, handlers, { subjectId: agreementId, now, kinds: Object.keys(handlers) });
}
