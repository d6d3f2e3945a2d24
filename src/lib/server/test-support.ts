/** Shared fixtures for the server unit tests. Not imported by the portal itself. */
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from './db/index';
import { tenant, user, userRole, type Role, type User, type UserStatus } from './db/schema';
import type { Actor } from './actor';
import type { TenantInput } from './tenants/tenants';

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
	if (roles.length) db.insert(userRole).values(roles.map((role) => ({ userId: id, role }))).run();
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
