/** Tenants with their services, units, contacts and staff, spread over three years of onboarding. */
import type { Role, TenantStage } from '../../../src/lib/domain';
import { TENANT_STAGES } from '../../../src/lib/domain';
import { listServices } from '../../../src/lib/server/services/kanta-services';
import { ascii, between, businessId, CITIES, FIRST_NAMES, LAST_NAMES, organisationName, pick, weighted } from './random';
import { eventBy, insertAll, type Context, type GenPerson, type GenTenant } from './context';
import { DAY_MS } from '../../../src/lib/time';

/** Roughly where a national portal's tenants stand after three years. */
const STAGE_WEIGHTS: Record<TenantStage, number> = {
	invited: 8,
	onboarding: 18,
	agreement_signed: 6,
	ready_for_production: 5,
	in_production: 56,
	notice_given: 3,
	ended: 4
};

export interface TenantRow extends GenTenant {
	businessId: string;
	city: string;
	postalCode: string;
	street: string;
	oid: string;
	soteri: string;
	sector: 'health_care' | 'social_welfare';
	provider: 'private' | 'public_on_behalf';
	serviceIds: string[];
}

export function generateTenants(ctx: Context, count: number): TenantRow[] {
	const { random, now } = ctx;
	const services = listServices(ctx.db).map((s) => s.id);
	const rows: TenantRow[] = [];
	for (let n = 1000000; rows.length < count; n += 7) {
		const id = businessId(n);
		if (!id) continue;
		const stage = weighted(random, STAGE_WEIGHTS);
		const early = stage === 'invited' ? now - 60 * DAY_MS : stage === 'onboarding' ? now - 365 * DAY_MS : now - 3 * 365 * DAY_MS;
		const late = stage === 'invited' || stage === 'onboarding' ? now - 2 * DAY_MS : now - 150 * DAY_MS;
		const createdAt = between(random, early, late);
		const signed = TENANT_STAGES.indexOf(stage) >= TENANT_STAGES.indexOf('agreement_signed');
		const [city, postalCode] = pick(random, CITIES);
		const language = random() < 0.06 ? 'sv' : 'fi';
		const serviceIds = [...new Set(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random, services)))];
		rows.push({
			id: crypto.randomUUID(),
			name: organisationName(random, city),
			businessId: id,
			city,
			postalCode,
			street: `${pick(random, LAST_NAMES)}nkatu ${1 + Math.floor(random() * 60)}`,
			oid: `1.2.246.10.${id.replace('-', '').replace(/^0+/, '')}`,
			soteri: `SOTERI-${new Date(createdAt).getUTCFullYear()}-${id.slice(2, 6)}`,
			sector: random() < 0.7 ? 'health_care' : 'social_welfare',
			provider: random() < 0.8 ? 'private' : 'public_on_behalf',
			language,
			stage,
			createdAt,
			signedAt: signed ? createdAt + between(random, 30 * DAY_MS, 120 * DAY_MS) : null,
			archived: stage === 'ended' && random() < 0.6,
			serviceIds,
			people: []
		});
	}
	const tenantColumns = [
		'id',
		'name',
		'business_id',
		'oid',
		'street_address',
		'postal_code',
		'city',
		'soteri_registration',
		'service_sector',
		'provider_type',
		'agreement_language',
		'stage',
		'archived_at',
		'created_at',
		'updated_at'
	];
	insertAll(ctx.client, 'tenant', tenantColumns, rows, (t) => [
		t.id,
		t.name,
		t.businessId,
		t.oid,
		t.street,
		t.postalCode,
		t.city,
		t.soteri,
		t.sector,
		t.provider,
		t.language,
		t.stage,
		t.archived ? now - 30 * DAY_MS : null,
		t.createdAt,
		now - DAY_MS
	]);
	insertAll(
		ctx.client,
		'tenant_service',
		['tenant_id', 'service_id'],
		rows.flatMap((t) => t.serviceIds.map((s) => [t.id, s])),
		(r) => r
	);
	insertAll(ctx.client, 'service_unit', ['id', 'tenant_id', 'name', 'oid'], rows, (t) => [
		crypto.randomUUID(),
		t.id,
		t.name.split(',')[0],
		`${t.oid}.10.1`
	]);

	for (const t of rows) {
		ctx.events.push(eventBy(ctx.admin, t.createdAt, t.id, 'tenant.create', 'tenant', t.id, `${t.name} (${t.businessId})`));
		const steps = TENANT_STAGES.indexOf(t.stage);
		for (let s = 1; s <= steps; s++) {
			const at = s === 2 && t.signedAt ? t.signedAt : t.createdAt + ((now - t.createdAt) * s) / (steps + 1);
			ctx.events.push(
				eventBy(
					ctx.admin,
					Math.min(at, now - DAY_MS),
					t.id,
					'tenant.stage_change',
					'tenant',
					t.id,
					`${TENANT_STAGES[s - 1]} → ${TENANT_STAGES[s]}`
				)
			);
		}
	}
	return rows;
}

/**
 * Staff: every tenant has an administrator who also signs; the rest spread unevenly, as a few
 * large providers and many small practices do.
 */
export function generatePeople(ctx: Context, tenants: TenantRow[], count: number): GenPerson[] {
	const { random, now } = ctx;
	const all: GenPerson[] = [];
	const number = new Map(tenants.map((t, i) => [t, i + 1]));
	const add = (t: TenantRow, roles: Role[]) => {
		const first = pick(random, FIRST_NAMES);
		const last = pick(random, LAST_NAMES);
		const status = roles.includes('tenant_admin') ? 'active' : weighted(random, { active: 92, invited: 5, deactivated: 3 });
		const person: GenPerson = {
			id: crypto.randomUUID(),
			email: `${ascii(first)}.${ascii(last)}.${all.length + 1}@t${number.get(t)}.bench.test`,
			name: `${first} ${last}`,
			roles,
			status,
			locale: t.language === 'sv' ? 'sv' : random() < 0.05 ? 'en' : 'fi',
			createdAt: roles.includes('tenant_admin') ? t.createdAt + DAY_MS : between(random, t.createdAt + DAY_MS, now - DAY_MS)
		};
		t.people.push(person);
		all.push(person);
	};
	for (const t of tenants) add(t, ['tenant_admin', 'tenant_signatory']);
	while (all.length < count) {
		// random()^3 puts most staff in a few tenants: a long tail of small practices.
		const t = tenants[Math.floor(random() ** 3 * tenants.length)];
		add(t, random() < 0.01 ? ['tenant_signatory'] : random() < 0.005 ? ['tenant_admin', 'tenant_staff'] : ['tenant_staff']);
	}
	const rows = tenants.flatMap((t) => t.people.map((p) => ({ t, p })));
	const userColumns = ['id', 'email', 'name', 'password_hash', 'tenant_id', 'status', 'locale', 'created_at', 'deactivated_at'];
	insertAll(ctx.client, 'user', userColumns, rows, ({ t, p }) => [
		p.id,
		p.email,
		p.name,
		p.status === 'invited' ? null : ctx.passwordHash,
		t.id,
		p.status,
		p.locale,
		p.createdAt,
		p.status === 'deactivated' ? now - 10 * DAY_MS : null
	]);
	insertAll(
		ctx.client,
		'user_role',
		['user_id', 'role'],
		all.flatMap((p) => p.roles.map((r) => [p.id, r])),
		(r) => r
	);
	insertAll(ctx.client, 'tenant_contact', ['id', 'tenant_id', 'name', 'title', 'email', 'phone'], tenants, (t) => [
		crypto.randomUUID(),
		t.id,
		t.people[0].name,
		'Yhteyshenkilö',
		t.people[0].email,
		'040 123 4567'
	]);
	for (const { t, p } of rows)
		ctx.events.push(eventBy(ctx.admin, p.createdAt, t.id, 'person.invite', 'user', p.id, `${p.email} (${p.roles.join(', ')})`));
	return all;
}
