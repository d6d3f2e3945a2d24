import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
	AGREEMENT_LANGUAGES,
	DESIGNATED_ROLES,
	PROVIDER_TYPES,
	ROLES,
	SERVICE_SECTORS,
	TENANT_STAGES,
	TOKEN_PURPOSES,
	USER_STATUSES
} from '../../domain';

export * from '../../domain';

/** Timestamps are stored as integer milliseconds since the epoch (UTC). */
const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () =>
	timestamp('created_at')
		.notNull()
		.default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

/** The one main connector this installation serves (a single row once setup has run). */
export const mainConnector = sqliteTable('main_connector', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	businessId: text('business_id').notNull(),
	oid: text('oid').notNull(),
	streetAddress: text('street_address').notNull(),
	postalCode: text('postal_code').notNull(),
	city: text('city').notNull(),
	contactEmail: text('contact_email').notNull(),
	soteriRegistration: text('soteri_registration').notNull().default(''),
	createdAt: createdAt(),
	updatedAt: timestamp('updated_at')
});

/** The main connector's designated persons (agreement §4, §12, §15, §17). Several per role allowed. */
export const designatedPerson = sqliteTable('designated_person', {
	id: text('id').primaryKey(),
	role: text('role', { enum: DESIGNATED_ROLES }).notNull(),
	name: text('name').notNull(),
	title: text('title').notNull().default(''),
	email: text('email').notNull(),
	phone: text('phone').notNull().default(''),
	createdAt: createdAt()
});

export const tenant = sqliteTable(
	'tenant',
	{
		id: text('id').primaryKey(),
		name: text('name').notNull(),
		businessId: text('business_id').notNull(),
		oid: text('oid').notNull(),
		streetAddress: text('street_address').notNull(),
		postalCode: text('postal_code').notNull(),
		city: text('city').notNull(),
		soteriRegistration: text('soteri_registration').notNull().default(''),
		serviceSector: text('service_sector', { enum: SERVICE_SECTORS }).notNull(),
		providerType: text('provider_type', { enum: PROVIDER_TYPES }).notNull(),
		agreementLanguage: text('agreement_language', { enum: AGREEMENT_LANGUAGES }).notNull(),
		stage: text('stage', { enum: TENANT_STAGES }).notNull().default('invited'),
		archivedAt: timestamp('archived_at'),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at')
	},
	(t) => [
		uniqueIndex('tenant_business_id_unique').on(t.businessId),
		index('tenant_stage_name_idx').on(t.stage, t.name),
		index('tenant_name_idx').on(t.name)
	]
);

export const serviceUnit = sqliteTable(
	'service_unit',
	{
		id: text('id').primaryKey(),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		oid: text('oid').notNull()
	},
	(t) => [index('service_unit_tenant_idx').on(t.tenantId)]
);

export const tenantContact = sqliteTable(
	'tenant_contact',
	{
		id: text('id').primaryKey(),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		title: text('title').notNull().default(''),
		email: text('email').notNull(),
		phone: text('phone').notNull().default('')
	},
	(t) => [index('tenant_contact_tenant_idx').on(t.tenantId)]
);

/** Kanta services a tenant may use (Annex 1 candidates); kept as data so administrators can extend it. */
export const kantaService = sqliteTable(
	'kanta_service',
	{
		id: text('id').primaryKey(),
		code: text('code').notNull(),
		nameFi: text('name_fi').notNull(),
		nameSv: text('name_sv').notNull(),
		nameEn: text('name_en').notNull(),
		/** True where a translation is our own and awaits review by a native terminologist. */
		needsReview: integer('needs_review', { mode: 'boolean' }).notNull().default(false),
		sortOrder: integer('sort_order').notNull().default(0),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('kanta_service_code_unique').on(t.code)]
);

export const tenantService = sqliteTable(
	'tenant_service',
	{
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id, { onDelete: 'cascade' }),
		serviceId: text('service_id')
			.notNull()
			.references(() => kantaService.id)
	},
	(t) => [primaryKey({ columns: [t.tenantId, t.serviceId] })]
);

/**
 * A person. `tenantId` null means the person works for the main connector;
 * otherwise they belong to exactly that tenant.
 */
export const user = sqliteTable(
	'user',
	{
		id: text('id').primaryKey(),
		email: text('email').notNull(),
		name: text('name').notNull(),
		passwordHash: text('password_hash'),
		tenantId: text('tenant_id').references(() => tenant.id),
		status: text('status', { enum: USER_STATUSES }).notNull().default('invited'),
		createdAt: createdAt(),
		deactivatedAt: timestamp('deactivated_at')
	},
	(t) => [uniqueIndex('user_email_unique').on(t.email), index('user_tenant_idx').on(t.tenantId)]
);

export const userRole = sqliteTable(
	'user_role',
	{
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ROLES }).notNull()
	},
	(t) => [primaryKey({ columns: [t.userId, t.role] })]
);

/** Sessions store only the SHA-256 of the token the browser holds. */
export const session = sqliteTable(
	'session',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at').notNull(),
		createdAt: createdAt(),
		ipAddress: text('ip_address').notNull().default(''),
		userAgent: text('user_agent').notNull().default('')
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

/** Single-use e-mailed links (invitations, password resets); only the token's SHA-256 is kept. */
export const emailToken = sqliteTable(
	'email_token',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		purpose: text('purpose', { enum: TOKEN_PURPOSES }).notNull(),
		expiresAt: timestamp('expires_at').notNull(),
		usedAt: timestamp('used_at'),
		createdAt: createdAt()
	},
	(t) => [index('email_token_user_idx').on(t.userId)]
);

/** Failed sign-in counters, one row per account or per client address. */
export const loginThrottle = sqliteTable('login_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull(),
	windowStartedAt: timestamp('window_started_at').notNull(),
	blockedUntil: timestamp('blocked_until')
});

/** Append-only, hash-chained record of every state change. */
export const auditEntry = sqliteTable(
	'audit_entry',
	{
		seq: integer('seq').primaryKey({ autoIncrement: true }),
		at: timestamp('at').notNull(),
		actorId: text('actor_id'),
		actorLabel: text('actor_label').notNull(),
		tenantId: text('tenant_id'),
		action: text('action').notNull(),
		targetType: text('target_type').notNull().default(''),
		targetId: text('target_id').notNull().default(''),
		summary: text('summary').notNull().default(''),
		ipAddress: text('ip_address').notNull().default(''),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [
		index('audit_tenant_seq_idx').on(t.tenantId, t.seq),
		index('audit_action_seq_idx').on(t.action, t.seq)
	]
);

/** Outgoing e-mail. Without SMTP_URL this is where messages stay, readable by administrators. */
export const outboxMessage = sqliteTable(
	'outbox_message',
	{
		id: text('id').primaryKey(),
		to: text('to').notNull(),
		subject: text('subject').notNull(),
		body: text('body').notNull(),
		createdAt: createdAt(),
		sentAt: timestamp('sent_at'),
		error: text('error')
	},
	(t) => [index('outbox_created_idx').on(t.createdAt)]
);

export type MainConnector = typeof mainConnector.$inferSelect;
export type Tenant = typeof tenant.$inferSelect;
export type User = typeof user.$inferSelect;
export type Session = typeof session.$inferSelect;
export type KantaService = typeof kantaService.$inferSelect;
export type AuditEntry = typeof auditEntry.$inferSelect;
export type OutboxMessage = typeof outboxMessage.$inferSelect;
