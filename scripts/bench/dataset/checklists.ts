/**
 * Every tenant's checklist from the catalogue (the items syncChecklist would give it), in the
 * state its stage suggests: open work while onboarding, verified evidence in production, and
 * some recurring items run out.
 */
import { TENANT_STAGES } from '../../../src/lib/domain';
import { appliesTo, listPrerequisiteTypes } from '../../../src/lib/server/prerequisites/catalogue';
import { between, weighted } from './random';
import { eventBy, insertAll, isoDay, type Context } from './context';
import type { TenantRow } from './tenants';
import { DAY_MS } from '../../../src/lib/time';

type Status = 'not_started' | 'in_progress' | 'submitted' | 'verified' | 'returned' | 'expired';

export function generateChecklists(ctx: Context, tenants: TenantRow[]): number {
	const { random, now } = ctx;
	const types = listPrerequisiteTypes(ctx.db);
	const codeOf = new Map(
		ctx.db.$client
			.prepare('select id, code from kanta_service')
			.all()
			.map((r) => [(r as { id: string }).id, (r as { code: string }).code])
	);
	const rows: unknown[][] = [];
	for (const t of tenants) {
		const party = { serviceSector: t.sector, providerType: t.provider };
		const codes = t.serviceIds.map((id) => codeOf.get(id)!);
		const settled = TENANT_STAGES.indexOf(t.stage) >= TENANT_STAGES.indexOf('agreement_signed');
		const tenantAdmin = t.people[0];
		for (const type of types.filter((type) => appliesTo(type, party, codes))) {
			const id = crypto.randomUUID();
			let status: Status = 'not_started';
			let dueDate: string | null = null;
			let submittedAt: number | null = null;
			let verifiedAt: number | null = null;
			let validUntil: string | null = null;
			if (!type.derivedRule) {
				if (settled) status = 'verified';
				else if (t.stage === 'onboarding')
					status = weighted(random, { verified: 35, submitted: 15, in_progress: 20, returned: 5, not_started: 25 });
				if (status === 'verified') {
					submittedAt = settled
						? between(random, Math.max(t.createdAt, now - 360 * DAY_MS), now - 20 * DAY_MS)
						: between(random, t.createdAt, now - DAY_MS);
					verifiedAt = Math.min(submittedAt + between(random, DAY_MS, 10 * DAY_MS), now - DAY_MS);
					if (type.renewalMonths) {
						validUntil = isoDay(verifiedAt + type.renewalMonths * 30.4 * DAY_MS);
						// Renewal evidence that never came: expireDueItems has turned these.
						if (random() < 0.04) {
							validUntil = isoDay(now - between(random, DAY_MS, 60 * DAY_MS));
							status = 'expired';
						}
					}
				} else if (status === 'submitted' || status === 'returned') {
					submittedAt = between(random, t.createdAt, now - DAY_MS);
				}
				if (status !== 'verified' && status !== 'expired' && (t.stage === 'onboarding' || random() < 0.4)) {
					dueDate = isoDay(between(random, now - 25 * DAY_MS, now + 45 * DAY_MS));
				}
			}
			rows.push([
				id,
				t.id,
				type.id,
				status,
				dueDate,
				submittedAt,
				submittedAt ? tenantAdmin.email : null,
				verifiedAt,
				verifiedAt ? ctx.admin.email : null,
				status === 'returned' ? 'Liite puuttuu; lisää allekirjoitettu versio.' : null,
				validUntil,
				t.createdAt,
				verifiedAt ?? submittedAt
			]);
			if (dueDate)
				ctx.events.push(eventBy(ctx.admin, t.createdAt + DAY_MS, t.id, 'checklist.plan', 'checklist_item', id, `due ${dueDate}`));
			if (submittedAt) ctx.events.push(eventBy(tenantAdmin, submittedAt, t.id, 'checklist.submit', 'checklist_item', id, type.code));
			if (verifiedAt) ctx.events.push(eventBy(ctx.admin, verifiedAt, t.id, 'checklist.verify', 'checklist_item', id, type.code));
			if (status === 'returned')
				ctx.events.push(eventBy(ctx.admin, submittedAt! + DAY_MS, t.id, 'checklist.return', 'checklist_item', id, 'Liite puuttuu'));
			if (status === 'expired')
				ctx.events.push(
					eventBy(
						{ id: null, email: 'system' },
						Date.parse(validUntil!),
						t.id,
						'checklist.expire',
						'checklist_item',
						id,
						`valid until ${validUntil}`
					)
				);
		}
	}
	const columns = [
		'id',
		'tenant_id',
		'type_id',
		'status',
		'due_date',
		'submitted_at',
		'submitted_by',
		'verified_at',
		'verified_by',
		'returned_reason',
		'valid_until',
		'created_at',
		'updated_at'
	];
	return insertAll(ctx.client, 'checklist_item', columns, rows, (r) => r);
}
