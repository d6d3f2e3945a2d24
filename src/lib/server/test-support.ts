/** Shared fixtures for the server unit tests. Not imported by the portal itself. */
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db, type DbOrTx } from './db/index';
import { getChecklistItem, type ItemRef } from './prerequisites/checklist';
import { agreement, tenant, user, userRole, type Role, type User, type UserStatus } from './db/schema';
import type { AgreementStatus, CertificateKind } from '../domain';
import { addCertificate, type Holder } from './certificates/registry';
import type { Actor } from './actor';
import { createTenant, type TenantInput } from './tenants/tenants';
import { toSessionUser, type SessionUser } from './auth/session';
import { addDesignatedPerson, completeSetup, type DesignatedPersonInput } from './organisation/organisation';
import { redeemToken } from './auth/email-links';
import { invitePerson } from './people/people';
import { listServices } from './services/kanta-services';
import { defaultTemplate, syncBundledTemplates } from './agreements/templates-store';
import type { DraftChoices } from './agreements/agreements';

export function freshDb(): Db {
	return openDatabase(':memory:');
}

export const ADMIN_ACTOR: Actor = { id: 'actor-admin', label: 'admin@example.fi', ipAddress: '192.0.2.10' };

export interface UserFixture {
	email?: string;
	name?: string;
	status?: UserStatus;
	tenantId?: string | null;
	roles?: Role[];
	passwordHash?: string | null;
}

let counter = 0;

/** Inserts a person straight into the database (bypassing invitation) and returns the stored row. */
export function insertUser(db: Db, fixture: UserFixture = {}): User {
	counter++;
	const id = crypto.randomUUID();
	db.insert(user)
		.values({
			id,
			email: fixture.email ?? `person${counter}@example.fi`,
			name: fixture.name ?? `Person ${counter}`,
			status: fixture.status ?? 'active',
			tenantId: fixture.tenantId ?? null,
			passwordHash: fixture.passwordHash ?? null
		})
		.run();
	const roles = fixture.roles ?? ['mc_admin'];
	if (roles.length)
		db.insert(userRole)
			.values(roles.map((role) => ({ userId: id, role })))
			.run();
	return db.select().from(user).where(eq(user.id, id)).get()!;
}

/** A minimal tenant row, for tests that only need a tenant id to hang people on. */
export function insertTenantRow(db: Db, id: string = crypto.randomUUID(), businessId = '2617416-4'): string {
	db.insert(tenant)
		.values({
			id,
			name: `Tenant ${id.slice(0, 4)}`,
			businessId,
			oid: `1.2.246.10.${businessId.replace('-', '')}`,
			streetAddress: 'Katu 1',
			postalCode: '00100',
			city: 'Helsinki',
			serviceSector: 'health_care',
			providerType: 'private',
			agreementLanguage: 'fi'
		})
		.run();
	return id;
}

export function tenantInput(overrides: Partial<TenantInput> = {}): TenantInput {
	return {
		name: 'Hammaslääkäri Virtanen',
		businessId: '2617416-4',
		oid: '1.2.246.10.26174164',
		streetAddress: 'Mannerheimintie 1',
		postalCode: '00100',
		city: 'Helsinki',
		soteriRegistration: 'S-123',
		serviceSector: 'health_care',
		providerType: 'private',
		agreementLanguage: 'fi',
		serviceIds: [],
		serviceUnits: [],
		contacts: [],
		...overrides
	};
}

// ---------------------------------------------------------------------------------------------
// Agreement fixtures: a completed setup with designated persons, signatories and the shipped
// templates, following the same path as scripts/demo-seed.ts (invitation + redemption, not inserts).

/** The shipped `templates/` folder, independent of the working directory. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates', import.meta.url));

export const MAIN_CONNECTOR_INPUT = {
	name: 'Pääliittyjä Terveys Oy',
	businessId: '2617416-4',
	oid: '1.2.246.10.26174164',
	streetAddress: 'Mannerheimintie 100',
	postalCode: '00250',
	city: 'Helsinki',
	contactEmail: 'kanta@mc.example.fi',
	soteriRegistration: 'SOTERI-2021-0001'
};

export const DESIGNATED_PERSONS: DesignatedPersonInput[] = [
	{ role: 'disturbance_contact', name: 'Hannu Häiriö', title: 'Palvelupäällikkö', email: 'hairiot@mc.example.fi', phone: '09 123 4500' },
	{ role: 'archivist', name: 'Arja Arkisto', title: 'Arkistonhoitaja', email: 'arkisto@mc.example.fi', phone: '' },
	{
		role: 'data_protection_officer',
		name: 'Tiina Tietosuoja',
		title: 'Tietosuojavastaava',
		email: 'tietosuoja@mc.example.fi',
		phone: '09 123 4501'
	},
	{ role: 'responsible_physician', name: 'Lauri Lääkäri', title: 'Vastaava lääkäri', email: 'laakari@mc.example.fi', phone: '' }
];

/** Draft choices that complete every template value. */
export const DRAFT_CHOICES: DraftChoices = { place: 'Helsinki', noticeMonths: 1, renewalsForwarded: false, serviceAgreementReference: '' };

/** Invites a person and redeems the invitation with `passwordHash`; returns them as a session user. */
export function addSignedUpPerson(
	db: Db,
	actor: Actor,
	passwordHash: string,
	input: { email: string; name: string; tenantId: string | null; roles: Role[] }
): SessionUser {
	const invited = invitePerson(db, actor, input);
	if (!invited.ok) throw new Error(`Could not invite ${input.email}`);
	const person = redeemToken(db, invited.token, 'invitation', passwordHash, { ipAddress: '' });
	if (!person) throw new Error(`Could not redeem the invitation of ${input.email}`);
	return toSessionUser(db, person);
}

let tenantCounter = 0;

/** A tenant with Kanta services (by code) and one signatory, created as an administrator would. */
export function addAgreementTenant(
	db: Db,
	admin: Actor,
	passwordHash: string,
	options: { input?: Partial<TenantInput>; services?: string[]; signerName?: string } = {}
): { tenantId: string; signer: SessionUser } {
	tenantCounter++;
	const serviceIdByCode = new Map(listServices(db).map((s) => [s.code, s.id]));
	const codes = options.services ?? ['patient_data_repository', 'data_management_service', 'will_expression'];
	const created = createTenant(
		db,
		admin,
		tenantInput({
			name: `Vuokralainen ${tenantCounter} Oy`,
			businessId: `${String(1000000 + tenantCounter)}-${tenantCounter % 10}`,
			soteriRegistration: `SOTERI-2025-${String(tenantCounter).padStart(4, '0')}`,
			serviceIds: codes.map((code) => {
				const id = serviceIdByCode.get(code);
				if (!id) throw new Error(`No Kanta service ${code}`);
				return id;
			}),
			...options.input
		})
	);
	if (!created.ok) throw new Error(`Could not create the tenant: ${created.reason}`);
	const signer = addSignedUpPerson(db, admin, passwordHash, {
		email: `signer${tenantCounter}@tenant.example.fi`,
		name: options.signerName ?? `Tenant Signer ${tenantCounter}`,
		tenantId: created.id,
		roles: ['tenant_signatory']
	});
	return { tenantId: created.id, signer };
}

export interface AgreementWorld {
	admin: Actor;
	mainSigner: SessionUser;
	tenantId: string;
	tenantSigner: SessionUser;
	/** The default Finnish template loaded from `templates/`. */
	templateId: string;
}

/**
 * Setup done, the four designated persons (minus `omitRoles`), a main-connector signatory, one
 * tenant with a signatory, and the shipped templates loaded. Every person's password hashes to
 * `passwordHash`: hash once per test file, argon2 is slow on purpose.
 */
export function setUpAgreementWorld(
	db: Db,
	passwordHash: string,
	options: {
		tenant?: Partial<TenantInput>;
		services?: string[];
		tenantSignerName?: string;
		omitRoles?: DesignatedPersonInput['role'][];
	} = {}
): AgreementWorld {
	const setup = completeSetup(
		db,
		{ organisation: MAIN_CONNECTOR_INPUT, admin: { name: 'Aino Admin', email: 'admin@mc.example.fi', passwordHash } },
		{ ipAddress: '' }
	);
	if (!setup) throw new Error('Setup had already been done');
	const admin: Actor = { id: setup.userId, label: 'admin@mc.example.fi', ipAddress: '192.0.2.1' };
	for (const person of DESIGNATED_PERSONS) if (!options.omitRoles?.includes(person.role)) addDesignatedPerson(db, admin, person);
	const mainSigner = addSignedUpPerson(db, admin, passwordHash, {
		email: 'signer@mc.example.fi',
		name: 'Sakari Signer',
		tenantId: null,
		roles: ['mc_signatory']
	});
	const { tenantId, signer } = addAgreementTenant(db, admin, passwordHash, {
		input: options.tenant,
		services: options.services,
		signerName: options.tenantSignerName
	});
	syncBundledTemplates(db, TEMPLATES_DIR);
	const template = defaultTemplate(db, 'fi');
	if (!template) throw new Error('No Finnish template in templates/');
	return { admin, mainSigner, tenantId, tenantSigner: signer, templateId: template.id };
}

// ---------------------------------------------------------------------------------------------
// Prerequisite, certificate and reminder fixtures.

/** Setup done (which seeds the Kanta services and the prerequisite catalogue); returns the first administrator as an actor. */
export function setUpMainConnector(db: Db, passwordHash = 'not-a-real-hash'): Actor {
	const setup = completeSetup(
		db,
		{ organisation: MAIN_CONNECTOR_INPUT, admin: { name: 'Aino Admin', email: 'admin@mc.example.fi', passwordHash } },
		{ ipAddress: '' }
	);
	if (!setup) throw new Error('Setup had already been done');
	return { id: setup.userId, label: 'admin@mc.example.fi', ipAddress: '192.0.2.1' };
}

let plainTenantCounter = 0;

/** Creates a tenant as an administrator would (so its checklist is synced); unique business id and name. */
export function addTenant(db: Db, actor: Actor, overrides: Partial<TenantInput> = {}, now = new Date()): string {
	plainTenantCounter++;
	const created = createTenant(
		db,
		actor,
		tenantInput({
			name: `Testivuokralainen ${plainTenantCounter} Oy`,
			businessId: `${String(2000000 + plainTenantCounter)}-${plainTenantCounter % 10}`,
			...overrides
		}),
		now
	);
	if (!created.ok) throw new Error(`Could not create the tenant: ${created.reason}`);
	return created.id;
}

/** An agreement row in the given state, inserted directly (no signing flow); loads the shipped templates if needed. */
export function insertAgreementRow(db: Db, tenantId: string, status: AgreementStatus, now = new Date()): string {
	let template = defaultTemplate(db, 'fi');
	if (!template) {
		syncBundledTemplates(db, TEMPLATES_DIR);
		template = defaultTemplate(db, 'fi');
	}
	if (!template) throw new Error('No Finnish template in templates/');
	const id = crypto.randomUUID();
	db.insert(agreement)
		.values({
			id,
			tenantId,
			templateId: template.id,
			language: 'fi',
			status,
			templateSource: template.source,
			createdAt: now,
			inForceAt: status === 'in_force' ? now : null
		})
		.run();
	return id;
}

/** A hand-entered certificate or card (no file), valid until `validTo`. */
export function addManualCertificate(db: Db, actor: Actor, kind: CertificateKind, holder: Holder, validTo: Date, now = new Date()): string {
	const result = addCertificate(db, actor, kind, holder, { source: 'manual', validTo, validFrom: null, reference: `REF-${kind}` }, now);
	if (!result.ok) throw new Error(`Could not add the certificate: ${result.reason}`);
	return result.id;
}

/** The main connector as a certificate holder. */
export const MAIN_CONNECTOR_HOLDER: Holder = { type: 'main_connector', tenantId: null, userId: null, name: MAIN_CONNECTOR_INPUT.name };

/** A tenant person as a card holder. */
export function personHolder(person: Pick<User, 'id' | 'name' | 'tenantId'>): Holder {
	return { type: 'person', tenantId: person.tenantId, userId: person.id, name: person.name };
}

/** The reference a caller acting for the item's own tenant would give (tests of other rules than scope). */
export function itemRef(db: DbOrTx, itemId: string): ItemRef {
	const item = getChecklistItem(db, itemId);
	if (!item) throw new Error(`No checklist item ${itemId}`);
	return { tenantId: item.tenantId, itemId };
}
