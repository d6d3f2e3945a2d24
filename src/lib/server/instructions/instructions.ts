import { and, asc, count, desc, eq, exists, gt, gte, inArray, isNotNull, isNull, max, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Db, DbOrTx } from '../db';
import {
	acknowledgement,
	acknowledgementTally,
	instruction,
	instructionTenant,
	instructionVersion,
	tenant,
	tenantAudience,
	user,
	userRole,
	type Instruction,
	type InstructionVersion
} from '../db/schema';
import { SECURITY_PLAN_INSTRUCTION_KEY, type InstructionAudience, type InstructionCategory } from '../../domain';
import { audit, type Actor } from '../actor';
import type { SessionUser } from '../auth/session';
import { canReadInstruction } from '../auth/policies';
import { listDesignatedPersons } from '../organisation/organisation';
import { claimReminder, notify } from '../notifications/notifications';
import { enqueueWebhookEvent } from '../webhooks/outbox';
import { DAY_MS } from '../../time';

export interface InstructionContent {
	titleFi: string;
	bodyFi: string;
	titleSv: string;
	bodySv: string;
	titleEn: string | null;
	bodyEn: string | null;
	attachment?: { name: string; path: string; sha256: string } | null;
}

export interface InstructionSettings {
	category: InstructionCategory;
	allTenants: boolean;
	tenantIds: string[];
	audience: InstructionAudience;
	requiresAck: boolean;
}

function versionValues(content: InstructionContent) {
	return {
		titleFi: content.titleFi,
		bodyFi: content.bodyFi,
		titleSv: content.titleSv,
		bodySv: content.bodySv,
		titleEn: content.titleEn || null,
		bodyEn: content.bodyEn || null,
		attachmentName: content.attachment?.name ?? null,
		attachmentPath: content.attachment?.path ?? null,
		attachmentSha256: content.attachment?.sha256 ?? null
	};
}

function setTargets(tx: DbOrTx, instructionId: string, settings: InstructionSettings) {
	tx.delete(instructionTenant).where(eq(instructionTenant.instructionId, instructionId)).run();
	if (!settings.allTenants && settings.tenantIds.length) {
		tx.insert(instructionTenant)
			.values(settings.tenantIds.map((tenantId) => ({ instructionId, tenantId })))
			.run();
	}
}

/** A new instruction and its first version (which everyone in the audience owes an acknowledgement). */
export function createInstruction(
	db: Db,
	actor: Actor,
	settings: InstructionSettings,
	content: InstructionContent,
	now = new Date()
): string {
	return db.transaction((tx) => {
		const id = crypto.randomUUID();
		tx.insert(instruction)
			.values({
				id,
				category: settings.category,
				allTenants: settings.allTenants,
				audience: settings.audience,
				requiresAck: settings.requiresAck,
				createdAt: now,
				createdBy: actor.label
			})
			.run();
		setTargets(tx, id, settings);
		const versionId = crypto.randomUUID();
		tx.insert(instructionVersion)
			.values({
				...versionValues(content),
				id: versionId,
				instructionId: id,
				version: 1,
				material: true,
				changeSummary: '',
				publishedAt: now,
				publishedBy: actor.label
			})
			.run();
		audit(tx, actor, { action: 'instruction.create', targetType: 'instruction', targetId: id, summary: content.titleFi });
		return id;
	});
}

/** The instructions the portal writes itself, by `instruction.systemKey`. */
export const SYSTEM_INSTRUCTIONS = {
	/** The binding parts of the main connector's approved information-security plan (agreement §2). */
	securityPlan: SECURITY_PLAN_INSTRUCTION_KEY
} as const;
export type SystemInstructionKey = (typeof SYSTEM_INSTRUCTIONS)[keyof typeof SYSTEM_INSTRUCTIONS];

/**
 * Raised when a hand edit reaches a system instruction: its text comes only from its source (an
 * approved plan version), so it is never published, re-targeted or archived by hand. Routes check
 * `systemKey` first and answer in words; this is the domain's own guard for every other caller.
 */
export class SystemInstructionError extends Error {
	constructor(readonly instructionId: string) {
		super(`instruction ${instructionId} is written by the portal and cannot be changed by hand`);
		this.name = 'SystemInstructionError';
	}
}

function refuseSystemInstruction(tx: DbOrTx, id: string): void {
	if (getInstruction(tx, id)?.systemKey) throw new SystemInstructionError(id);
}

export function updateInstructionSettings(db: Db, actor: Actor, id: string, settings: InstructionSettings): void {
	db.transaction((tx) => {
		refuseSystemInstruction(tx, id);
		tx.update(instruction)
			.set({ category: settings.category, allTenants: settings.allTenants, audience: settings.audience, requiresAck: settings.requiresAck })
			.where(eq(instruction.id, id))
			.run();
		setTargets(tx, id, settings);
		audit(tx, actor, {
			action: 'instruction.settings',
			targetType: 'instruction',
			targetId: id,
			summary: `${settings.audience}, ${settings.allTenants ? 'all tenants' : `${settings.tenantIds.length} tenants`}`
		});
	});
}

/**
 * A new version. Material: everyone acknowledges again. Minor: earlier acknowledgements still
 * count. Every version is kept, so what each person acknowledged stays readable.
 */
export function publishVersion(
	db: Db,
	actor: Actor,
	instructionId: string,
	change: { material: boolean; changeSummary: string },
	content: InstructionContent,
	now = new Date()
): number {
	return db.transaction((tx) => {
		refuseSystemInstruction(tx, instructionId);
		const latest = currentVersion(tx, instructionId);
		const version = (latest?.version ?? 0) + 1;
		const attachment =
			content.attachment === undefined && latest?.attachmentPath
				? { name: latest.attachmentName!, path: latest.attachmentPath, sha256: latest.attachmentSha256! }
				: content.attachment;
		tx.insert(instructionVersion)
			.values({
				...versionValues({ ...content, attachment }),
				id: crypto.randomUUID(),
				instructionId,
				version,
				material: change.material,
				changeSummary: change.changeSummary,
				publishedAt: now,
				publishedBy: actor.label
			})
			.run();
		audit(tx, actor, {
			action: 'instruction.publish',
			targetType: 'instruction',
			targetId: instructionId,
			summary: `v${version} ${change.material ? 'material' : 'minor'}: ${change.changeSummary}`
		});
		return version;
	});
}

export function archiveInstruction(db: Db, actor: Actor, id: string, now = new Date()): void {
	db.transaction((tx) => {
		refuseSystemInstruction(tx, id);
		tx.update(instruction).set({ archivedAt: now }).where(eq(instruction.id, id)).run();
		audit(tx, actor, { action: 'instruction.archive', targetType: 'instruction', targetId: id });
	});
}

export function systemInstruction(db: DbOrTx, key: SystemInstructionKey): Instruction | undefined {
	return db.select().from(instruction).where(eq(instruction.systemKey, key)).get();
}

const sameText = (version: InstructionVersion, content: InstructionContent) =>
	version.titleFi === content.titleFi &&
	version.bodyFi === content.bodyFi &&
	version.titleSv === content.titleSv &&
	version.bodySv === content.bodySv &&
	(version.titleEn ?? '') === (content.titleEn ?? '') &&
	(version.bodyEn ?? '') === (content.bodyEn ?? '');

/**
 * Publishes the text of a system instruction, inside the caller's transaction (the change that
 * produced the text and its publication commit together). The instruction is made on first use: for
 * every tenant, all its staff, acknowledgement required. Every new text is a material version (each
 * person acknowledges it again); the same text as the current version publishes nothing. Returns the
 * version published, or null when the text was unchanged.
 */
export function publishSystemInstruction(
	tx: DbOrTx,
	actor: Actor,
	key: SystemInstructionKey,
	category: InstructionCategory,
	content: Omit<InstructionContent, 'attachment'>,
	source: { securityPlanVersionId: string | null; changeSummary: string },
	now: Date
): { instructionId: string; version: number } | null {
	let item = systemInstruction(tx, key);
	if (!item) {
		const id = crypto.randomUUID();
		tx.insert(instruction)
			.values({
				id,
				category,
				allTenants: true,
				audience: 'all_staff',
				requiresAck: true,
				createdAt: now,
				createdBy: actor.label,
				systemKey: key
			})
			.run();
		audit(tx, actor, { action: 'instruction.create', targetType: 'instruction', targetId: id, summary: `${key}: ${content.titleFi}` });
		item = getInstruction(tx, id)!;
	} else if (item.archivedAt) {
		tx.update(instruction).set({ archivedAt: null }).where(eq(instruction.id, item.id)).run();
		audit(tx, actor, { action: 'instruction.restore', targetType: 'instruction', targetId: item.id, summary: key });
	}
	const latest = currentVersion(tx, item.id);
	if (latest && sameText(latest, { ...content, attachment: null })) return null;
	const version = (latest?.version ?? 0) + 1;
	tx.insert(instructionVersion)
		.values({
			...versionValues({ ...content, attachment: null }),
			id: crypto.randomUUID(),
			instructionId: item.id,
			version,
			material: true,
			changeSummary: source.changeSummary,
			publishedAt: now,
			publishedBy: actor.label,
			securityPlanVersionId: source.securityPlanVersionId
		})
		.run();
	audit(tx, actor, {
		action: 'instruction.publish',
		targetType: 'instruction',
		targetId: item.id,
		summary: `v${version} material (${key}): ${source.changeSummary}`
	});
	return { instructionId: item.id, version };
}

/** Withdraws a system instruction when its source no longer gives it any text (kept, with its history). */
export function archiveSystemInstruction(tx: DbOrTx, actor: Actor, key: SystemInstructionKey, now: Date): boolean {
	const item = systemInstruction(tx, key);
	if (!item || item.archivedAt) return false;
	tx.update(instruction).set({ archivedAt: now }).where(eq(instruction.id, item.id)).run();
	audit(tx, actor, { action: 'instruction.archive', targetType: 'instruction', targetId: item.id, summary: key });
	return true;
}

export function getInstruction(db: DbOrTx, id: string): Instruction | undefined {
	return db.select().from(instruction).where(eq(instruction.id, id)).get();
}

export function listInstructions(db: DbOrTx, includeArchived = false): Instruction[] {
	const rows = db.select().from(instruction).orderBy(asc(instruction.category), asc(instruction.createdAt)).all();
	return includeArchived ? rows : rows.filter((i) => !i.archivedAt);
}

export function listVersions(db: DbOrTx, instructionId: string): InstructionVersion[] {
	return db
		.select()
		.from(instructionVersion)
		.where(eq(instructionVersion.instructionId, instructionId))
		.orderBy(desc(instructionVersion.version))
		.all();
}

export function currentVersion(db: DbOrTx, instructionId: string): InstructionVersion | undefined {
	return db
		.select()
		.from(instructionVersion)
		.where(eq(instructionVersion.instructionId, instructionId))
		.orderBy(desc(instructionVersion.version))
		.get();
}

export function getVersion(db: DbOrTx, versionId: string): InstructionVersion | undefined {
	return db.select().from(instructionVersion).where(eq(instructionVersion.id, versionId)).get();
}

/** The oldest version an acknowledgement may be of and still count: the latest material one. */
export function baselineVersion(db: DbOrTx, instructionId: string): InstructionVersion | undefined {
	return db
		.select()
		.from(instructionVersion)
		.where(and(eq(instructionVersion.instructionId, instructionId), eq(instructionVersion.material, true)))
		.orderBy(desc(instructionVersion.version))
		.get();
}

export type Language = 'fi' | 'sv' | 'en';

/** The reader's language when the version has it; otherwise the nearest (Swedish readers get Finnish next, others Finnish). */
export function textFor(version: InstructionVersion, locale: string): { language: Language; title: string; body: string } {
	if (locale === 'en' && version.titleEn && version.bodyEn) return { language: 'en', title: version.titleEn, body: version.bodyEn };
	if (locale === 'sv') return { language: 'sv', title: version.titleSv, body: version.bodySv };
	return { language: 'fi', title: version.titleFi, body: version.bodyFi };
}

/** The hash of exactly what a reader acknowledges: title, text and the attachment's hash. */
export function contentHash(version: InstructionVersion, language: Language): string {
	const text = textFor(version, language);
	return createHash('sha256')
		.update(JSON.stringify([text.language, text.title, text.body, version.attachmentSha256 ?? '']))
		.digest('hex');
}

const CONTACT_ROLES = {
	'contact.disturbance': 'disturbance_contact',
	'contact.archivist': 'archivist',
	'contact.dpo': 'data_protection_officer',
	'contact.physician': 'responsible_physician'
} as const;

/**
 * Instruction text may name the designated persons as {{contact.dpo}} and so on; they are filled
 * in when read, so the text stays current when the people change.
 */
export function fillContacts(db: DbOrTx, body: string): string {
	const persons = listDesignatedPersons(db);
	return body.replace(/\{\{\s*(contact\.[a-z]+)\s*\}\}/g, (whole, name: keyof typeof CONTACT_ROLES) => {
		const role = CONTACT_ROLES[name];
		if (!role) return whole;
		const found = persons.filter((p) => p.role === role);
		return found.length ? found.map((p) => [p.name, p.title, p.email, p.phone].filter(Boolean).join(', ')).join('; ') : '—';
	});
}

/** Whether this person may read the instruction; the policy is the authorisation module's (auth/policies.ts). */
export function instructionVisibleTo(db: DbOrTx, item: Instruction, person: Pick<SessionUser, 'tenantId' | 'roles'>): boolean {
	return canReadInstruction(
		person,
		item,
		(tenantId) =>
			db
				.select()
				.from(instructionTenant)
				.where(and(eq(instructionTenant.instructionId, item.id), eq(instructionTenant.tenantId, tenantId)))
				.get() !== undefined
	);
}

/** The newest version this person has acknowledged, if any. */
export function lastAcknowledged(db: DbOrTx, userId: string, instructionId: string) {
	return db
		.select()
		.from(acknowledgement)
		.where(and(eq(acknowledgement.userId, userId), eq(acknowledgement.instructionId, instructionId)))
		.orderBy(desc(acknowledgement.version), desc(acknowledgement.at))
		.get();
}

export interface MyInstruction {
	instruction: Instruction;
	version: InstructionVersion;
	pending: boolean;
	acknowledgedVersion: number | null;
}

/**
 * The current and the baseline (latest material) version of each instruction named, in one query:
 * what `currentVersion` and `baselineVersion` give one instruction at a time.
 */
export function versionsOf(
	db: DbOrTx,
	ids: string[]
): Map<string, { current: InstructionVersion; baseline: InstructionVersion | undefined }> {
	const result = new Map<string, { current: InstructionVersion; baseline: InstructionVersion | undefined }>();
	if (ids.length === 0) return result;
	const rows = db
		.select()
		.from(instructionVersion)
		.where(inArray(instructionVersion.instructionId, ids))
		.orderBy(asc(instructionVersion.instructionId), desc(instructionVersion.version))
		.all();
	for (const v of rows) {
		const found = result.get(v.instructionId);
		if (!found) result.set(v.instructionId, { current: v, baseline: v.material ? v : undefined });
		else if (!found.baseline && v.material) found.baseline = v;
	}
	return result;
}

/** "My instructions": what awaits acknowledgement first, then the rest. A few queries in all, however many instructions. */
export function instructionsFor(db: DbOrTx, person: Pick<SessionUser, 'id' | 'tenantId' | 'roles'>): MyInstruction[] {
	const tenantId = person.tenantId;
	const chosen =
		tenantId === null
			? new Set<string>()
			: new Set(
					db
						.select({ id: instructionTenant.instructionId })
						.from(instructionTenant)
						.where(eq(instructionTenant.tenantId, tenantId))
						.all()
						.map((r) => r.id)
				);
	// The same rule as instructionVisibleTo, with the person's tenant's instructions looked up once.
	const visible = listInstructions(db).filter((item) => canReadInstruction(person, item, () => chosen.has(item.id)));
	const versions = versionsOf(
		db,
		visible.map((i) => i.id)
	);
	const acknowledged = new Map(
		db
			.select({ instructionId: acknowledgement.instructionId, version: max(acknowledgement.version) })
			.from(acknowledgement)
			.where(eq(acknowledgement.userId, person.id))
			.groupBy(acknowledgement.instructionId)
			.all()
			.map((r) => [r.instructionId, r.version])
	);
	return visible
		.map((item) => {
			const { current: version, baseline } = versions.get(item.id)!;
			const acked = acknowledged.get(item.id) ?? null;
			return {
				instruction: item,
				version,
				pending: item.requiresAck && (acked === null || acked < baseline!.version),
				acknowledgedVersion: acked
			};
		})
		.sort((a, b) => Number(b.pending) - Number(a.pending));
}

/** Records that this person read exactly this version, in this language. Never deleted. */
export function acknowledge(
	db: Db,
	person: SessionUser,
	instructionId: string,
	versionId: string,
	locale: string,
	client: { ipAddress: string; userAgent: string },
	now = new Date()
): boolean {
	return db.transaction((tx) => {
		const version = getVersion(tx, versionId);
		const item = getInstruction(tx, instructionId);
		if (!version || !item || version.instructionId !== instructionId || version.version !== currentVersion(tx, instructionId)?.version)
			return false;
		if (!instructionVisibleTo(tx, item, person)) return false;
		const language = textFor(version, locale).language;
		const id = crypto.randomUUID();
		tx.insert(acknowledgement)
			.values({
				id,
				userId: person.id,
				instructionId,
				versionId,
				version: version.version,
				language,
				contentSha256: contentHash(version, language),
				at: now,
				ipAddress: client.ipAddress,
				userAgent: client.userAgent.slice(0, 400)
			})
			.run();
		audit(
			tx,
			{ id: person.id, label: person.email, ipAddress: client.ipAddress },
			{
				tenantId: person.tenantId,
				action: 'instruction.acknowledge',
				targetType: 'instruction',
				targetId: instructionId,
				summary: `v${version.version} (${language})`
			}
		);
		// One event per acknowledgement (not per completed instruction): whether "everyone" has
		// acknowledged changes with every hire and leaver, so receivers count from these instead.
		enqueueWebhookEvent(
			tx,
			'acknowledgement.completed',
			{
				acknowledgementId: id,
				instructionId,
				versionId,
				version: version.version,
				userId: person.id,
				tenantId: person.tenantId,
				at: now.toISOString()
			},
			now
		);
		return true;
	});
}

export interface CoveragePerson {
	userId: string;
	name: string;
	email: string;
	acknowledgedAt: Date | null;
	acknowledgedVersion: number | null;
	current: boolean;
}

export interface TenantCoverage {
	tenantId: string;
	tenantName: string;
	people: CoveragePerson[];
	acknowledged: number;
	total: number;
}

/**
 * Who an instruction is for: active people of the tenants it reaches (current ones only, unless
 * `currentTenantsOnly` is false), and only administrators when its audience says so.
 */
type AudienceScope = { tenantId?: string; tenantIds?: string[]; currentTenantsOnly: boolean };

function audienceWhere(db: DbOrTx, item: Instruction, scope: AudienceScope) {
	const chosenTenants = db
		.select({ id: instructionTenant.tenantId })
		.from(instructionTenant)
		.where(eq(instructionTenant.instructionId, item.id));
	const isTenantAdmin = db
		.select({ one: sql`1` })
		.from(userRole)
		.where(and(eq(userRole.userId, user.id), eq(userRole.role, 'tenant_admin')));
	return and(
		eq(user.status, 'active'),
		// On tenant.id, so that a few chosen tenants lead the join rather than every current one.
		scope.tenantId !== undefined ? eq(tenant.id, scope.tenantId) : undefined,
		scope.tenantIds !== undefined ? inArray(tenant.id, scope.tenantIds) : undefined,
		scope.currentTenantsOnly ? isNull(tenant.archivedAt) : undefined,
		item.allTenants ? undefined : inArray(tenant.id, chosenTenants),
		item.audience === 'tenant_admins' ? exists(isTenantAdmin) : undefined
	);
}

/**
 * The active people an instruction is meant for, each with their newest acknowledgement, grouped
 * by tenant (tenants by name, people by name). One query whatever the number of tenants: each
 * person's newest acknowledgement is one seek in the (instruction, user, version) index.
 */
function audienceCoverage(db: DbOrTx, item: Instruction, scope: AudienceScope): TenantCoverage[] {
	if (item.archivedAt) return [];
	const baseline = baselineVersion(db, item.id);
	const newest = (column: typeof acknowledgement.version | typeof acknowledgement.at) =>
		sql`(select ${column} from ${acknowledgement} where ${acknowledgement.instructionId} = ${item.id} and ${acknowledgement.userId} = ${user.id} order by ${acknowledgement.version} desc, ${acknowledgement.at} desc limit 1)`;
	const rows = db
		.select({
			tenantId: tenant.id,
			tenantName: tenant.name,
			userId: user.id,
			name: user.name,
			email: user.email,
			version: newest(acknowledgement.version).mapWith(Number),
			at: newest(acknowledgement.at).mapWith(acknowledgement.at)
		})
		.from(user)
		.innerJoin(tenant, eq(user.tenantId, tenant.id))
		.where(audienceWhere(db, item, scope))
		.orderBy(asc(tenant.name), asc(tenant.id), asc(user.name), asc(user.id))
		.all();
	const result: TenantCoverage[] = [];
	for (const row of rows) {
		let group = result.at(-1);
		if (group?.tenantId !== row.tenantId)
			result.push((group = { tenantId: row.tenantId, tenantName: row.tenantName, people: [], acknowledged: 0, total: 0 }));
		const current = row.version !== null && baseline !== undefined && row.version >= baseline.version;
		group.people.push({
			userId: row.userId,
			name: row.name,
			email: row.email,
			acknowledgedAt: row.at,
			acknowledgedVersion: row.version,
			current
		});
		group.total++;
		if (current) group.acknowledged++;
	}
	return result;
}

type TenantCoverageCount = Omit<TenantCoverage, 'people'>;

export interface CoverageCounts {
	/** One page of the tenants reached (by name), each with its counts. */
	tenants: TenantCoverageCount[];
	/** Over every tenant reached. */
	tenantCount: number;
	acknowledged: number;
	total: number;
}

/**
 * Totals for an instruction meant for every tenant: everything counted, less the archived tenants
 * (a few hundred), which reads two small sums instead of joining 10,000 tenants.
 */
function nationalTotals(db: DbOrTx, item: Instruction, admins: boolean): { tenantCount: number; total: number; acknowledged: number } {
	const audience = admins ? tenantAudience.admins : tenantAudience.people;
	const tally = admins ? acknowledgementTally.admins : acknowledgementTally.people;
	const everyone = db
		.select({ tenantCount: count(), total: sql<number>`coalesce(sum(${audience}), 0)` })
		.from(tenantAudience)
		.where(gt(audience, 0))
		.get()!;
	const acknowledged = db
		.select({ n: sql<number>`coalesce(sum(${tally}), 0)` })
		.from(acknowledgementTally)
		.where(eq(acknowledgementTally.instructionId, item.id))
		.get()!.n;
	const archived = db
		.select({
			tenantCount: count(),
			total: sql<number>`coalesce(sum(${audience}), 0)`,
			acknowledged: sql<number>`coalesce(sum(coalesce(${tally}, 0)), 0)`
		})
		.from(tenant)
		.innerJoin(tenantAudience, eq(tenantAudience.tenantId, tenant.id))
		.leftJoin(acknowledgementTally, and(eq(acknowledgementTally.tenantId, tenant.id), eq(acknowledgementTally.instructionId, item.id)))
		.where(and(isNotNull(tenant.archivedAt), gt(audience, 0)))
		.get()!;
	return {
		tenantCount: everyone.tenantCount - archived.tenantCount,
		total: everyone.total - archived.total,
		acknowledged: acknowledged - archived.acknowledged
	};
}

/**
 * Coverage as counts: totals over every tenant the instruction reaches and one page of tenants.
 * Read from the counts the database keeps (migration 0007: `tenant_audience`,
 * `acknowledgement_tally`), so an instruction for every tenant costs one row per tenant, not one
 * lookup per person; `coverage()` lists one tenant's people when someone opens it.
 */
export function coverageCounts(
	db: DbOrTx,
	item: Instruction,
	paging: { page: number; pageSize: number } = { page: 1, pageSize: 0 }
): CoverageCounts {
	if (item.archivedAt) return { tenants: [], tenantCount: 0, acknowledged: 0, total: 0 };
	const admins = item.audience === 'tenant_admins';
	const audience = admins ? tenantAudience.admins : tenantAudience.people;
	const acknowledged = sql<number>`coalesce(${admins ? acknowledgementTally.admins : acknowledgementTally.people}, 0)`;
	// Current tenants with anyone in the audience (and, for a limited instruction, chosen ones).
	const reached = <T extends Record<string, unknown>>(fields: Parameters<typeof db.select>[0] & T) =>
		db
			.select(fields)
			.from(tenant)
			.innerJoin(tenantAudience, eq(tenantAudience.tenantId, tenant.id))
			.leftJoin(acknowledgementTally, and(eq(acknowledgementTally.tenantId, tenant.id), eq(acknowledgementTally.instructionId, item.id)))
			.where(
				and(
					isNull(tenant.archivedAt),
					gt(audience, 0),
					item.allTenants
						? undefined
						: inArray(
								tenant.id,
								db.select({ id: instructionTenant.tenantId }).from(instructionTenant).where(eq(instructionTenant.instructionId, item.id))
							)
				)
			);
	const sums = item.allTenants
		? nationalTotals(db, item, admins)
		: reached({
				tenantCount: count(),
				total: sql<number>`coalesce(sum(${audience}), 0)`,
				acknowledged: sql<number>`coalesce(sum(${acknowledged}), 0)`
			}).get()!;
	const tenants =
		paging.pageSize === 0
			? []
			: reached({ tenantId: tenant.id, tenantName: tenant.name, total: audience, acknowledged })
					.orderBy(asc(tenant.name), asc(tenant.id))
					.limit(paging.pageSize)
					.offset((paging.page - 1) * paging.pageSize)
					.all();
	return { tenants, tenantCount: sums.tenantCount, acknowledged: sums.acknowledged, total: sums.total };
}

/** Active people of a tenant an instruction is meant for, with whether each holds a current acknowledgement. */
export function coverage(
	db: DbOrTx,
	item: Instruction,
	tenantId: string
): { people: CoveragePerson[]; acknowledged: number; total: number } {
	const [found] = audienceCoverage(db, item, { tenantId, currentTenantsOnly: false });
	return found ? { people: found.people, acknowledged: found.acknowledged, total: found.total } : { people: [], acknowledged: 0, total: 0 };
}

/**
 * Who in the tenant the given instructions reach: its active people by name (and who is an
 * administrator), the live instructions that reach the tenant (for all tenants, or chosen for this
 * one) and each one's baseline version. Null when there is no live instruction or nobody.
 */
function reachedInTenant(db: DbOrTx, items: Instruction[], tenantId: string) {
	const live = items.filter((item) => !item.archivedAt);
	if (live.length === 0) return null;
	const ids = live.map((item) => item.id);
	const isTenantAdmin = db
		.select({ one: sql`1` })
		.from(userRole)
		.where(and(eq(userRole.userId, user.id), eq(userRole.role, 'tenant_admin')));
	const people = db
		.select({ userId: user.id, name: user.name, email: user.email, admin: exists(isTenantAdmin).mapWith(Boolean) })
		.from(user)
		.innerJoin(tenant, eq(user.tenantId, tenant.id))
		.where(and(eq(user.status, 'active'), eq(tenant.id, tenantId)))
		.orderBy(asc(user.name), asc(user.id))
		.all();
	if (people.length === 0) return null;
	const chosen = new Set(
		db
			.select({ id: instructionTenant.instructionId })
			.from(instructionTenant)
			.where(and(eq(instructionTenant.tenantId, tenantId), inArray(instructionTenant.instructionId, ids)))
			.all()
			.map((r) => r.id)
	);
	const baselines = new Map(
		db
			.select({ id: instructionVersion.instructionId, version: max(instructionVersion.version) })
			.from(instructionVersion)
			.where(and(inArray(instructionVersion.instructionId, ids), eq(instructionVersion.material, true)))
			.groupBy(instructionVersion.instructionId)
			.all()
			.map((r) => [r.id, r.version] as const)
	);
	return { people, reached: live.filter((item) => item.allTenants || chosen.has(item.id)), baselines };
}

/**
 * `coverage()` of every given instruction in one tenant, with a few queries in all whatever the
 * number of instructions: the tenant's active people (and who is an administrator), the
 * instructions limited to chosen tenants that chose this one, each instruction's baseline version
 * and the people's acknowledgements of these instructions. Same results as `coverage()` per item.
 */
export function coverageInTenant(
	db: DbOrTx,
	items: Instruction[],
	tenantId: string
): Map<string, { people: CoveragePerson[]; acknowledged: number; total: number }> {
	const result = new Map<string, { people: CoveragePerson[]; acknowledged: number; total: number }>();
	for (const item of items) result.set(item.id, { people: [], acknowledged: 0, total: 0 });
	const audience = reachedInTenant(db, items, tenantId);
	if (!audience) return result;
	const { people, reached, baselines } = audience;
	const ids = reached.map((item) => item.id);
	if (ids.length === 0) return result;
	// Each person's newest acknowledgement per instruction: newest version, then latest time. Read
	// as plain values (a large tenant has tens of thousands), the time as stored (milliseconds).
	const newest = new Map<string, { version: number; at: number }>();
	const acks = db
		.select({
			instructionId: acknowledgement.instructionId,
			userId: acknowledgement.userId,
			version: acknowledgement.version,
			at: acknowledgement.at
		})
		.from(user)
		.innerJoin(acknowledgement, and(eq(acknowledgement.userId, user.id), inArray(acknowledgement.instructionId, ids)))
		.where(eq(user.tenantId, tenantId))
		.values() as [string, string, number, number][];
	for (const [instructionId, userId, version, at] of acks) {
		const key = `${instructionId}:${userId}`;
		const seen = newest.get(key);
		if (!seen || version > seen.version || (version === seen.version && at > seen.at)) newest.set(key, { version, at });
	}
	for (const item of reached) {
		const baseline = baselines.get(item.id) ?? null;
		const entry = result.get(item.id)!;
		for (const person of people) {
			if (item.audience === 'tenant_admins' && !person.admin) continue;
			const ack = newest.get(`${item.id}:${person.userId}`);
			const current = ack !== undefined && baseline !== null && ack.version >= baseline;
			entry.people.push({
				userId: person.userId,
				name: person.name,
				email: person.email,
				acknowledgedAt: ack ? new Date(ack.at) : null,
				acknowledgedVersion: ack?.version ?? null,
				current
			});
			entry.total++;
			if (current) entry.acknowledged++;
		}
	}
	return result;
}

/**
 * The people of `coverageInTenant`, instruction by instruction in the same order, at most `size`
 * people at a time, each part's acknowledgements read for its own people (by instruction and person,
 * along the index): for an export sent as it is made. The tenant's people are read at the first part.
 */
export function* coverageInTenantParts(
	db: DbOrTx,
	items: Instruction[],
	tenantId: string,
	size: number
): Generator<{ item: Instruction; people: CoveragePerson[] }> {
	const audience = reachedInTenant(db, items, tenantId);
	if (!audience) return;
	for (const item of audience.reached) {
		const baseline = audience.baselines.get(item.id) ?? null;
		const eligible = item.audience === 'tenant_admins' ? audience.people.filter((p) => p.admin) : audience.people;
		for (let i = 0; i < eligible.length; i += size) {
			const part = eligible.slice(i, i + size);
			const newest = new Map<string, { version: number; at: number }>();
			const acks = db
				.select({ userId: acknowledgement.userId, version: acknowledgement.version, at: acknowledgement.at })
				.from(acknowledgement)
				.where(
					and(
						eq(acknowledgement.instructionId, item.id),
						inArray(
							acknowledgement.userId,
							part.map((p) => p.userId)
						)
					)
				)
				.values() as [string, number, number][];
			for (const [userId, version, at] of acks) {
				const seen = newest.get(userId);
				if (!seen || version > seen.version || (version === seen.version && at > seen.at)) newest.set(userId, { version, at });
			}
			yield {
				item,
				people: part.map((person) => {
					const ack = newest.get(person.userId);
					return {
						userId: person.userId,
						name: person.name,
						email: person.email,
						acknowledgedAt: ack ? new Date(ack.at) : null,
						acknowledgedVersion: ack?.version ?? null,
						current: ack !== undefined && baseline !== null && ack.version >= baseline
					};
				})
			};
		}
	}
}

/** Coverage of one instruction across the current tenants it reaches (those with anyone to reach). */
export function coverageByTenant(db: DbOrTx, item: Instruction, onlyTenantId?: string): TenantCoverage[] {
	return audienceCoverage(db, item, { tenantId: onlyTenantId, currentTenantsOnly: true });
}

/**
 * The same as `coverageByTenant` for every tenant, read `tenantsPerPart` tenants at a time (tenants
 * by name, as there), for an export sent in parts: each part is one short query, not the whole country.
 */
export function* coverageByTenantParts(db: DbOrTx, item: Instruction, tenantsPerPart: number): Generator<TenantCoverage[]> {
	if (item.archivedAt) return;
	const chosen = db.select({ id: instructionTenant.tenantId }).from(instructionTenant).where(eq(instructionTenant.instructionId, item.id));
	const tenants = db
		.select({ id: tenant.id })
		.from(tenant)
		.where(and(isNull(tenant.archivedAt), item.allTenants ? undefined : inArray(tenant.id, chosen)))
		.orderBy(asc(tenant.name), asc(tenant.id))
		.all()
		.map((t) => t.id);
	for (let i = 0; i < tenants.length; i += tenantsPerPart)
		yield audienceCoverage(db, item, { tenantIds: tenants.slice(i, i + tenantsPerPart), currentTenantsOnly: true });
}

/** Per person of a tenant: the instructions they still owe an acknowledgement for. */
export function missingByPerson(db: DbOrTx, tenantId: string): { userId: string; name: string; missing: Instruction[] }[] {
	const result = new Map<string, { userId: string; name: string; missing: Instruction[] }>();
	for (const item of listInstructions(db).filter((i) => i.requiresAck)) {
		for (const person of coverage(db, item, tenantId).people.filter((p) => !p.current)) {
			const entry = result.get(person.userId) ?? { userId: person.userId, name: person.name, missing: [] };
			entry.missing.push(item);
			result.set(person.userId, entry);
		}
	}
	return [...result.values()];
}

/**
 * Reminds people who still owe an acknowledgement: first after `afterDays` from the version that
 * asked for it, then weekly. Each reminder (per person, version and week) is sent once.
 */
export function scanAcknowledgementReminders(db: Db, now = new Date(), afterDays = 7): number {
	let sent = 0;
	db.transaction((tx) => {
		for (const item of listInstructions(tx).filter((i) => i.requiresAck)) {
			const baseline = baselineVersion(tx, item.id);
			if (!baseline) continue;
			const days = Math.floor((now.getTime() - baseline.publishedAt.getTime()) / DAY_MS);
			if (days < afterDays) continue;
			const week = Math.floor((days - afterDays) / 7);
			const current = currentVersion(tx, item.id)!;
			for (const t of coverageByTenant(tx, item)) {
				for (const person of t.people.filter((p) => !p.current)) {
					if (!claimReminder(tx, person.userId, `ack:${item.id}:v${baseline.version}:w${week}`, now)) continue;
					sent += notify(
						tx,
						[person.userId],
						'instruction_pending',
						{ titleFi: current.titleFi, titleSv: current.titleSv, titleEn: current.titleEn ?? '' },
						`/my-instructions/${item.id}`,
						now
					);
				}
			}
		}
	});
	return sent;
}

/** Acknowledgements since a moment, newest first (for the coverage report's export). */
export function listAcknowledgements(db: DbOrTx, instructionId: string, since = new Date(0)) {
	return db
		.select({ ack: acknowledgement, name: user.name, email: user.email, tenantId: user.tenantId })
		.from(acknowledgement)
		.innerJoin(user, eq(acknowledgement.userId, user.id))
		.where(and(eq(acknowledgement.instructionId, instructionId), gte(acknowledgement.at, since)))
		.orderBy(desc(acknowledgement.at))
		.all();
}
