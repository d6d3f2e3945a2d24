import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { trainingModule, trainingRecord, user, userRole, type Role, type TrainingModule, type TrainingRecord } from '../db/schema';
import { audit, type Actor } from '../actor';
import { addDays, addMonths, todayInHelsinki } from '../../time';
import { activePeopleWithRoles, claimReminder, notify } from '../notifications/notifications';
import { checkEvidenceFile } from '../evidence/file-check';

export type ModuleInput = Omit<TrainingModule, 'id' | 'createdAt'>;

/** Two modules every installation starts with; administrators edit and add more. */
export const DEFAULT_TRAINING_MODULES: ModuleInput[] = [
	{
		code: 'kanta_use',
		nameFi: 'Kanta-palvelujen käyttö',
		nameSv: 'Användning av Kanta-tjänsterna',
		nameEn: 'Using the Kanta services',
		descriptionFi: 'Kirjaaminen, suostumukset ja kiellot sekä Kanta-palvelujen toimintamallit omassa työssä.',
		descriptionSv: 'Dokumentation, samtycken och förbud samt Kanta-tjänsternas verksamhetsmodeller i det egna arbetet.',
		descriptionEn: 'Recording, consents and prohibitions, and the Kanta operating models in everyday work.',
		validityMonths: 24,
		requiredForRoles: ['tenant_staff'],
		active: true
	},
	{
		code: 'data_protection',
		nameFi: 'Tietosuoja ja tietoturva',
		nameSv: 'Dataskydd och informationssäkerhet',
		nameEn: 'Data protection and information security',
		descriptionFi: 'Asiakastietojen käsittely, käyttöoikeudet, lokit ja tietoturvaloukkauksista ilmoittaminen.',
		descriptionSv: 'Behandling av klientuppgifter, behörigheter, loggar och anmälan av personuppgiftsincidenter.',
		descriptionEn: 'Handling client data, access rights, logs and reporting personal data breaches.',
		validityMonths: 12,
		requiredForRoles: ['tenant_staff', 'tenant_admin'],
		active: true
	}
];

export function seedDefaultTrainingModules(tx: DbOrTx): void {
	tx.insert(trainingModule)
		.values(DEFAULT_TRAINING_MODULES.map((m) => ({ ...m, id: crypto.randomUUID() })))
		.onConflictDoNothing()
		.run();
}

export function listModules(db: DbOrTx, includeInactive = false): TrainingModule[] {
	const rows = db.select().from(trainingModule).orderBy(asc(trainingModule.code)).all();
	return includeInactive ? rows : rows.filter((m) => m.active);
}

export function getModule(db: DbOrTx, id: string): TrainingModule | undefined {
	return db.select().from(trainingModule).where(eq(trainingModule.id, id)).get();
}

export function moduleName(module: Pick<TrainingModule, 'nameFi' | 'nameSv' | 'nameEn'>, locale: string): string {
	return locale === 'sv' ? module.nameSv : locale === 'en' ? module.nameEn : module.nameFi;
}

export function saveModule(
	db: Db,
	actor: Actor,
	input: ModuleInput,
	id?: string
): { ok: true; id: string } | { ok: false; reason: 'code_taken' } {
	return db.transaction((tx) => {
		const same = tx.select({ id: trainingModule.id }).from(trainingModule).where(eq(trainingModule.code, input.code)).get();
		if (same && same.id !== id) return { ok: false, reason: 'code_taken' } as const;
		const moduleId = id ?? crypto.randomUUID();
		if (id) tx.update(trainingModule).set(input).where(eq(trainingModule.id, id)).run();
		else
			tx.insert(trainingModule)
				.values({ ...input, id: moduleId })
				.run();
		audit(tx, actor, {
			action: id ? 'training_module.update' : 'training_module.create',
			targetType: 'training_module',
			targetId: moduleId,
			summary: input.code
		});
		return { ok: true, id: moduleId } as const;
	});
}

/** The last day a completion counts, or null when the module never expires. */
export function trainingValidUntil(completedOn: string, validityMonths: number | null): string | null {
	return validityMonths ? addMonths(completedOn, validityMonths) : null;
}

export interface RecordInput {
	moduleId: string;
	userId: string;
	completedOn: string;
	evidence?: { name: string; path: string; mimeType: string };
}

/** Which tenant's people the recorder may name; unset when a person declares their own training. */
export interface RecordScope {
	tenantId?: string;
}

/** Why a completion is not recorded; each names the field at fault. */
export type TrainingRecordRefusal = 'person_not_found' | 'module_not_active' | 'completed_in_future';

/**
 * The rules of a completion: an active person (of the recorder's tenant, when one is named), an
 * active module, and a completion day not after today. Exported so that a route can ask before it
 * stores an evidence file; `addTrainingRecord` asks again inside its transaction.
 */
export function trainingRecordRefusal(
	db: DbOrTx,
	input: Pick<RecordInput, 'moduleId' | 'userId' | 'completedOn'>,
	scope: RecordScope = {},
	now = new Date()
): TrainingRecordRefusal | null {
	const person = db.select().from(user).where(eq(user.id, input.userId)).get();
	if (!person || person.status !== 'active' || (scope.tenantId !== undefined && person.tenantId !== scope.tenantId))
		return 'person_not_found';
	if (!getModule(db, input.moduleId)?.active) return 'module_not_active';
	if (input.completedOn > todayInHelsinki(now)) return 'completed_in_future';
	return null;
}

export type RecordResult = { ok: true; id: string } | { ok: false; reason: TrainingRecordRefusal };

/**
 * A completed training. Entered by an administrator it counts at once; declared by the person
 * themselves it waits for the administrator's confirmation.
 */
export function addTrainingRecord(
	db: Db,
	actor: Actor,
	input: RecordInput,
	confirmed: boolean,
	now = new Date(),
	scope: RecordScope = {}
): RecordResult {
	return db.transaction((tx): RecordResult => {
		const refusal = trainingRecordRefusal(tx, input, scope, now);
		if (refusal) return { ok: false, reason: refusal };
		const module = getModule(tx, input.moduleId)!;
		const person = tx.select().from(user).where(eq(user.id, input.userId)).get()!;
		const id = crypto.randomUUID();
		tx.insert(trainingRecord)
			.values({
				id,
				moduleId: module.id,
				userId: person.id,
				tenantId: person.tenantId,
				completedOn: input.completedOn,
				validUntil: trainingValidUntil(input.completedOn, module.validityMonths),
				confirmed,
				confirmedBy: confirmed ? actor.label : null,
				confirmedAt: confirmed ? now : null,
				evidenceName: input.evidence?.name ?? null,
				evidencePath: input.evidence?.path ?? null,
				evidenceMimeType: input.evidence?.mimeType ?? null,
				createdAt: now,
				createdBy: actor.label
			})
			.run();
		audit(tx, actor, {
			tenantId: person.tenantId,
			action: confirmed ? 'training.record' : 'training.declare',
			targetType: 'training_record',
			targetId: id,
			summary: `${module.code} ${input.completedOn} for ${person.email}`
		});
		return { ok: true, id };
	});
}

/** Confirms a declared completion of one of the tenant's people; a record of another tenant is not found. */
export function confirmTrainingRecord(
	db: Db,
	actor: Actor,
	ref: { tenantId: string; recordId: string },
	now = new Date()
): { ok: true; record: TrainingRecord } | { ok: false; reason: 'not_found' | 'already_confirmed' } {
	return db.transaction((tx) => {
		const record = tx.select().from(trainingRecord).where(eq(trainingRecord.id, ref.recordId)).get();
		if (!record || record.tenantId !== ref.tenantId) return { ok: false, reason: 'not_found' } as const;
		if (record.confirmed) return { ok: false, reason: 'already_confirmed' } as const;
		tx.update(trainingRecord)
			.set({ confirmed: true, confirmedBy: actor.label, confirmedAt: now })
			.where(eq(trainingRecord.id, record.id))
			.run();
		audit(tx, actor, { tenantId: record.tenantId, action: 'training.confirm', targetType: 'training_record', targetId: record.id });
		return { ok: true, record: { ...record, confirmed: true } } as const;
	});
}

export function getTrainingRecord(db: DbOrTx, id: string): TrainingRecord | undefined {
	return db.select().from(trainingRecord).where(eq(trainingRecord.id, id)).get();
}

/**
 * The type a record's evidence file is served as: the one checked from its content on upload. A
 * record stored before the type was kept is checked once from `bytes` and the type remembered (a
 * derived fact of the file, so no audit entry). A file that cannot be checked is served as bytes.
 */
export async function trainingEvidenceType(
	db: DbOrTx,
	record: Pick<TrainingRecord, 'id' | 'evidenceName' | 'evidenceMimeType'>,
	bytes: Uint8Array
): Promise<string> {
	if (record.evidenceMimeType) return record.evidenceMimeType;
	const check = await checkEvidenceFile(bytes, record.evidenceName ?? '', Number.MAX_SAFE_INTEGER);
	if (!check.ok) return 'application/octet-stream';
	db.update(trainingRecord)
		.set({ evidenceMimeType: check.mimeType })
		.where(and(eq(trainingRecord.id, record.id), isNull(trainingRecord.evidenceMimeType)))
		.run();
	return check.mimeType;
}

export function listTenantRecords(db: DbOrTx, tenantId: string): TrainingRecord[] {
	return db.select().from(trainingRecord).where(eq(trainingRecord.tenantId, tenantId)).orderBy(desc(trainingRecord.completedOn)).all();
}

export function listPersonRecords(db: DbOrTx, userId: string): TrainingRecord[] {
	return db.select().from(trainingRecord).where(eq(trainingRecord.userId, userId)).orderBy(desc(trainingRecord.completedOn)).all();
}

export function isRecordValid(record: Pick<TrainingRecord, 'confirmed' | 'validUntil'>, today: string): boolean {
	return record.confirmed && (record.validUntil === null || record.validUntil >= today);
}

/** Modules each role of this person requires. */
function requiredModules(modules: TrainingModule[], roles: Role[]): TrainingModule[] {
	return modules.filter((m) => m.requiredForRoles.some((role) => roles.includes(role)));
}

export interface TrainingGap {
	userId: string;
	name: string;
	missing: TrainingModule[];
}

/** Active people of a tenant who lack a valid, confirmed completion of a module their role requires. */
export function peopleMissingTraining(db: DbOrTx, tenantId: string, now = new Date()): TrainingGap[] {
	const today = todayInHelsinki(now);
	const modules = listModules(db);
	if (modules.length === 0) return [];
	const people = db
		.select({ id: user.id, name: user.name })
		.from(user)
		.where(and(eq(user.tenantId, tenantId), eq(user.status, 'active')))
		.all();
	if (people.length === 0) return [];
	const roles = db
		.select()
		.from(userRole)
		.where(
			inArray(
				userRole.userId,
				db
					.select({ id: user.id })
					.from(user)
					.where(and(eq(user.tenantId, tenantId), eq(user.status, 'active')))
			)
		)
		.all();
	const held = new Set(
		listTenantRecords(db, tenantId)
			.filter((r) => isRecordValid(r, today))
			.map((r) => `${r.userId} ${r.moduleId}`)
	);
	const rolesOf = new Map<string, Role[]>();
	for (const r of roles) rolesOf.set(r.userId, [...(rolesOf.get(r.userId) ?? []), r.role]);
	return people
		.map((person) => {
			const missing = requiredModules(modules, rolesOf.get(person.id) ?? []).filter((module) => !held.has(`${person.id} ${module.id}`));
			return { userId: person.id, name: person.name, missing };
		})
		.filter((gap) => gap.missing.length > 0);
}

/**
 * The condition "this active person of the tenant lacks a valid, confirmed completion of a module
 * their role requires" over `user`, as SQL: the set-based form of `peopleMissingTraining` (each
 * module's holders are read once, not person by person). Null when no module requires anything.
 */
function missingTrainingCondition(modules: TrainingModule[], tenantId: string, today: string): SQL | null {
	const gaps = modules
		.filter((module) => module.requiredForRoles.length > 0)
		.map(
			(module) =>
				sql`(exists (select 1 from ${userRole} where ${userRole.userId} = ${user.id} and ${inArray(userRole.role, module.requiredForRoles)}) and ${user.id} not in (select ${trainingRecord.userId} from ${trainingRecord} where ${trainingRecord.tenantId} = ${tenantId} and ${trainingRecord.moduleId} = ${module.id} and ${trainingRecord.confirmed} = 1 and (${trainingRecord.validUntil} is null or ${trainingRecord.validUntil} >= ${today})))`
		);
	return gaps.length ? or(...gaps)! : null;
}

/** How many active people of the tenant lack training their role requires: `peopleMissingTraining(…).length`, counted in SQL. */
export function countPeopleMissingTraining(db: DbOrTx, tenantId: string, now = new Date()): number {
	const missing = missingTrainingCondition(listModules(db), tenantId, todayInHelsinki(now));
	if (!missing) return 0;
	return (
		db
			.select({ n: count() })
			.from(user)
			.where(and(eq(user.tenantId, tenantId), eq(user.status, 'active'), missing))
			.get()?.n ?? 0
	);
}

/** Whether anyone active in the tenant lacks training their role requires (stops at the first). */
export function anyoneMissingTraining(db: DbOrTx, tenantId: string, now = new Date()): boolean {
	const missing = missingTrainingCondition(listModules(db), tenantId, todayInHelsinki(now));
	if (!missing) return false;
	return (
		db
			.select({ id: user.id })
			.from(user)
			.where(and(eq(user.tenantId, tenantId), eq(user.status, 'active'), missing))
			.limit(1)
			.get() !== undefined
	);
}

/** Training that runs out within 30 days, and on the day it does: one reminder each, to the person and their administrators. */
export function scanTrainingReminders(db: Db, now = new Date()): number {
	const today = todayInHelsinki(now);
	const soon = addDays(today, 30);
	let sent = 0;
	db.transaction((tx) => {
		const expiring = tx
			.select({ record: trainingRecord, module: trainingModule, name: user.name, status: user.status })
			.from(trainingRecord)
			.innerJoin(trainingModule, eq(trainingRecord.moduleId, trainingModule.id))
			.innerJoin(user, eq(trainingRecord.userId, user.id))
			.where(
				and(
					eq(trainingRecord.confirmed, true),
					isNotNull(trainingRecord.validUntil),
					lte(trainingRecord.validUntil, soon),
					eq(user.status, 'active')
				)
			)
			.all();
		for (const row of expiring) {
			// A newer completion of the same module makes the old one's expiry irrelevant.
			const newer = tx
				.select({ id: trainingRecord.id })
				.from(trainingRecord)
				.where(
					and(eq(trainingRecord.userId, row.record.userId), eq(trainingRecord.moduleId, row.module.id), eq(trainingRecord.confirmed, true))
				)
				.all()
				.some((r) => r.id !== row.record.id && (getTrainingRecord(tx, r.id)?.completedOn ?? '') > row.record.completedOn);
			if (newer) continue;
			const expired = row.record.validUntil! < today;
			if (!claimReminder(tx, row.record.id, expired ? 'training:expired' : 'training:30', now)) continue;
			const people = [row.record.userId, ...(row.record.tenantId ? activePeopleWithRoles(tx, row.record.tenantId, ['tenant_admin']) : [])];
			sent += notify(
				tx,
				people,
				expired ? 'training_expired' : 'training_expiring',
				{
					person: row.name,
					moduleFi: row.module.nameFi,
					moduleSv: row.module.nameSv,
					moduleEn: row.module.nameEn,
					date: row.record.validUntil!
				},
				row.record.tenantId ? `/tenants/${row.record.tenantId}/training` : '/training',
				now
			);
		}
	});
	return sent;
}
