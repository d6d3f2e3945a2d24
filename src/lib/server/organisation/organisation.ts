import { asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { designatedPerson, mainConnector, user, userRole, type DesignatedRole, type MainConnector } from '../db/schema';
import { audit, type Actor } from '../actor';
import { seedDefaultServices } from '../services/kanta-services';
import { addMissingDefaults } from '../prerequisites/catalogue';
import { seedDefaultTrainingModules } from '../training/training';
import { normaliseEmail } from '../auth/accounts';
import { changedFields } from '../change-summary';

export function getMainConnector(db: DbOrTx): MainConnector | undefined {
	return db.select().from(mainConnector).get();
}

export function isSetupComplete(db: DbOrTx): boolean {
	return getMainConnector(db) !== undefined;
}

export type OrganisationInput = Omit<MainConnector, 'id' | 'createdAt' | 'updatedAt'>;

export interface SetupInput {
	organisation: OrganisationInput;
	/** `locale`: the language setup was done in, used for the administrator's e-mail. */
	admin: { name: string; email: string; passwordHash: string; locale?: 'fi' | 'sv' | 'en' };
}

/**
 * First run: creates the main connector, its first administrator and the default service
 * catalogue. Returns null when setup has already been done (it can happen only once).
 */
export function completeSetup(db: Db, input: SetupInput, client: { ipAddress: string }, now = new Date()): { userId: string } | null {
	return db.transaction(
		(tx) => {
			if (isSetupComplete(tx)) return null;
			const organisationId = crypto.randomUUID();
			const userId = crypto.randomUUID();
			const email = normaliseEmail(input.admin.email);
			tx.insert(mainConnector)
				.values({ ...input.organisation, id: organisationId, createdAt: now })
				.run();
			tx.insert(user)
				.values({
					id: userId,
					email,
					name: input.admin.name,
					passwordHash: input.admin.passwordHash,
					status: 'active',
					locale: input.admin.locale ?? 'fi',
					createdAt: now
				})
				.run();
			tx.insert(userRole).values({ userId, role: 'mc_admin' }).run();
			seedDefaultServices(tx);
			addMissingDefaults(tx);
			seedDefaultTrainingModules(tx);
			const actor = { id: userId, label: email, ipAddress: client.ipAddress };
			audit(tx, actor, {
				action: 'setup.complete',
				targetType: 'main_connector',
				targetId: organisationId,
				summary: input.organisation.name
			});
			return { userId };
		},
		{ behavior: 'immediate' }
	);
}

export function updateMainConnector(db: Db, actor: Actor, input: OrganisationInput, now = new Date()): void {
	db.transaction((tx) => {
		const current = getMainConnector(tx);
		if (!current) throw new Error('Setup has not been completed');
		tx.update(mainConnector)
			.set({ ...input, updatedAt: now })
			.where(eq(mainConnector.id, current.id))
			.run();
		audit(tx, actor, {
			action: 'organisation.update',
			targetType: 'main_connector',
			targetId: current.id,
			summary: changedFields(current, input)
		});
	});
}

export type DesignatedPerson = typeof designatedPerson.$inferSelect;
export type DesignatedPersonInput = { role: DesignatedRole; name: string; title: string; email: string; phone: string };

export function listDesignatedPersons(db: DbOrTx): DesignatedPerson[] {
	return db.select().from(designatedPerson).orderBy(asc(designatedPerson.role), asc(designatedPerson.name)).all();
}

export function addDesignatedPerson(db: Db, actor: Actor, input: DesignatedPersonInput): string {
	return db.transaction((tx) => {
		const id = crypto.randomUUID();
		tx.insert(designatedPerson)
			.values({ ...input, id })
			.run();
		audit(tx, actor, {
			action: 'designated_person.add',
			targetType: 'designated_person',
			targetId: id,
			summary: `${input.role}: ${input.name}`
		});
		return id;
	});
}

export function removeDesignatedPerson(db: Db, actor: Actor, id: string): boolean {
	return db.transaction((tx) => {
		const existing = tx.select().from(designatedPerson).where(eq(designatedPerson.id, id)).get();
		if (!existing) return false;
		tx.delete(designatedPerson).where(eq(designatedPerson.id, id)).run();
		audit(tx, actor, {
			action: 'designated_person.remove',
			targetType: 'designated_person',
			targetId: id,
			summary: `${existing.role}: ${existing.name}`
		});
		return true;
	});
}
