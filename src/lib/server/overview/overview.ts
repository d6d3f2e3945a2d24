import { and, count, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { auditEntry, certificate, tenant, trainingRecord, user, type CertificateKind, type TenantStage } from '../db/schema';
import { TENANT_STAGES } from '../../domain';
import { EXPIRY_SERIES, expirySeriesOf, type ExpirySeries } from '../../overview';
import { addMonths, DAY_MS, startOfHelsinkiDay, todayInHelsinki } from '../../time';
import { listPeople, type Person } from '../people/people';
import { countPeopleMissingTraining, listModules, listTenantRecords } from '../training/training';
import { trainingMatrix } from '../training/status';
import { coverageCounts, currentVersion, listInstructions } from '../instructions/instructions';
import { listTenantsNeedingAttention } from '../prerequisites/checklist';

/**
 * What the dashboard's charts show, counted in the database. Months are Finnish calendar months;
 * `month` is its first day (YYYY-MM-01).
 */

const zeroSeries = () => Object.fromEntries(EXPIRY_SERIES.map((s) => [s, 0])) as Record<ExpirySeries, number>;
const zeroStages = () => Object.fromEntries(TENANT_STAGES.map((s) => [s, 0])) as Record<TenantStage, number>;
const monthStart = (now: Date) => `${todayInHelsinki(now).slice(0, 7)}-01`;

export interface ExpiryMonths {
	/** Current certificates already expired and not replaced, by series. */
	overdue: Record<ExpirySeries, number>;
	/** This month (from now on) and the eleven after it. */
	months: { month: string; counts: Record<ExpirySeries, number> }[];
}

/** Current (not superseded) certificates expiring in each of the next `months` months, and those already expired. */
export function certificateExpiriesByMonth(db: DbOrTx, now = new Date(), months = 12): ExpiryMonths {
	const first = monthStart(now);
	const starts = Array.from({ length: months }, (_, i) => addMonths(first, i));
	const ends = starts.map((m) => startOfHelsinkiDay(addMonths(m, 1)).getTime());
	// One pass along the (superseded_at, valid_to) index; each row's month slot is worked out in SQL.
	const slot = sql.join(
		[
			sql`case when ${certificate.validTo} <= ${now.getTime()} then -1`,
			...ends.map((end, i) => sql`when ${certificate.validTo} < ${end} then ${i}`),
			sql`end`
		],
		sql` `
	);
	const rows = db
		.select({ kind: certificate.kind, slot: sql<number>`${slot}`, n: sql<number>`count(*)` })
		.from(certificate)
		.where(and(isNull(certificate.supersededAt), lt(certificate.validTo, new Date(ends.at(-1)!))))
		.groupBy(certificate.kind, sql`2`)
		.all();
	const result: ExpiryMonths = { overdue: zeroSeries(), months: starts.map((month) => ({ month, counts: zeroSeries() })) };
	for (const row of rows) {
		const series = expirySeriesOf(row.kind as CertificateKind);
		if (row.slot === -1) result.overdue[series] += row.n;
		else result.months[row.slot].counts[series] += row.n;
	}
	return result;
}

export interface StageMonths {
	/** Current tenants per stage at the end of each of the last `months` months; the last one is now. */
	months: { month: string; counts: Record<TenantStage, number> }[];
}

const STAGE_CHANGE = /^(\w+) → (\w+)/;
const isStage = (value: string): value is TenantStage => (TENANT_STAGES as readonly string[]).includes(value);

/**
 * The past months' counts are worked out from the audit log's stage changes (every change is
 * recorded there, "from → to") walking back from each tenant's stage now. Months that have ended
 * do not change, so they are kept for the rest of the day; the current month is always counted afresh.
 */
const pastStages = new WeakMap<object, { key: string; months: StageMonths['months'] }>();

function stagesAt(db: DbOrTx, ends: { month: string; at: number }[]): StageMonths['months'] {
	if (ends.length === 0) return [];
	const earliest = ends[0].at;
	const tenants = db
		.select({ id: tenant.id, stage: tenant.stage, createdAt: tenant.createdAt, archivedAt: tenant.archivedAt })
		.from(tenant)
		.all();
	const changes = db
		.select({ tenantId: auditEntry.targetId, at: auditEntry.at, summary: auditEntry.summary })
		.from(auditEntry)
		.where(and(eq(auditEntry.action, 'tenant.stage_change'), sql`${auditEntry.at} > ${earliest}`))
		.all();
	const byTenant = new Map<string, { at: number; from: TenantStage }[]>();
	for (const change of changes) {
		const parsed = STAGE_CHANGE.exec(change.summary);
		if (!parsed || !isStage(parsed[1])) continue;
		const list = byTenant.get(change.tenantId) ?? [];
		list.push({ at: change.at.getTime(), from: parsed[1] });
		byTenant.set(change.tenantId, list);
	}
	const result = ends.map(({ month }) => ({ month, counts: zeroStages() }));
	for (const t of tenants) {
		// Newest change first: walking back past a change gives the stage it started from.
		const history = (byTenant.get(t.id) ?? []).sort((a, b) => b.at - a.at);
		ends.forEach(({ at }, i) => {
			if (t.createdAt.getTime() > at || (t.archivedAt && t.archivedAt.getTime() <= at)) return;
			let stage = t.stage;
			for (const change of history) {
				if (change.at <= at) break;
				stage = change.from;
			}
			result[i].counts[stage]++;
		});
	}
	return result;
}

export function tenantStagesByMonth(db: DbOrTx, now = new Date(), months = 12): StageMonths {
	const current = monthStart(now);
	const past = Array.from({ length: months - 1 }, (_, i) => addMonths(current, i - (months - 1)));
	const key = `${todayInHelsinki(now)}:${months}`;
	let cached = pastStages.get(db);
	if (cached?.key !== key) {
		cached = {
			key,
			months: stagesAt(
				db,
				past.map((month) => ({ month, at: startOfHelsinkiDay(addMonths(month, 1)).getTime() - 1 }))
			)
		};
		pastStages.set(db, cached);
	}
	const nowCounts = zeroStages();
	for (const row of db
		.select({ stage: tenant.stage, n: sql<number>`count(*)` })
		.from(tenant)
		.where(isNull(tenant.archivedAt))
		.groupBy(tenant.stage)
		.all())
		nowCounts[row.stage] = row.n;
	return { months: [...cached.months, { month: current, counts: nowCounts }] };
}

export interface CoverageBar {
	id: string;
	titles: { fi: string; sv: string; en: string | null };
	acknowledged: number;
	total: number;
}

export interface CoverageSummary {
	bars: CoverageBar[];
	/** When the counts were read: they are kept for up to a minute (see below). */
	countedAt: Date;
}

const coverageKept = new WeakMap<object, { limit: number; summary: CoverageSummary }>();
const COVERAGE_MAX_AGE_MS = 60_000;

/**
 * Acknowledgement coverage of the instructions in use that ask for one, newest first, read from
 * the counts the database keeps. An instruction for every tenant still costs some 15 ms at national
 * scale (measured), so the dashboard's figures are kept for a minute rather than counted on every load.
 */
export function instructionCoverageSummary(db: DbOrTx, limit = 8, now = new Date()): CoverageSummary {
	const kept = coverageKept.get(db);
	if (
		kept &&
		kept.limit === limit &&
		now.getTime() - kept.summary.countedAt.getTime() < COVERAGE_MAX_AGE_MS &&
		now >= kept.summary.countedAt
	)
		return kept.summary;
	const bars = listInstructions(db)
		.filter((item) => item.requiresAck)
		.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
		.slice(0, limit)
		.map((item) => {
			const version = currentVersion(db, item.id)!;
			const counts = coverageCounts(db, item);
			return {
				id: item.id,
				titles: { fi: version.titleFi, sv: version.titleSv, en: version.titleEn },
				acknowledged: counts.acknowledged,
				total: counts.total
			};
		});
	const summary = { bars, countedAt: now };
	coverageKept.set(db, { limit, summary });
	return summary;
}

export type CardState = 'valid' | 'expiring' | 'expired' | 'none';

export interface PersonGlance {
	id: string;
	name: string;
	/** Required training modules, and how many of them the person holds a valid completion of. */
	training: { required: number; valid: number; awaiting: number };
	/** The person's newest current certificate card (professional, staff or replacement card). */
	card: { state: CardState; validTo: Date | null };
}

const CARD_KINDS: CertificateKind[] = ['professional_card', 'staff_card', 'replacement_card'];
/** A card with less than this left is shown as expiring: renewal is possible in the last three months. */
const CARD_EXPIRING_DAYS = 90;

const cardState = (validTo: Date | null, now: Date): CardState =>
	!validTo ? 'none' : validTo <= now ? 'expired' : validTo.getTime() - now.getTime() < CARD_EXPIRING_DAYS * DAY_MS ? 'expiring' : 'valid';

/** The glance of the given people of the tenant: their training records and cards are read for them alone. */
function glanceRows(db: Db, tenantId: string, people: Person[], now: Date, everyone: boolean): PersonGlance[] {
	if (people.length === 0) return [];
	const today = todayInHelsinki(now);
	const ids = people.map((p) => p.id);
	const records = everyone
		? listTenantRecords(db, tenantId)
		: db
				.select()
				.from(trainingRecord)
				.where(and(eq(trainingRecord.tenantId, tenantId), inArray(trainingRecord.userId, ids)))
				.all();
	const cards = new Map<string, Date>();
	for (const c of db
		.select({ userId: certificate.holderUserId, kind: certificate.kind, validTo: certificate.validTo })
		.from(certificate)
		.where(
			and(
				eq(certificate.tenantId, tenantId),
				isNull(certificate.supersededAt),
				everyone ? undefined : inArray(certificate.holderUserId, ids)
			)
		)
		.all()) {
		if (!c.userId || !CARD_KINDS.includes(c.kind)) continue;
		const known = cards.get(c.userId);
		if (!known || c.validTo > known) cards.set(c.userId, c.validTo);
	}
	return trainingMatrix(people, listModules(db), records, today).map((row) => {
		const required = row.cells.filter((cell) => cell.required);
		const validTo = cards.get(row.userId) ?? null;
		return {
			id: row.userId,
			name: row.name,
			training: {
				required: required.length,
				valid: required.filter((cell) => cell.status.kind === 'valid').length,
				awaiting: required.filter((cell) => cell.status.kind === 'awaiting').length
			},
			card: { state: cardState(validTo, now), validTo }
		};
	});
}

/** A tenant's active people at a glance, everyone: required training held and certificate card validity. */
export function tenantPeopleGlance(db: Db, tenantId: string, now = new Date()): PersonGlance[] {
	return glanceRows(db, tenantId, listPeople(db, tenantId, { activeOnly: true }), now, true);
}

export interface GlanceSummary {
	/** Active people. */
	people: number;
	/** Of them, those holding a valid completion of every module their role requires. */
	trained: number;
	/** Active people by the state of their newest current card. */
	cards: Record<CardState, number>;
}

/**
 * The tenant home page's glance: the first `rows` active people by name with their training and
 * card, and the summary over everyone, counted in SQL (the same figures `tenantPeopleGlance` gives
 * person by person, which a tenant of thousands cannot afford on every load).
 */
export function tenantGlance(db: Db, tenantId: string, rows: number, now = new Date()): { people: PersonGlance[]; summary: GlanceSummary } {
	const people = glanceRows(db, tenantId, listPeople(db, tenantId, { activeOnly: true, pageSize: rows }), now, false);
	const active = and(eq(user.tenantId, tenantId), eq(user.status, 'active'));
	// Each active person's newest current card, from the tenant's current cards grouped by holder.
	const newest = db
		.select({ holder: certificate.holderUserId, validTo: sql<number>`max(${certificate.validTo})`.as('newest_valid_to') })
		.from(certificate)
		.where(
			and(
				eq(certificate.tenantId, tenantId),
				isNull(certificate.supersededAt),
				inArray(certificate.kind, CARD_KINDS),
				isNotNull(certificate.holderUserId)
			)
		)
		.groupBy(certificate.holderUserId)
		.as('newest');
	const t = now.getTime();
	const state = sql<CardState>`case when ${newest.validTo} is null then 'none' when ${newest.validTo} <= ${t} then 'expired' when ${newest.validTo} < ${t + CARD_EXPIRING_DAYS * DAY_MS} then 'expiring' else 'valid' end`;
	const cards: Record<CardState, number> = { valid: 0, expiring: 0, expired: 0, none: 0 };
	let total = 0;
	for (const row of db
		.select({ state, n: count() })
		.from(user)
		.leftJoin(newest, eq(newest.holder, user.id))
		.where(active)
		.groupBy(sql`1`)
		.all()) {
		cards[row.state] += row.n;
		total += row.n;
	}
	return { people, summary: { people: total, trained: total - countPeopleMissingTraining(db, tenantId, now), cards } };
}

/** How long the dashboard's aggregates over every certificate and checklist item are kept, as the coverage chart's. */
const AGGREGATES_MAX_AGE_MS = COVERAGE_MAX_AGE_MS;

export interface DashboardAggregates {
	expiries: ExpiryMonths;
	attention: ReturnType<typeof listTenantsNeedingAttention>;
	/** When they were counted: they are kept for up to a minute (see below). */
	countedAt: Date;
}

const aggregatesKept = new WeakMap<object, DashboardAggregates>();

/**
 * The main connector's dashboard figures counted over every certificate (the expiry chart) and
 * every checklist item (the tenants needing attention). At national scale they cost some 19 ms of
 * CPU per load (measured), so, like the coverage chart, they are kept for a minute and the page
 * says when they were counted.
 */
export function dashboardAggregates(db: DbOrTx, now = new Date()): DashboardAggregates {
	const kept = aggregatesKept.get(db);
	if (kept && now.getTime() - kept.countedAt.getTime() < AGGREGATES_MAX_AGE_MS && now >= kept.countedAt) return kept;
	const counted = { expiries: certificateExpiriesByMonth(db, now), attention: listTenantsNeedingAttention(db, now), countedAt: now };
	aggregatesKept.set(db, counted);
	return counted;
}
