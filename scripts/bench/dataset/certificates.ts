/**
 * Certificates: the main connector's own, and a professional card for every active person,
 * spread evenly over a card's five years, with earlier cards kept as superseded history.
 */
import { between, weighted } from './random';
import { eventBy, insertAll, type Context, type GenPerson } from './context';
import type { TenantRow } from './tenants';
import { DAY_MS } from '../../../src/lib/time';

const CARD_YEARS_MS = 5 * 365 * DAY_MS;

interface CertRow {
	id: string;
	kind: string;
	holderType: 'main_connector' | 'person';
	tenantId: string | null;
	holderUserId: string | null;
	holderName: string;
	reference: string;
	validFrom: number;
	validTo: number;
	supersedesId: string | null;
	supersededAt: number | null;
	renewalOrderedAt: number | null;
	createdAt: number;
	createdBy: { id: string; email: string };
}

export function generateCertificates(ctx: Context, tenants: TenantRow[], target: number): number {
	const { random, now } = ctx;
	const rows: CertRow[] = [];
	const mc = (kind: string, days: number) =>
		rows.push({
			id: crypto.randomUUID(),
			kind,
			holderType: 'main_connector',
			tenantId: null,
			holderUserId: null,
			holderName: 'Kansallinen Terveyspalvelu Oy',
			reference: `DVV ${kind}`,
			validFrom: now + days * DAY_MS - 365 * DAY_MS,
			validTo: now + days * DAY_MS,
			supersedesId: null,
			supersededAt: null,
			renewalOrderedAt: null,
			createdAt: now - 300 * DAY_MS,
			createdBy: ctx.certAdmin
		});
	mc('server', 200);
	mc('system_signature', 500);
	mc('server_test', 25);
	mc('system_signature_test', 300);
	mc('security_assessment', 400);

	const card = (t: TenantRow, p: GenPerson, validTo: number): CertRow => {
		const validFrom = validTo - CARD_YEARS_MS;
		return {
			id: crypto.randomUUID(),
			kind: weighted(random, { professional_card: 85, staff_card: 10, replacement_card: 5 }),
			holderType: 'person',
			tenantId: t.id,
			holderUserId: p.id,
			holderName: p.name,
			reference: `Kortti ${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
			validFrom,
			validTo,
			supersedesId: null,
			supersededAt: null,
			renewalOrderedAt: null,
			createdAt: Math.min(Math.max(validFrom, p.createdAt), now - DAY_MS),
			createdBy: t.people[0]
		};
	};
	const current: { t: TenantRow; p: GenPerson; row: CertRow }[] = [];
	for (const t of tenants) {
		for (const p of t.people) {
			if (p.status === 'invited') continue;
			const row = card(
				t,
				p,
				p.status === 'active'
					? between(random, now - 60 * DAY_MS, now + CARD_YEARS_MS)
					: between(random, now - 700 * DAY_MS, now + 700 * DAY_MS)
			);
			// Renewals people have already ordered for cards running out within two months.
			if (row.validTo > now && row.validTo < now + 60 * DAY_MS && random() < 0.4)
				row.renewalOrderedAt = now - between(random, 0, 20 * DAY_MS);
			rows.push(row);
			if (p.status === 'active') current.push({ t, p, row });
		}
	}
	// Earlier cards, renewed shortly before they ran out, until the registry holds `target`.
	for (let i = 0; rows.length < target && current.length; i++) {
		const entry = current[i % current.length];
		const next = entry.row;
		const previous = card(entry.t, entry.p, next.validFrom + between(random, 0, 60 * DAY_MS));
		previous.kind = next.kind;
		previous.createdAt = previous.validFrom;
		previous.supersededAt = next.createdAt;
		next.supersedesId = previous.id;
		entry.row = previous;
		rows.push(previous);
	}

	const columns = [
		'id',
		'kind',
		'holder_type',
		'tenant_id',
		'holder_user_id',
		'holder_name',
		'reference',
		'valid_from',
		'valid_to',
		'source',
		'supersedes_id',
		'superseded_at',
		'renewal_ordered_at',
		'renewal_note',
		'created_at',
		'created_by'
	];
	const n = insertAll(ctx.client, 'certificate', columns, rows, (c) => [
		c.id,
		c.kind,
		c.holderType,
		c.tenantId,
		c.holderUserId,
		c.holderName,
		c.reference,
		c.validFrom,
		c.validTo,
		'manual',
		c.supersedesId,
		c.supersededAt,
		c.renewalOrderedAt,
		c.renewalOrderedAt ? 'Tilattu DVV:ltä' : '',
		c.createdAt,
		c.createdBy.email
	]);
	for (const c of rows) {
		const by = c.createdBy;
		ctx.events.push(
			eventBy(
				by,
				c.createdAt,
				c.tenantId,
				'certificate.add',
				'certificate',
				c.id,
				`${c.kind} for ${c.holderName}, valid until ${new Date(c.validTo).toISOString().slice(0, 10)}`
			)
		);
		if (c.supersededAt) ctx.events.push(eventBy(by, c.supersededAt, c.tenantId, 'certificate.supersede', 'certificate', c.id, 'renewed'));
		if (c.renewalOrderedAt)
			ctx.events.push(eventBy(by, c.renewalOrderedAt, c.tenantId, 'certificate.renewal_ordered', 'certificate', c.id, 'Tilattu DVV:ltä'));
	}
	return n;
}
