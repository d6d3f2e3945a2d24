import { asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import {
	informationSystem,
	type DerivedProblem,
	type InformationSystem,
	type ServiceSector,
	type SystemClass,
	type SystemPurpose
} from '../db/schema';
import { audit, type Actor } from '../actor';
import { todayInHelsinki } from '../../time';

export interface InformationSystemInput {
	name: string;
	systemClass: SystemClass;
	purpose: SystemPurpose;
	certificateValidUntil: string;
	certificateReference: string;
}

export function listInformationSystems(db: DbOrTx): InformationSystem[] {
	return db.select().from(informationSystem).orderBy(asc(informationSystem.name)).all();
}

export function getInformationSystem(db: DbOrTx, id: string): InformationSystem | undefined {
	return db.select().from(informationSystem).where(eq(informationSystem.id, id)).get();
}

/** Adds a system, or changes it when `id` is given; false when there is no such system. */
export function saveInformationSystem(
	db: Db,
	actor: Actor,
	input: InformationSystemInput,
	id: string | null,
	now = new Date()
): { ok: true; id: string } | { ok: false } {
	return db.transaction((tx) => {
		const summary = `${input.name} (${input.systemClass}, ${input.purpose}, certificate valid until ${input.certificateValidUntil})`;
		if (id) {
			const changed = tx
				.update(informationSystem)
				.set({ ...input, updatedAt: now })
				.where(eq(informationSystem.id, id))
				.run();
			if (!changed.changes) return { ok: false } as const;
			audit(tx, actor, { action: 'information_system.update', targetType: 'information_system', targetId: id, summary });
			return { ok: true, id } as const;
		}
		const newId = crypto.randomUUID();
		tx.insert(informationSystem)
			.values({ ...input, id: newId, createdAt: now })
			.run();
		audit(tx, actor, { action: 'information_system.create', targetType: 'information_system', targetId: newId, summary });
		return { ok: true, id: newId } as const;
	});
}

export function removeInformationSystem(db: Db, actor: Actor, id: string): boolean {
	return db.transaction((tx) => {
		const found = getInformationSystem(tx, id);
		if (!found) return false;
		tx.delete(informationSystem).where(eq(informationSystem.id, id)).run();
		audit(tx, actor, { action: 'information_system.remove', targetType: 'information_system', targetId: id, summary: found.name });
		return true;
	});
}

/**
 * Only systems that Kela has tested for interoperability with Kanta (classes A2 and A3, seed 001)
 * can carry a tenant's data to Kanta; class A1 systems are certified for security alone.
 */
const KANTA_CLASSES: readonly SystemClass[] = ['A2', 'A3'];

/** Seed 001: a social welfare provider cannot join the Client Data Archive through a patient data system. */
export function purposeFor(sector: ServiceSector): SystemPurpose {
	return sector === 'social_welfare' ? 'social_welfare_client' : 'patient_data';
}

export type SystemProblem = Extract<DerivedProblem, 'no_system' | 'wrong_purpose' | 'certificate_expired'>;

export type CertifiedSystemState = { met: true; validUntil: string } | { met: false; problem: SystemProblem };

/**
 * Whether the main connector has a system this tenant can use for Kanta today: of the tenant's kind
 * (patient or social welfare client data), in a Kanta class, and with a security-assessment
 * certificate still valid (an expired one forbids production use, Client Data Act 31 § 2 mom.).
 */
export function certifiedSystemFor(db: DbOrTx, sector: ServiceSector, now: Date): CertifiedSystemState {
	const kantaSystems = listInformationSystems(db).filter((s) => KANTA_CLASSES.includes(s.systemClass));
	if (kantaSystems.length === 0) return { met: false, problem: 'no_system' };
	const ofKind = kantaSystems.filter((s) => s.purpose === purposeFor(sector));
	if (ofKind.length === 0) return { met: false, problem: 'wrong_purpose' };
	const today = todayInHelsinki(now);
	const latest = ofKind
		.map((s) => s.certificateValidUntil)
		.sort()
		.at(-1)!;
	return latest >= today ? { met: true, validUntil: latest } : { met: false, problem: 'certificate_expired' };
}
