import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import {
	BREACH_DECISIONS,
	DATA_SUBJECT_DECISIONS,
	INCIDENT_KINDS,
	ONWARD_RECIPIENTS,
	INCIDENT_STATUSES,
	INSTRUCTION_AUDIENCES,
	INSTRUCTION_CATEGORIES,
	CERTIFICATE_KINDS,
	CHECKLIST_STATUSES,
	DERIVED_RULES,
	EVIDENCE_KINDS,
	HOLDER_TYPES,
	PREREQUISITE_CATEGORIES,
	AGREEMENT_LANGUAGES,
	AGREEMENT_STATUSES,
	CAMPAIGN_STATES,
	PARTIES,
	DESIGNATED_ROLES,
	PROVIDER_TYPES,
	ROLES,
	SECURITY_REQUIREMENT_STATUSES,
	SECURITY_RISK_LEVELS,
	SECURITY_RESPONSIBLE_PARTIES,
	SERVICE_SECTORS,
	SYSTEM_CLASSES,
	SYSTEM_PURPOSES,
	TENANT_STAGES,
	TOKEN_PURPOSES,
	USER_STATUSES
} from '../../domain';

export * from '../../domain';
import type { JointControlService } from '../../domain';

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
		index('tenant_name_idx').on(t.name),
		// The home page counts current tenants by stage from this index alone. (Led by stage: led by
		// archived_at, the planner would take it for every "current tenants" query and sort them all.)
		index('tenant_stage_archived_idx').on(t.stage, t.archivedAt)
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
		/**
		 * False for entries kept only so older tenant records stay readable (a support service or a
		 * Kela tool that is not used through the main connector's system): never a tenant's choice.
		 */
		selectable: integer('selectable', { mode: 'boolean' }).notNull().default(true),
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
		/** The language the person last chose; e-mail to them is written in it. */
		locale: text('locale', { enum: ['fi', 'sv', 'en'] })
			.notNull()
			.default('fi'),
		createdAt: createdAt(),
		deactivatedAt: timestamp('deactivated_at')
	},
	(t) => [
		uniqueIndex('user_email_unique').on(t.email),
		index('user_tenant_idx').on(t.tenantId),
		// The certificate holder picker: the first people by name without sorting everyone. Not (status,
		// name): the planner took that for a tenant's active people too, over user_tenant_idx (20× slower).
		index('user_name_idx').on(t.name)
	]
);

/**
 * Someone left (agreement §6): the main connector's administrators remove their rights in the
 * information system and mark the task done. Name and e-mail are copied so the task reads the same
 * whatever later happens to the person.
 */
export const leaverTask = sqliteTable(
	'leaver_task',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id),
		/** Null for the main connector's own people. */
		tenantId: text('tenant_id').references(() => tenant.id),
		personName: text('person_name').notNull(),
		personEmail: text('person_email').notNull(),
		createdAt: createdAt(),
		completedAt: timestamp('completed_at'),
		completedBy: text('completed_by')
	},
	(t) => [index('leaver_task_open_idx').on(t.completedAt, t.createdAt), index('leaver_task_tenant_idx').on(t.tenantId, t.completedAt)]
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
		userAgent: text('user_agent').notNull().default(''),
		/** Set when the person gave their second factor in this session. */
		twoFactorVerifiedAt: timestamp('two_factor_verified_at'),
		/** The OpenID Connect provider the person signed in through (null: password). */
		oidcProvider: text('oidc_provider'),
		/** The provider's ID token, kept only as the hint for RP-initiated logout. */
		oidcIdToken: text('oidc_id_token'),
		/** The provider asserted multi-factor authentication, so no local second step is asked. */
		mfaByProvider: integer('mfa_by_provider', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

/**
 * A person's identity at an OpenID Connect provider: once linked, the provider's subject id (not the
 * e-mail, which can change there) finds the account.
 */
export const oidcIdentity = sqliteTable(
	'oidc_identity',
	{
		provider: text('provider').notNull(),
		subject: text('subject').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		linkedAt: timestamp('linked_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.provider, t.subject] }), index('oidc_identity_user_idx').on(t.userId)]
);

/**
 * An authorization request in flight: the browser holds a random token (cookie), the server keeps
 * its SHA-256 with the state, nonce and PKCE verifier. A callback consumes the row, so it works once.
 */
export const oidcTransaction = sqliteTable('oidc_transaction', {
	id: text('id').primaryKey(),
	provider: text('provider').notNull(),
	purpose: text('purpose', { enum: ['sign_in', 'signature'] }).notNull(),
	state: text('state').notNull(),
	nonce: text('nonce').notNull(),
	codeVerifier: text('code_verifier').notNull(),
	/** Where to go afterwards (sign-in), or the signing form as JSON (signature). */
	context: text('context').notNull().default(''),
	userId: text('user_id').references(() => user.id, { onDelete: 'cascade' }),
	createdAt: timestamp('created_at').notNull(),
	expiresAt: timestamp('expires_at').notNull()
});

/**
 * Single sign-on choices of one organisation (`organisation` is 'main' or a tenant id): accounts
 * created on first sign-in, password sign-in refused, strong identification required at signing.
 */
export const oidcPolicy = sqliteTable('oidc_policy', {
	organisation: text('organisation').primaryKey(),
	autoCreateRole: text('auto_create_role', { enum: ROLES }),
	ssoOnly: integer('sso_only', { mode: 'boolean' }).notNull().default(false),
	signingProvider: text('signing_provider'),
	signingMinAcr: text('signing_min_acr'),
	updatedAt: timestamp('updated_at').notNull()
});

/**
 * A person's authenticator (TOTP, RFC 6238). `secret` is the confirmed key; `pendingSecret` is a
 * key shown during enrolment and not yet proven by a code. `lastCounter` is the time step of the
 * last accepted code, so no code works twice.
 */
export const twoFactor = sqliteTable('two_factor', {
	userId: text('user_id')
		.primaryKey()
		.references(() => user.id, { onDelete: 'cascade' }),
	secret: text('secret'),
	enabledAt: timestamp('enabled_at'),
	lastCounter: integer('last_counter').notNull().default(0),
	pendingSecret: text('pending_secret'),
	pendingCreatedAt: timestamp('pending_created_at')
});

/** Single-use recovery codes; only a salted SHA-256 of each is stored. */
export const recoveryCode = sqliteTable(
	'recovery_code',
	{
		id: text('id').primaryKey(),
		salt: text('salt').notNull(),
		codeHash: text('code_hash').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		usedAt: timestamp('used_at'),
		createdAt: createdAt()
	},
	(t) => [index('recovery_code_user_idx').on(t.userId)]
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
		index('audit_action_seq_idx').on(t.action, t.seq),
		index('audit_target_seq_idx').on(t.targetId, t.seq)
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

/**
 * Work that follows a committed change (sealing an agreement, e-mailing the parties), recorded in the
 * change's own transaction and carried out after it commits; a failure is retried later, and the
 * effects of one subject run in the order they were recorded.
 */
export const pendingEffect = sqliteTable(
	'pending_effect',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		kind: text('kind').notNull(),
		subjectId: text('subject_id').notNull(),
		payload: text('payload').notNull().default('{}'),
		createdAt: createdAt(),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at'),
		lastError: text('last_error'),
		doneAt: timestamp('done_at')
	},
	(t) => [index('pending_effect_open_idx').on(t.doneAt, t.subjectId)]
);

/** Versioned agreement templates; the text is kept whole so an agreement can always be traced to it. */
export const agreementTemplate = sqliteTable(
	'agreement_template',
	{
		id: text('id').primaryKey(),
		templateKey: text('template_key').notNull(),
		version: integer('version').notNull(),
		language: text('language', { enum: ['fi', 'sv', 'en'] }).notNull(),
		title: text('title').notNull(),
		validFrom: text('valid_from').notNull(),
		replaces: integer('replaces'),
		source: text('source').notNull(),
		sha256: text('sha256').notNull(),
		/** The version new agreements in this language start from. */
		isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
		origin: text('origin', { enum: ['bundled', 'uploaded'] }).notNull(),
		createdAt: createdAt(),
		createdBy: text('created_by')
	},
	(t) => [uniqueIndex('agreement_template_version_unique').on(t.templateKey, t.version, t.language)]
);

export const agreement = sqliteTable(
	'agreement',
	{
		id: text('id').primaryKey(),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id),
		templateId: text('template_id')
			.notNull()
			.references(() => agreementTemplate.id),
		language: text('language', { enum: ['fi', 'sv', 'en'] }).notNull(),
		status: text('status', { enum: AGREEMENT_STATUSES }).notNull().default('draft'),
		/** Exact template text this agreement was made from; later template changes never touch it. */
		templateSource: text('template_source').notNull(),
		// Choices completed on the draft.
		place: text('place').notNull().default(''),
		noticeMonths: integer('notice_months').notNull().default(1),
		renewalsForwarded: integer('renewals_forwarded', { mode: 'boolean' }).notNull().default(false),
		serviceAgreementReference: text('service_agreement_reference').notNull().default(''),
		serviceAgreementEndDate: text('service_agreement_end_date'),
		/** Every value printed, frozen when the draft is sent for signature, and its hash with the text. */
		valuesSnapshot: text('values_snapshot'),
		contentHash: text('content_hash'),
		declinedReason: text('declined_reason'),
		noticeGivenAt: timestamp('notice_given_at'),
		noticeGivenBy: text('notice_given_by', { enum: PARTIES }),
		endDate: text('end_date'),
		endedAt: timestamp('ended_at'),
		rescindReason: text('rescind_reason'),
		inForceAt: timestamp('in_force_at'),
		supersededById: text('superseded_by_id'),
		sealedPath: text('sealed_path'),
		sealedSha256: text('sealed_sha256'),
		sealedAt: timestamp('sealed_at'),
		sealSelfSigned: integer('seal_self_signed', { mode: 'boolean' }),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at')
	},
	(t) => [
		index('agreement_tenant_idx').on(t.tenantId, t.createdAt),
		index('agreement_status_idx').on(t.status),
		// The list of every agreement, newest first, with or without a status filter: both cover
		// the columns the list shows, so the page never reads the rows (each holds its template text).
		index('agreement_list_idx').on(t.createdAt, t.id, t.tenantId, t.status, t.language, t.inForceAt),
		index('agreement_status_list_idx').on(t.status, t.createdAt, t.id, t.tenantId, t.language, t.inForceAt),
		index('agreement_sealed_sha_idx').on(t.sealedSha256),
		// A campaign's list reads these for every agreement of the campaign: from the index alone, as in
		// the row each sits after the template text (about 20 kB) and reading one walks through it.
		index('agreement_campaign_list_idx').on(
			t.id,
			t.status,
			t.templateId,
			t.language,
			t.declinedReason,
			t.inForceAt,
			t.sealedPath,
			t.place,
			t.noticeMonths,
			t.renewalsForwarded,
			t.serviceAgreementReference
		)
	]
);

export const agreementSignature = sqliteTable(
	'agreement_signature',
	{
		id: text('id').primaryKey(),
		agreementId: text('agreement_id')
			.notNull()
			.references(() => agreement.id),
		party: text('party', { enum: PARTIES }).notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id),
		/** The full name the signer typed, and the title and organisation they signed for. */
		signerName: text('signer_name').notNull(),
		signerTitle: text('signer_title').notNull(),
		organisationName: text('organisation_name').notNull(),
		method: text('method').notNull(),
		contentHash: text('content_hash').notNull(),
		signedAt: timestamp('signed_at').notNull(),
		ipAddress: text('ip_address').notNull().default(''),
		userAgent: text('user_agent').notNull().default(''),
		/** Strong identification at signing: the provider, its level of assurance, a hash of the subject, and when. */
		idProvider: text('id_provider'),
		idAcr: text('id_acr'),
		idSubjectHash: text('id_subject_hash'),
		idAuthAt: timestamp('id_auth_at'),
		/** Set when the draft changed after signing: the signature no longer counts. */
		invalidatedAt: timestamp('invalidated_at')
	},
	(t) => [index('agreement_signature_agreement_idx').on(t.agreementId)]
);

/**
 * An agreement campaign: one new template version offered to many tenants at once (seed 004 §20: a
 * new version of the model agreement replaces the earlier one once both parties have signed it).
 */
export const agreementCampaign = sqliteTable('agreement_campaign', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	templateKey: text('template_key').notNull(),
	templateVersion: integer('template_version').notNull(),
	/** The version chosen; each tenant gets the same version in its own agreement language where one exists. */
	templateId: text('template_id')
		.notNull()
		.references(() => agreementTemplate.id),
	scope: text('scope', { enum: ['in_force', 'chosen'] }).notNull(),
	/** Added to the e-mails the tenants receive. */
	message: text('message').notNull().default(''),
	/** Those still waiting are reminded automatically once every this many days. */
	remindAfterDays: integer('remind_after_days').notNull().default(14),
	createdBy: text('created_by'),
	createdAt: createdAt(),
	sentAt: timestamp('sent_at'),
	/**
	 * A hash of the SQL that worked out the drafts' stored states (campaign-rows.ts). The values every
	 * draft shares (the main connector, the designated persons, the date) are constants in it: when the
	 * SQL made now hashes otherwise, every stored state of the campaign is stale.
	 */
	stateFingerprint: text('state_fingerprint')
});

/** One tenant's draft in a campaign, and when it was last reminded. */
export const campaignAgreement = sqliteTable(
	'campaign_agreement',
	{
		campaignId: text('campaign_id')
			.notNull()
			.references(() => agreementCampaign.id),
		agreementId: text('agreement_id')
			.notNull()
			.references(() => agreement.id),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id),
		sentAt: timestamp('sent_at'),
		lastRemindedAt: timestamp('last_reminded_at'),
		reminders: integer('reminders').notNull().default(0),
		/**
		 * Where the agreement stands and the names of the values its draft leaves empty (comma-separated),
		 * as last worked out from the records (campaign-rows.ts): a derived cache. Null when not worked out
		 * or stale: triggers (migration 0029) null it when the agreement, the tenant, its services or the
		 * Kanta services change, whoever writes; the campaign list works out the null ones again.
		 */
		state: text('state', { enum: CAMPAIGN_STATES }),
		missing: text('missing'),
		/** The tenant's name, kept by triggers (0029), so the list's order is read from an index. */
		tenantName: text('tenant_name').notNull().default('')
	},
	(t) => [
		primaryKey({ columns: [t.campaignId, t.agreementId] }),
		uniqueIndex('campaign_agreement_agreement_unique').on(t.agreementId),
		index('campaign_agreement_tenant_idx').on(t.tenantId),
		// The campaign page: counts by state, and a page in the list's order with or without a state
		// filter, each from one of these alone.
		index('campaign_agreement_state_list_idx').on(t.campaignId, t.state, t.tenantName, t.tenantId, t.agreementId),
		index('campaign_agreement_list_idx').on(t.campaignId, t.tenantName, t.tenantId, t.agreementId)
	]
);

/**
 * The main connector's certified client/patient information systems (agreement §3). The
 * security-assessment certificate's last valid day decides whether a system may be used in production
 * (Client Data Act 31 § 2 mom.), so the "system certified" prerequisite follows it.
 */
export const informationSystem = sqliteTable('information_system', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	systemClass: text('system_class', { enum: SYSTEM_CLASSES }).notNull(),
	purpose: text('purpose', { enum: SYSTEM_PURPOSES }).notNull(),
	/** Last day (YYYY-MM-DD, Helsinki) the security-assessment certificate is valid. */
	certificateValidUntil: text('certificate_valid_until').notNull(),
	certificateReference: text('certificate_reference').notNull().default(''),
	createdAt: createdAt(),
	updatedAt: timestamp('updated_at')
});

/** The catalogue of prerequisite types, kept as data that administrators edit. */
export const prerequisiteType = sqliteTable(
	'prerequisite_type',
	{
		id: text('id').primaryKey(),
		code: text('code').notNull(),
		nameFi: text('name_fi').notNull(),
		nameSv: text('name_sv').notNull(),
		nameEn: text('name_en').notNull(),
		guidanceFi: text('guidance_fi').notNull().default(''),
		guidanceSv: text('guidance_sv').notNull().default(''),
		guidanceEn: text('guidance_en').notNull().default(''),
		category: text('category', { enum: PREREQUISITE_CATEGORIES }).notNull(),
		responsibleParty: text('responsible_party', { enum: PARTIES }).notNull(),
		/** Empty lists mean "all": sectors, provider types and Kanta service codes the item applies to. */
		sectors: text('sectors', { mode: 'json' }).$type<string[]>().notNull().default([]),
		providerTypes: text('provider_types', { mode: 'json' }).$type<string[]>().notNull().default([]),
		serviceCodes: text('service_codes', { mode: 'json' }).$type<string[]>().notNull().default([]),
		evidenceKind: text('evidence_kind', { enum: EVIDENCE_KINDS }).notNull(),
		derivedRule: text('derived_rule', { enum: DERIVED_RULES }),
		renewalMonths: integer('renewal_months'),
		required: integer('required', { mode: 'boolean' }).notNull().default(true),
		sortOrder: integer('sort_order').notNull().default(0),
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('prerequisite_type_code_unique').on(t.code)]
);

/** One tenant's state of one prerequisite. */
export const checklistItem = sqliteTable(
	'checklist_item',
	{
		id: text('id').primaryKey(),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id),
		typeId: text('type_id')
			.notNull()
			.references(() => prerequisiteType.id),
		status: text('status', { enum: CHECKLIST_STATUSES }).notNull().default('not_started'),
		ownerId: text('owner_id').references(() => user.id),
		dueDate: text('due_date'),
		evidenceReference: text('evidence_reference').notNull().default(''),
		evidenceDate: text('evidence_date'),
		evidenceLink: text('evidence_link').notNull().default(''),
		submittedAt: timestamp('submitted_at'),
		submittedBy: text('submitted_by'),
		verifiedAt: timestamp('verified_at'),
		verifiedBy: text('verified_by'),
		returnedReason: text('returned_reason'),
		/** When a recurring item falls due again (verified + renewal period). */
		validUntil: text('valid_until'),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at')
	},
	(t) => [
		uniqueIndex('checklist_item_tenant_type_unique').on(t.tenantId, t.typeId),
		index('checklist_item_due_idx').on(t.dueDate),
		// The calendar feed's reviews: verified items by the day they are due for review, nearest first.
		index('checklist_item_status_review_idx').on(t.status, t.validUntil),
		// "Needs attention": items sent back, or open and overdue, read from this index alone.
		index('checklist_item_status_due_idx').on(t.status, t.dueDate, t.tenantId)
	]
);

export const checklistComment = sqliteTable(
	'checklist_comment',
	{
		id: text('id').primaryKey(),
		itemId: text('item_id')
			.notNull()
			.references(() => checklistItem.id),
		userId: text('user_id').references(() => user.id),
		authorLabel: text('author_label').notNull(),
		body: text('body').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('checklist_comment_item_idx').on(t.itemId)]
);

/** Uploaded evidence; the bytes live under DATA_DIR, outside the web root. */
export const evidenceFile = sqliteTable(
	'evidence_file',
	{
		id: text('id').primaryKey(),
		itemId: text('item_id')
			.notNull()
			.references(() => checklistItem.id),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id),
		fileName: text('file_name').notNull(),
		mimeType: text('mime_type').notNull(),
		size: integer('size').notNull(),
		sha256: text('sha256').notNull(),
		storagePath: text('storage_path').notNull(),
		uploadedBy: text('uploaded_by').notNull(),
		uploadedAt: createdAt()
	},
	(t) => [index('evidence_file_item_idx').on(t.itemId)]
);

export const certificate = sqliteTable(
	'certificate',
	{
		id: text('id').primaryKey(),
		kind: text('kind', { enum: CERTIFICATE_KINDS }).notNull(),
		holderType: text('holder_type', { enum: HOLDER_TYPES }).notNull(),
		/** Set for tenant and tenant-staff holders: the tenant whose people may see it. */
		tenantId: text('tenant_id').references(() => tenant.id),
		holderUserId: text('holder_user_id').references(() => user.id),
		holderName: text('holder_name').notNull(),
		subject: text('subject').notNull().default(''),
		issuer: text('issuer').notNull().default(''),
		serialNumber: text('serial_number').notNull().default(''),
		fingerprintSha256: text('fingerprint_sha256'),
		keyType: text('key_type').notNull().default(''),
		keySize: integer('key_size'),
		validFrom: timestamp('valid_from'),
		validTo: timestamp('valid_to').notNull(),
		reference: text('reference').notNull().default(''),
		/** The public certificate (PEM) as uploaded; never a private key. */
		pem: text('pem'),
		source: text('source', { enum: ['upload', 'manual'] }).notNull(),
		supersedesId: text('supersedes_id'),
		supersededAt: timestamp('superseded_at'),
		renewalOrderedAt: timestamp('renewal_ordered_at'),
		renewalNote: text('renewal_note').notNull().default(''),
		createdAt: createdAt(),
		createdBy: text('created_by')
	},
	(t) => [
		uniqueIndex('certificate_fingerprint_unique').on(t.fingerprintSha256),
		// With kind, the dashboard's expiries per month and kind are counted from the index alone.
		index('certificate_valid_to_idx').on(t.supersededAt, t.validTo, t.kind),
		// A certificate's renewal chain is followed forwards (which one supersedes this one).
		index('certificate_supersedes_idx').on(t.supersedesId),
		index('certificate_tenant_idx').on(t.tenantId, t.validTo),
		index('certificate_holder_idx').on(t.holderType, t.kind, t.holderUserId),
		// The main connector's own current certificates, found without passing every staff card.
		index('certificate_holder_valid_idx').on(t.holderType, t.supersededAt, t.validTo)
	]
);

/** Reminders already sent: the primary key makes each one happen exactly once. */
export const reminderLog = sqliteTable(
	'reminder_log',
	{
		subjectId: text('subject_id').notNull(),
		reminderKey: text('reminder_key').notNull(),
		sentAt: timestamp('sent_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.subjectId, t.reminderKey] })]
);

/**
 * In-app notifications, stored as a message key and its parameters so each reader sees them in
 * their own language; the daily digest e-mails what a person has not yet been sent.
 */
export const notification = sqliteTable(
	'notification',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id),
		kind: text('kind').notNull(),
		params: text('params', { mode: 'json' }).$type<Record<string, string | number>>().notNull(),
		link: text('link').notNull().default(''),
		createdAt: createdAt(),
		readAt: timestamp('read_at'),
		digestedAt: timestamp('digested_at')
	},
	(t) => [index('notification_user_idx').on(t.userId, t.createdAt), index('notification_digest_idx').on(t.digestedAt)]
);

/** Secret calendar feed URLs; only the token's SHA-256 is kept. */
export const calendarToken = sqliteTable(
	'calendar_token',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id),
		createdAt: createdAt(),
		revokedAt: timestamp('revoked_at')
	},
	(t) => [index('calendar_token_user_idx').on(t.userId)]
);

/** Administrator-tunable settings (reminder thresholds, order lead times), as JSON values. */
export const setting = sqliteTable('setting', {
	key: text('key').primaryKey(),
	value: text('value', { mode: 'json' }).notNull(),
	updatedAt: timestamp('updated_at')
});

/** Written instructions the main connector gives tenant staff (agreement §2, §5, §8–§11). */
export const instruction = sqliteTable('instruction', {
	id: text('id').primaryKey(),
	category: text('category', { enum: INSTRUCTION_CATEGORIES }).notNull(),
	/** Every tenant, or only those listed in instruction_tenant. */
	allTenants: integer('all_tenants', { mode: 'boolean' }).notNull().default(true),
	audience: text('audience', { enum: INSTRUCTION_AUDIENCES }).notNull().default('all_staff'),
	requiresAck: integer('requires_ack', { mode: 'boolean' }).notNull().default(true),
	createdAt: createdAt(),
	createdBy: text('created_by').notNull(),
	archivedAt: timestamp('archived_at'),
	/**
	 * Set on an instruction the portal writes itself (e.g. 'security_plan_binding': the binding parts of
	 * the main connector's approved information-security plan). Its text comes only from that source;
	 * nobody edits, re-targets or archives it by hand.
	 */
	systemKey: text('system_key').unique()
});

export const instructionTenant = sqliteTable(
	'instruction_tenant',
	{
		instructionId: text('instruction_id')
			.notNull()
			.references(() => instruction.id),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id)
	},
	(t) => [primaryKey({ columns: [t.instructionId, t.tenantId] }), index('instruction_tenant_tenant_idx').on(t.tenantId)]
);

/** Every published version is kept; a material one asks everyone to acknowledge again. */
export const instructionVersion = sqliteTable(
	'instruction_version',
	{
		id: text('id').primaryKey(),
		instructionId: text('instruction_id')
			.notNull()
			.references(() => instruction.id),
		version: integer('version').notNull(),
		material: integer('material', { mode: 'boolean' }).notNull(),
		changeSummary: text('change_summary').notNull().default(''),
		titleFi: text('title_fi').notNull(),
		bodyFi: text('body_fi').notNull(),
		titleSv: text('title_sv').notNull(),
		bodySv: text('body_sv').notNull(),
		titleEn: text('title_en'),
		bodyEn: text('body_en'),
		attachmentName: text('attachment_name'),
		attachmentPath: text('attachment_path'),
		attachmentSha256: text('attachment_sha256'),
		publishedAt: timestamp('published_at').notNull(),
		publishedBy: text('published_by').notNull(),
		/** For the system instruction of the security plan: the approved plan version this text was taken from. */
		securityPlanVersionId: text('security_plan_version_id').references((): AnySQLiteColumn => securityPlanVersion.id)
	},
	(t) => [uniqueIndex('instruction_version_unique').on(t.instructionId, t.version)]
);

/** Who read exactly what: never deleted, also for old versions. */
export const acknowledgement = sqliteTable(
	'acknowledgement',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id),
		instructionId: text('instruction_id')
			.notNull()
			.references(() => instruction.id),
		versionId: text('version_id')
			.notNull()
			.references(() => instructionVersion.id),
		version: integer('version').notNull(),
		language: text('language').notNull(),
		contentSha256: text('content_sha256').notNull(),
		at: timestamp('at').notNull(),
		ipAddress: text('ip_address').notNull().default(''),
		userAgent: text('user_agent').notNull().default('')
	},
	(t) => [
		index('acknowledgement_instruction_user_idx').on(t.instructionId, t.userId, t.version),
		index('acknowledgement_user_idx').on(t.userId)
	]
);

/**
 * Counts kept up to date by triggers (migration 0007), so a coverage report over every tenant reads
 * 10,000 rows instead of checking 100,000 people. Active people and active tenant administrators
 * per tenant, whatever the instruction.
 */
export const tenantAudience = sqliteTable('tenant_audience', {
	tenantId: text('tenant_id').primaryKey(),
	people: integer('people').notNull().default(0),
	admins: integer('admins').notNull().default(0)
});

/** Per instruction and tenant: active people, and active tenant administrators, holding a current acknowledgement. */
export const acknowledgementTally = sqliteTable(
	'acknowledgement_tally',
	{
		instructionId: text('instruction_id').notNull(),
		tenantId: text('tenant_id').notNull(),
		people: integer('people').notNull().default(0),
		admins: integer('admins').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.instructionId, t.tenantId] })]
);

export const trainingModule = sqliteTable(
	'training_module',
	{
		id: text('id').primaryKey(),
		code: text('code').notNull(),
		nameFi: text('name_fi').notNull(),
		nameSv: text('name_sv').notNull(),
		nameEn: text('name_en').notNull(),
		descriptionFi: text('description_fi').notNull().default(''),
		descriptionSv: text('description_sv').notNull().default(''),
		descriptionEn: text('description_en').notNull().default(''),
		validityMonths: integer('validity_months'),
		/** Tenant roles that must hold this training. */
		requiredForRoles: text('required_for_roles', { mode: 'json' }).$type<(typeof ROLES)[number][]>().notNull().default([]),
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('training_module_code_unique').on(t.code)]
);

export const trainingRecord = sqliteTable(
	'training_record',
	{
		id: text('id').primaryKey(),
		moduleId: text('module_id')
			.notNull()
			.references(() => trainingModule.id),
		userId: text('user_id')
			.notNull()
			.references(() => user.id),
		tenantId: text('tenant_id').references(() => tenant.id),
		completedOn: text('completed_on').notNull(),
		validUntil: text('valid_until'),
		/** Declared by the person, or entered/confirmed by their administrator. */
		confirmed: integer('confirmed', { mode: 'boolean' }).notNull(),
		confirmedBy: text('confirmed_by'),
		confirmedAt: timestamp('confirmed_at'),
		evidenceName: text('evidence_name'),
		evidencePath: text('evidence_path'),
		/** The evidence file's type as checked from its content on upload; null on records from before it was stored. */
		evidenceMimeType: text('evidence_mime_type'),
		createdAt: createdAt(),
		createdBy: text('created_by').notNull()
	},
	(t) => [index('training_record_user_idx').on(t.userId, t.moduleId), index('training_record_tenant_idx').on(t.tenantId)]
);

/** Disturbance and personal-data-breach reports (agreement §4). */
export const incidentReport = sqliteTable(
	'incident_report',
	{
		id: text('id').primaryKey(),
		/**
		 * The reporter's tenant, or null when the main connector's own people report. Which parties
		 * the report concerns is in incident_tenant and `concernsMainConnector`.
		 */
		tenantId: text('tenant_id').references(() => tenant.id),
		/** The main connector's own activity is concerned (its own staff's documents, agreement §14). */
		concernsMainConnector: integer('concerns_main_connector', { mode: 'boolean' }).notNull().default(false),
		/** Jointly controlled services concerned (with Kela as the data subjects' contact point). */
		jointServices: text('joint_services', { mode: 'json' }).$type<JointControlService[]>().notNull().default([]),
		kind: text('kind', { enum: INCIDENT_KINDS }).notNull(),
		noticedAt: timestamp('noticed_at').notNull(),
		description: text('description').notNull(),
		affected: text('affected').notNull().default(''),
		reporterId: text('reporter_id').references(() => user.id),
		reporterName: text('reporter_name').notNull(),
		reporterContact: text('reporter_contact').notNull(),
		status: text('status', { enum: INCIDENT_STATUSES }).notNull().default('received'),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at')
	},
	(t) => [index('incident_tenant_idx').on(t.tenantId, t.createdAt), index('incident_status_idx').on(t.status, t.kind)]
);

/** The tenants a report concerns; each is the controller of its own activity's documents (§14). */
export const incidentTenant = sqliteTable(
	'incident_tenant',
	{
		reportId: text('report_id')
			.notNull()
			.references(() => incidentReport.id),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id)
	},
	(t) => [primaryKey({ columns: [t.reportId, t.tenantId] }), index('incident_tenant_tenant_idx').on(t.tenantId)]
);

/**
 * A controller's decisions on a suspected breach (GDPR art. 33–34): one per controller the report
 * concerns, made once. `controllerKey` is the tenant's id, or MAIN_CONNECTOR_CONTROLLER.
 */
export const incidentDecision = sqliteTable(
	'incident_decision',
	{
		reportId: text('report_id')
			.notNull()
			.references(() => incidentReport.id),
		controllerKey: text('controller_key').notNull(),
		tenantId: text('tenant_id').references(() => tenant.id),
		decision: text('decision', { enum: BREACH_DECISIONS }).notNull(),
		authorityNotifiedOn: text('authority_notified_on'),
		reason: text('reason').notNull().default(''),
		subjectsDecision: text('subjects_decision', { enum: DATA_SUBJECT_DECISIONS }),
		subjectsInformedOn: text('subjects_informed_on'),
		subjectsReason: text('subjects_reason').notNull().default(''),
		decidedAt: timestamp('decided_at').notNull(),
		decidedBy: text('decided_by').notNull(),
		decidedById: text('decided_by_id').references(() => user.id)
	},
	(t) => [primaryKey({ columns: [t.reportId, t.controllerKey] })]
);

/** The main connector's onward notices about a report (§4.1): to whom, when, how, and by whom. */
export const incidentOnwardNotice = sqliteTable(
	'incident_onward_notice',
	{
		id: text('id').primaryKey(),
		reportId: text('report_id')
			.notNull()
			.references(() => incidentReport.id),
		recipient: text('recipient', { enum: ONWARD_RECIPIENTS }).notNull(),
		notifiedAt: timestamp('notified_at').notNull(),
		method: text('method').notNull(),
		notifiedBy: text('notified_by').notNull(),
		note: text('note').notNull().default(''),
		recordedAt: timestamp('recorded_at').notNull(),
		recordedBy: text('recorded_by').notNull()
	},
	(t) => [index('incident_onward_notice_report_idx').on(t.reportId, t.notifiedAt)]
);

export const incidentEvent = sqliteTable(
	'incident_event',
	{
		id: text('id').primaryKey(),
		reportId: text('report_id')
			.notNull()
			.references(() => incidentReport.id),
		at: timestamp('at').notNull(),
		actorLabel: text('actor_label').notNull(),
		action: text('action').notNull(),
		note: text('note').notNull().default(''),
		/**
		 * Set when the entry belongs to one tenant's side only (its decision, its reminders, its
		 * administrators' notes): shown to that tenant and the main connector, not to other tenants
		 * the same report concerns. Null: every party to the report sees it.
		 */
		tenantId: text('tenant_id').references(() => tenant.id)
	},
	(t) => [index('incident_event_report_idx').on(t.reportId, t.at)]
);

/** Disturbance notices from the main connector to all or chosen tenants. */
export const announcement = sqliteTable('announcement', {
	id: text('id').primaryKey(),
	title: text('title').notNull(),
	body: text('body').notNull(),
	allTenants: integer('all_tenants', { mode: 'boolean' }).notNull().default(true),
	createdAt: createdAt(),
	createdBy: text('created_by').notNull(),
	updatedAt: timestamp('updated_at'),
	closedAt: timestamp('closed_at')
});

export const announcementTenant = sqliteTable(
	'announcement_tenant',
	{
		announcementId: text('announcement_id')
			.notNull()
			.references(() => announcement.id),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id)
	},
	(t) => [primaryKey({ columns: [t.announcementId, t.tenantId] })]
);

export type Instruction = typeof instruction.$inferSelect;
export type InstructionVersion = typeof instructionVersion.$inferSelect;
export type Acknowledgement = typeof acknowledgement.$inferSelect;
export type TrainingModule = typeof trainingModule.$inferSelect;
export type TrainingRecord = typeof trainingRecord.$inferSelect;
export type IncidentReport = typeof incidentReport.$inferSelect;
export type IncidentEvent = typeof incidentEvent.$inferSelect;
export type IncidentDecision = typeof incidentDecision.$inferSelect;
export type IncidentOnwardNotice = typeof incidentOnwardNotice.$inferSelect;
export type Announcement = typeof announcement.$inferSelect;
export type PrerequisiteType = typeof prerequisiteType.$inferSelect;
export type InformationSystem = typeof informationSystem.$inferSelect;
export type LeaverTask = typeof leaverTask.$inferSelect;
export type ChecklistItem = typeof checklistItem.$inferSelect;
export type EvidenceFile = typeof evidenceFile.$inferSelect;
export type Certificate = typeof certificate.$inferSelect;
export type Notification = typeof notification.$inferSelect;
export type AgreementTemplate = typeof agreementTemplate.$inferSelect;
export type Agreement = typeof agreement.$inferSelect;
export type AgreementSignature = typeof agreementSignature.$inferSelect;
export type AgreementCampaign = typeof agreementCampaign.$inferSelect;
export type CampaignAgreement = typeof campaignAgreement.$inferSelect;
export type MainConnector = typeof mainConnector.$inferSelect;
export type Tenant = typeof tenant.$inferSelect;
export type User = typeof user.$inferSelect;
export type Session = typeof session.$inferSelect;
export type KantaService = typeof kantaService.$inferSelect;
export type AuditEntry = typeof auditEntry.$inferSelect;
export type OutboxMessage = typeof outboxMessage.$inferSelect;
export type PendingEffect = typeof pendingEffect.$inferSelect;

/**
 * Versions of the information-security plan framework (THL 3/2024), loaded from
 * `templates/security-plan/` at start like agreement templates; a stored version is never changed.
 */
export const securityFramework = sqliteTable(
	'security_framework',
	{
		id: text('id').primaryKey(),
		frameworkKey: text('framework_key').notNull(),
		version: integer('version').notNull(),
		validFrom: text('valid_from').notNull(),
		source: text('source').notNull(),
		sha256: text('sha256').notNull(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('security_framework_version_unique').on(t.frameworkKey, t.version)]
);

/**
 * An information-security plan made against one framework version: the main connector's (`tenantId`
 * null), or a tenant's own (THL 3/2024: each service provider makes one), at most one per tenant.
 */
export const securityPlan = sqliteTable(
	'security_plan',
	{
		id: text('id').primaryKey(),
		tenantId: text('tenant_id').references(() => tenant.id),
		frameworkKey: text('framework_key').notNull(),
		frameworkVersion: integer('framework_version').notNull(),
		/**
		 * The responsible director (client data act §78: sees that the plan is made, updated and followed),
		 * a person of the plan's own organisation: the one who approves versions and accepts residual risks.
		 */
		responsibleDirectorId: text('responsible_director_id').references(() => user.id),
		/** A tenant's plan only: its owner lets the main connector's plan readers read it (never edit). */
		sharedWithMainConnector: integer('shared_with_main_connector', { mode: 'boolean' }).notNull().default(false),
		createdAt: createdAt(),
		createdBy: text('created_by')
	},
	(t) => [uniqueIndex('security_plan_tenant_unique').on(t.tenantId)]
);

/** How the plan meets one requirement of its framework. Confidential (THL 3/2024 ch. 5). */
export const securityPlanEntry = sqliteTable(
	'security_plan_entry',
	{
		planId: text('plan_id')
			.notNull()
			.references(() => securityPlan.id),
		requirementId: text('requirement_id').notNull(),
		/** Markdown, rendered as instructions are. */
		description: text('description').notNull().default(''),
		ownerId: text('owner_id').references(() => user.id),
		status: text('status', { enum: SECURITY_REQUIREMENT_STATUSES }).notNull().default('not_described'),
		/** YYYY-MM-DD (Helsinki). */
		lastReviewedOn: text('last_reviewed_on'),
		nextReviewOn: text('next_review_on').notNull(),
		responsibleParty: text('responsible_party', { enum: SECURITY_RESPONSIBLE_PARTIES }).notNull().default('main_connector'),
		/** The other party's name, when it is not the main connector. */
		responsibleName: text('responsible_name').notNull().default(''),
		/** The agreement that fixes the other party's responsibility (THL 3/2024 ch. 3). */
		agreementReference: text('agreement_reference').notNull().default(''),
		updatedAt: timestamp('updated_at').notNull(),
		updatedBy: text('updated_by')
	},
	(t) => [primaryKey({ columns: [t.planId, t.requirementId] }), index('security_plan_entry_next_review').on(t.nextReviewOn)]
);

/**
 * Sections of the main connector's plan that bind its tenants (agreement §2: the tenant follows the
 * plan): their people see those sections, and only those.
 */
export const securityPlanSection = sqliteTable(
	'security_plan_section',
	{
		planId: text('plan_id')
			.notNull()
			.references(() => securityPlan.id),
		chapter: text('chapter').notNull(),
		bindsTenants: integer('binds_tenants', { mode: 'boolean' }).notNull().default(false),
		updatedAt: timestamp('updated_at').notNull(),
		updatedBy: text('updated_by')
	},
	(t) => [primaryKey({ columns: [t.planId, t.chapter] })]
);

export type SecurityPlanEntry = typeof securityPlanEntry.$inferSelect;

/** The plan's risk register (THL 3/2024 ch. 5): risks, their treatment, and residual risks accepted. */
export const securityPlanRisk = sqliteTable(
	'security_plan_risk',
	{
		id: text('id').primaryKey(),
		planId: text('plan_id')
			.notNull()
			.references(() => securityPlan.id),
		title: text('title').notNull(),
		/** The information systems the risk concerns, as the main connector names them. */
		systems: text('systems').notNull().default(''),
		/** Chapters of the plan the risk concerns, comma-separated in the regulation's order. */
		chapters: text('chapters').notNull().default(''),
		likelihood: text('likelihood', { enum: SECURITY_RISK_LEVELS }).notNull(),
		impact: text('impact', { enum: SECURITY_RISK_LEVELS }).notNull(),
		treatment: text('treatment').notNull().default(''),
		residual: text('residual', { enum: SECURITY_RISK_LEVELS }).notNull(),
		/** The responsible director's acceptance of the residual risk; cleared when the assessment changes. */
		acceptedBy: text('accepted_by').references(() => user.id),
		acceptedByName: text('accepted_by_name').notNull().default(''),
		acceptedAt: timestamp('accepted_at'),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at').notNull(),
		updatedBy: text('updated_by')
	},
	(t) => [index('security_plan_risk_plan').on(t.planId)]
);

/**
 * Approved versions of the plan, frozen: the whole content as JSON and its SHA-256, as agreements
 * keep theirs. Never changed or removed once written.
 */
export const securityPlanVersion = sqliteTable(
	'security_plan_version',
	{
		id: text('id').primaryKey(),
		planId: text('plan_id')
			.notNull()
			.references(() => securityPlan.id),
		version: integer('version').notNull(),
		snapshot: text('snapshot').notNull(),
		contentHash: text('content_hash').notNull(),
		approvedBy: text('approved_by').references(() => user.id),
		approverName: text('approver_name').notNull(),
		/** How the approver confirmed who they were (the agreement signature methods). */
		method: text('method').notNull(),
		approvedAt: timestamp('approved_at').notNull()
	},
	(t) => [uniqueIndex('security_plan_version_unique').on(t.planId, t.version)]
);

/** A tenant's acknowledgement of the sections binding it in one approved version (agreement §2). */
export const securityPlanAcknowledgement = sqliteTable(
	'security_plan_acknowledgement',
	{
		versionId: text('version_id')
			.notNull()
			.references(() => securityPlanVersion.id),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenant.id),
		userId: text('user_id').references(() => user.id),
		userName: text('user_name').notNull(),
		acknowledgedAt: timestamp('acknowledged_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.versionId, t.tenantId] })]
);

/**
 * Documents a requirement's description refers to (THL 3/2024 allows referring to separate
 * documents): a link, or a file checked and stored like checklist evidence.
 */
export const securityPlanDocument = sqliteTable(
	'security_plan_document',
	{
		id: text('id').primaryKey(),
		planId: text('plan_id')
			.notNull()
			.references(() => securityPlan.id),
		requirementId: text('requirement_id').notNull(),
		title: text('title').notNull(),
		/** An http(s) address, or empty for a stored file. */
		url: text('url').notNull().default(''),
		fileName: text('file_name').notNull().default(''),
		storagePath: text('storage_path'),
		sha256: text('sha256'),
		/** The type the content check found on upload (null for files stored before it was kept). */
		mimeType: text('mime_type'),
		createdAt: createdAt(),
		createdBy: text('created_by')
	},
	(t) => [index('security_plan_document_requirement').on(t.planId, t.requirementId)]
);

/**
 * The plan's follow-up log (THL 3/2024 ch. 3: how the plan's implementation is followed up): each check
 * done, when, by whom, of which chapters (empty: the whole plan), what was looked at and what was found.
 * Entries are only added, never changed; marking a requirement reviewed adds one by itself.
 */
export const securityPlanCheck = sqliteTable(
	'security_plan_check',
	{
		id: text('id').primaryKey(),
		planId: text('plan_id')
			.notNull()
			.references(() => securityPlan.id),
		checkedOn: text('checked_on').notNull(),
		checkedBy: text('checked_by').references(() => user.id),
		checkedByName: text('checked_by_name').notNull(),
		/** Chapters checked, comma-separated in the regulation's order; empty for the whole plan. */
		chapters: text('chapters').notNull().default(''),
		/** A requirement marked reviewed, when the entry was written by that. */
		requirementId: text('requirement_id'),
		what: text('what').notNull(),
		findings: text('findings').notNull().default(''),
		createdAt: createdAt()
	},
	(t) => [index('security_plan_check_plan').on(t.planId, t.checkedOn)]
);

export type SecurityPlanDocument = typeof securityPlanDocument.$inferSelect;
export type SecurityPlanCheck = typeof securityPlanCheck.$inferSelect;
export type SecurityPlanRisk = typeof securityPlanRisk.$inferSelect;
export type SecurityPlanVersion = typeof securityPlanVersion.$inferSelect;

/**
 * Integration API tokens (`Authorization: Bearer`). Only the token's SHA-256 is kept, like sessions.
 * `tenantId` null: the main connector's token; otherwise the tenant's own (read scopes only).
 * `scopes` lists resource families with read or write (see `API_SCOPES` in $lib/schemas/api-token).
 */
export const apiToken = sqliteTable(
	'api_token',
	{
		id: text('id').primaryKey(),
		tokenHash: text('token_hash').notNull(),
		name: text('name').notNull(),
		tenantId: text('tenant_id').references(() => tenant.id),
		scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
		createdBy: text('created_by')
			.notNull()
			.references(() => user.id),
		createdAt: createdAt(),
		expiresAt: timestamp('expires_at'),
		revokedAt: timestamp('revoked_at'),
		lastUsedAt: timestamp('last_used_at')
	},
	(t) => [uniqueIndex('api_token_hash_unique').on(t.tokenHash), index('api_token_tenant_idx').on(t.tenantId, t.createdAt)]
);
export type ApiToken = typeof apiToken.$inferSelect;

/**
 * Where an organisation wants events sent (Standard Webhooks). `secret` signs the payloads
 * (`whsec_` + base64), sealed with LIITOS_SECRET_KEY when it is set, like authenticator keys.
 * `tenantId` null: the main connector's endpoint (every tenant's events); set: that tenant's own
 * endpoint, which receives only events about that tenant (webhooks/outbox.ts).
 */
export const webhookEndpoint = sqliteTable('webhook_endpoint', {
	id: text('id').primaryKey(),
	tenantId: text('tenant_id').references(() => tenant.id),
	url: text('url').notNull(),
	secret: text('secret').notNull(),
	events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
	createdBy: text('created_by')
		.notNull()
		.references(() => user.id),
	createdAt: createdAt(),
	/** The first failed attempt since the last successful delivery; null while deliveries succeed. */
	failingSince: timestamp('failing_since'),
	disabledAt: timestamp('disabled_at'),
	/** Why it was disabled: 'failing' when delivery failed for days (webhooks/delivery.ts). */
	disabledReason: text('disabled_reason', { enum: ['failing'] })
});

/**
 * The webhook outbox and delivery log: written in the transaction of the change, sent afterwards
 * with retries (see webhooks/delivery.ts).
 */
export const webhookDelivery = sqliteTable(
	'webhook_delivery',
	{
		id: text('id').primaryKey(),
		endpointId: text('endpoint_id')
			.notNull()
			.references(() => webhookEndpoint.id, { onDelete: 'cascade' }),
		eventType: text('event_type').notNull(),
		payload: text('payload').notNull(),
		createdAt: createdAt(),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at'),
		lastStatus: integer('last_status'),
		lastError: text('last_error'),
		deliveredAt: timestamp('delivered_at'),
		gaveUpAt: timestamp('gave_up_at')
	},
	(t) => [index('webhook_delivery_due_idx').on(t.nextAttemptAt), index('webhook_delivery_endpoint_idx').on(t.endpointId, t.createdAt)]
);
export type WebhookEndpoint = typeof webhookEndpoint.$inferSelect;
export type WebhookDelivery = typeof webhookDelivery.$inferSelect;
export type OidcIdentity = typeof oidcIdentity.$inferSelect;
export type OidcTransaction = typeof oidcTransaction.$inferSelect;
export type OidcPolicy = typeof oidcPolicy.$inferSelect;
