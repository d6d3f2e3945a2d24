import type { Db } from '../db';
import { audit, type Actor } from '../actor';
import { notify } from '../notifications/notifications';
import { coverageByTenant, currentVersion, getInstruction } from './instructions';

/**
 * The coverage report's bulk action: everyone the instruction reaches who has not acknowledged its
 * current version gets a reminder now, with one audit entry per person reminded. Returns how many.
 */
export function remindPendingAcknowledgements(db: Db, actor: Actor, instructionId: string, now = new Date()): number {
	return db.transaction((tx) => {
		const item = getInstruction(tx, instructionId);
		const current = item && !item.archivedAt && item.requiresAck ? currentVersion(tx, item.id) : undefined;
		if (!item || !current) return 0;
		let reminded = 0;
		for (const t of coverageByTenant(tx, item)) {
			for (const person of t.people.filter((p) => !p.current)) {
				notify(
					tx,
					[person.userId],
					'instruction_pending',
					{ titleFi: current.titleFi, titleSv: current.titleSv, titleEn: current.titleEn ?? '' },
					`/my-instructions/${item.id}`,
					now
				);
				audit(tx, actor, {
					tenantId: t.tenantId,
					action: 'instruction.remind',
					targetType: 'user',
					targetId: person.userId,
					summary: `instruction ${item.id} v${current.version}`
				});
				reminded++;
			}
		}
		return reminded;
	});
}
