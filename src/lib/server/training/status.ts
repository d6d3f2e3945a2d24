import type { Role, TrainingModule, TrainingRecord } from '../db/schema';
import { isRecordValid } from './training';

/**
 * One person's standing in one module: a valid confirmed completion (until a day, or for good),
 * a declaration awaiting confirmation, only expired completions, or nothing.
 */
export type TrainingStatus =
	{ kind: 'valid'; validUntil: string | null } | { kind: 'awaiting' } | { kind: 'expired'; validUntil: string } | { kind: 'missing' };

export function trainingStatus(records: TrainingRecord[], today: string): TrainingStatus {
	const valid = records.filter((r) => isRecordValid(r, today));
	if (valid.length) {
		// A completion that never expires beats any dated one; otherwise the latest day counts.
		const forever = valid.some((r) => r.validUntil === null);
		return {
			kind: 'valid',
			validUntil: forever
				? null
				: valid
						.map((r) => r.validUntil!)
						.sort()
						.at(-1)!
		};
	}
	if (records.some((r) => !r.confirmed)) return { kind: 'awaiting' };
	const expired = records
		.filter((r) => r.confirmed && r.validUntil !== null)
		.map((r) => r.validUntil!)
		.sort();
	return expired.length ? { kind: 'expired', validUntil: expired.at(-1)! } : { kind: 'missing' };
}

export function isRequiredFor(module: Pick<TrainingModule, 'requiredForRoles'>, roles: Role[]): boolean {
	return module.requiredForRoles.some((role) => roles.includes(role));
}

/** The person × module table of one set of people. */
export function trainingMatrix(
	people: { id: string; name: string; roles: Role[] }[],
	modules: TrainingModule[],
	records: TrainingRecord[],
	today: string
) {
	// Each person's records of each module, looked up by key: a large tenant has thousands of people.
	const byCell = new Map<string, TrainingRecord[]>();
	for (const r of records) {
		const key = `${r.userId} ${r.moduleId}`;
		const cell = byCell.get(key);
		if (cell) cell.push(r);
		else byCell.set(key, [r]);
	}
	return people.map((person) => ({
		userId: person.id,
		name: person.name,
		cells: modules.map((module) => ({
			moduleId: module.id,
			required: isRequiredFor(module, person.roles),
			status: trainingStatus(byCell.get(`${person.id} ${module.id}`) ?? [], today)
		}))
	}));
}
