import { and, asc, eq, gte, isNotNull, isNull, ne, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import * as m from '../../paraglide/messages.js';
import type { Db, DbOrTx } from '../db';
import { calendarToken, certificate, checklistItem, prerequisiteType, tenant, trainingModule, trainingRecord, user } from '../db/schema';
import { moduleName } from '../training/training';
import { config } from '../config';
import { audit, type Actor } from '../actor';
import { can } from '../auth/authorize';
import { generateSessionToken, hashToken, toSessionUser, type SessionUser } from '../auth/session';
import { getSettings } from '../settings';
import { orderByDate } from '../certificates/registry';
import { deadlinesFor } from '../prerequisites/deadlines';
import { prerequisiteName } from '../prerequisites/catalogue';
import { DAY_MS, todayInHelsinki } from '../../time';
import { buildCalendar, type CalendarEvent } from './ics';
import { revokeFeedTokens } from '../auth/feed-tokens';
import { ownPlanOf, reviewDates } from '../security-plan/plan';

type Locale = 'fi' | 'sv' | 'en';

/** A new secret feed address; any earlier one stops working. Only the token's hash is stored. */
export function createCalendarToken(db: Db, actor: Actor, userId: string, now = new Date()): string {
	const token = generateSessionToken();
	db.transaction((tx) => {
		revokeFeedTokens(tx, userId, now);
		tx.insert(calendarToken)
			.values({ id: hashToken(token), userId, createdAt: now })
			.run();
		audit(tx, actor, { action: 'calendar.token_create', targetType: 'user', targetId: userId });
	});
	return token;
}

export function revokeCalendarToken(db: Db, actor: Actor, userId: string, now = new Date()): void {
	db.transaction((tx) => {
		revokeFeedTokens(tx, userId, now);
		audit(tx, actor, { action: 'calendar.token_revoke', targetType: 'user', targetId: userId });
	});
}

export function hasCalendarToken(db: DbOrTx, userId: string): boolean {
	return (
		db
			.select({ id: calendarToken.id })
			.from(calendarToken)
			.where(and(eq(calendarToken.userId, userId), isNull(calendarToken.revokedAt)))
			.get() !== undefined
	);
}

/** The person a feed token belongs to, while both the token and the person are active. */
export function calendarOwner(db: DbOrTx, token: string): (SessionUser & { locale: Locale }) | null {
	const row = db
		.select({ user })
		.from(calendarToken)
		.innerJoin(user, eq(calendarToken.userId, user.id))
		.where(and(eq(calendarToken.id, hashToken(token)), isNull(calendarToken.revokedAt)))
		.get();
	if (!row || row.user.status !== 'active') return null;
	return { ...toSessionUser(db, row.user), locale: row.user.locale };
}

/** How many events a feed carries at most: the nearest ones. */
export const MAX_FEED_EVENTS = 2000;

/**
 * What concerns this person, as dated events from 90 days back onwards: certificate
 * expiries and order-by dates, checklist due dates and reviews, training that runs out, and the
 * statutory Kanta deadlines of the tenants they deal with; at most `limit`, the nearest first.
 */
export function calendarEventsFor(
	db: DbOrTx,
	person: SessionUser,
	locale: Locale,
	now = new Date(),
	limit = MAX_FEED_EVENTS
): CalendarEvent[] {
	const o = { locale };
	const events: CalendarEvent[] = [];
	const link = (path: string) => `${config.origin}${path}`;
	const since = new Date(now.getTime() - 90 * DAY_MS);
	const sinceDay = todayInHelsinki(since);
	const settings = getSettings(db);
	const ownScope = person.tenantId ? { tenantId: person.tenantId } : undefined;

	// Certificates: everything for the registry's keepers, a tenant's own for its administrators, own cards for the rest.
	const certConditions = [isNull(certificate.supersededAt), gte(certificate.validTo, since)];
	if (!can(person, 'certificate.view', ownScope)) certConditions.push(eq(certificate.holderUserId, person.id));
	else if (person.tenantId) certConditions.push(eq(certificate.tenantId, person.tenantId));
	for (const cert of db
		// Only what the events show: a certificate row also holds its PEM.
		.select({
			id: certificate.id,
			kind: certificate.kind,
			holderName: certificate.holderName,
			subject: certificate.subject,
			reference: certificate.reference,
			validTo: certificate.validTo,
			renewalOrderedAt: certificate.renewalOrderedAt
		})
		.from(certificate)
		.where(and(...certConditions))
		.orderBy(asc(certificate.validTo))
		.limit(limit)
		.all()) {
		const day = todayInHelsinki(cert.validTo);
		events.push({
			uid: `cert-expiry-${cert.id}@liitos`,
			date: day,
			summary: m.calendar_cert_expiry({ holder: cert.holderName }, o),
			description: cert.subject || cert.reference,
			url: link(`/certificates/${cert.id}`),
			alarmDaysBefore: [7, 1],
			categories: ['Liitos']
		});
		if (!cert.renewalOrderedAt) {
			events.push({
				uid: `cert-order-${cert.id}@liitos`,
				date: todayInHelsinki(orderByDate(cert.validTo, cert.kind, settings)),
				summary: m.calendar_cert_order({ holder: cert.holderName }, o),
				url: link(`/certificates/${cert.id}`),
				alarmDaysBefore: [1],
				categories: ['Liitos']
			});
		}
	}

	// Checklist due dates and reviews of recurring items.
	if (can(person, 'checklist.view', ownScope)) {
		// Due dates of open items and reviews of verified ones, each the nearest `limit` along an
		// index (ordering all items by either date made the server sort the whole country's checklists).
		const items = (condition: SQL, order: SQL | SQLiteColumn) =>
			db
				.select({ item: checklistItem, type: prerequisiteType, tenantName: tenant.name })
				.from(checklistItem)
				.innerJoin(prerequisiteType, eq(checklistItem.typeId, prerequisiteType.id))
				.innerJoin(tenant, eq(checklistItem.tenantId, tenant.id))
				.where(
					and(
						isNull(tenant.archivedAt),
						eq(prerequisiteType.active, true),
						person.tenantId ? eq(checklistItem.tenantId, person.tenantId) : undefined,
						condition
					)
				)
				.orderBy(order)
				.limit(limit)
				.all();
		const rows = [
			...items(and(ne(checklistItem.status, 'verified'), gte(checklistItem.dueDate, sinceDay))!, checklistItem.dueDate),
			...items(and(eq(checklistItem.status, 'verified'), gte(checklistItem.validUntil, sinceDay))!, checklistItem.validUntil)
		];
		for (const { item, type, tenantName } of rows) {
			const name = prerequisiteName(type, locale);
			const url = link(`/tenants/${item.tenantId}/checklist#item-${item.id}`);
			if (item.dueDate && item.status !== 'verified')
				events.push({
					uid: `checklist-due-${item.id}@liitos`,
					date: item.dueDate,
					summary: m.calendar_checklist_due({ item: name, tenant: tenantName }, o),
					url,
					alarmDaysBefore: [3],
					categories: ['Liitos']
				});
			if (item.validUntil && item.status === 'verified')
				events.push({
					uid: `checklist-review-${item.id}@liitos`,
					date: item.validUntil,
					summary: m.calendar_checklist_review({ item: name, tenant: tenantName }, o),
					url,
					alarmDaysBefore: [14],
					categories: ['Liitos']
				});
		}
	}

	// Training that runs out: one's own, and a tenant administrator's people's.
	const trainingConditions = [
		isNotNull(trainingRecord.validUntil),
		gte(trainingRecord.validUntil, sinceDay),
		eq(trainingRecord.confirmed, true),
		eq(user.status, 'active')
	];
	if (person.tenantId && can(person, 'training.records', ownScope)) trainingConditions.push(eq(trainingRecord.tenantId, person.tenantId));
	else if (!can(person, 'training.records')) trainingConditions.push(eq(trainingRecord.userId, person.id));
	const trainings = db
		.select({ record: trainingRecord, module: trainingModule, name: user.name })
		.from(trainingRecord)
		.innerJoin(trainingModule, eq(trainingRecord.moduleId, trainingModule.id))
		.innerJoin(user, eq(trainingRecord.userId, user.id))
		.where(and(...trainingConditions))
		.orderBy(asc(trainingRecord.validUntil))
		.limit(limit)
		.all();
	for (const { record, module, name } of trainings) {
		events.push({
			uid: `training-expiry-${record.id}@liitos`,
			date: record.validUntil!,
			summary: m.calendar_training_expiry({ module: moduleName(module, locale), person: name }, o),
			url: link(record.tenantId ? `/tenants/${record.tenantId}/training` : '/my-training'),
			alarmDaysBefore: [14],
			categories: ['Liitos']
		});
	}

	// Reviews of the information-security plan of the person's own organisation (THL 3/2024: kept up to
	// date): all of them for those who edit the plan, one's own requirements for its other readers. Never
	// another organisation's: the plan is confidential (ch. 5).
	const ownPlan = ownPlanOf(person);
	if (can(person, 'security_plan.read', ownPlan)) {
		const ownerOnly = can(person, 'security_plan.edit', ownPlan) ? null : person.id;
		for (const review of reviewDates(db, ownPlan, sinceDay, ownerOnly, limit))
			events.push({
				uid: `security-plan-review-${review.requirementId}@liitos`,
				date: review.nextReviewOn,
				summary: m.calendar_security_plan_review({ requirement: review.requirementId }, o),
				url: link(`/security-plan/${review.requirementId}`),
				alarmDaysBefore: [14],
				categories: ['Liitos']
			});
	}

	// Statutory Kanta deadlines for the kinds of tenants this person deals with.
	const kinds = person.tenantId
		? db
				.select({ sector: tenant.serviceSector, providerType: tenant.providerType })
				.from(tenant)
				.where(eq(tenant.id, person.tenantId))
				.all()
		: db
				.selectDistinct({ sector: tenant.serviceSector, providerType: tenant.providerType })
				.from(tenant)
				.where(isNull(tenant.archivedAt))
				.all();
	const seen = new Set<string>();
	for (const kind of kinds) {
		for (const deadline of deadlinesFor(kind.sector, kind.providerType)) {
			const uid = `kanta-deadline-${deadline.code}-${deadline.providerType}@liitos`;
			if (seen.has(uid)) continue;
			seen.add(uid);
			events.push({
				uid,
				date: deadline.date,
				summary: m.calendar_kanta_deadline({ what: deadlineLabel(deadline.code, locale) }, o),
				alarmDaysBefore: [30, 7],
				categories: ['Kanta']
			});
		}
	}
	// The nearest dates first; a registry of a whole country's cards would otherwise be a feed no
	// calendar can hold (and minutes of work for the server).
	return events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).slice(0, limit);
}

export function deadlineLabel(code: string, locale: Locale): string {
	const o = { locale };
	const labels: Record<string, () => string> = {
		families_working_age_elderly: () => m.deadline_families_working_age_elderly({}, o),
		child_welfare: () => m.deadline_child_welfare({}, o),
		disability_services: () => m.deadline_disability_services({}, o),
		substance_abuse: () => m.deadline_substance_abuse({}, o),
		family_law: () => m.deadline_family_law({}, o),
		video_audio: () => m.deadline_video_audio({}, o),
		private_obligation: () => m.deadline_private_obligation({}, o)
	};
	return labels[code]?.() ?? code;
}

export function calendarFor(db: DbOrTx, person: SessionUser, locale: Locale, now = new Date()): string {
	return buildCalendar({
		name: m.calendar_name({}, { locale }),
		description: m.calendar_description({}, { locale }),
		events: calendarEventsFor(db, person, locale, now),
		now
	});
}

/**
 * How long a made feed is served again as it is. Nothing invalidates it earlier (the feed's
 * description tells its reader so): at national scale a feed takes seconds to make, and calendar
 * apps poll. The token and its owner are still checked on every request.
 */
export const FEED_CACHE_MS = 5 * 60 * 1000;
/** Feeds kept at most, in UTF-16 code units (a full feed of 2,000 events is about 1.5 M). */
const FEED_CACHE_UNITS = 64 * 1024 * 1024;
const feedCache = new Map<string, { body: string; until: number }>();
let cachedUnits = 0;

function forget(key: string): void {
	const entry = feedCache.get(key);
	if (!entry) return;
	feedCache.delete(key);
	cachedUnits -= entry.body.length;
}

/** `calendarFor`, made at most once per `FEED_CACHE_MS` for each feed token and language. */
export function cachedCalendarFor(db: DbOrTx, token: string, person: SessionUser, locale: Locale, now = new Date()): string {
	const key = `${hashToken(token)}:${locale}`;
	const hit = feedCache.get(key);
	if (hit && hit.until > now.getTime()) return hit.body;
	forget(key);
	const body = calendarFor(db, person, locale, now);
	for (const [other, entry] of feedCache) if (entry.until <= now.getTime()) forget(other);
	// Oldest first (a Map keeps insertion order) until the new feed fits.
	for (const other of feedCache.keys()) {
		if (cachedUnits + body.length <= FEED_CACHE_UNITS) break;
		forget(other);
	}
	if (body.length <= FEED_CACHE_UNITS) {
		feedCache.set(key, { body, until: now.getTime() + FEED_CACHE_MS });
		cachedUnits += body.length;
	}
	return body;
}
