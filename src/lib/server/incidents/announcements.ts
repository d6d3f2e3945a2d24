/**
 * Disturbance notices from the main connector (agreement §4: it informs its tenants of Kanta
 * disturbances): to every tenant or to chosen ones, shown on their home page until closed, and
 * e-mailed to the tenants' administrators when published.
 */
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import * as m from '../../paraglide/messages.js';
import type { Db, DbOrTx } from '../db';
import { announcement, announcementTenant, tenant, user, userRole, type Announcement } from '../db/schema';
import { audit, type Actor } from '../actor';
import { config } from '../config';
import { sendMail, type MailMessage } from '../mail/mailer';

type Locale = 'fi' | 'sv' | 'en';

export interface AnnouncementInput {
	title: string;
	body: string;
	allTenants: boolean;
	/** The chosen tenants when not all; ignored otherwise. */
	tenantIds: string[];
}

export type AnnouncementDetails = Announcement & { tenantIds: string[] };

/** Current tenants among `ids`, so a stale or forged id targets nobody. */
function currentTenants(tx: DbOrTx, ids: string[]): string[] {
	if (ids.length === 0) return [];
	return tx
		.select({ id: tenant.id })
		.from(tenant)
		.where(and(inArray(tenant.id, [...new Set(ids)]), isNull(tenant.archivedAt)))
		.all()
		.map((t) => t.id);
}

function setTargets(tx: DbOrTx, id: string, input: AnnouncementInput): string[] {
	tx.delete(announcementTenant).where(eq(announcementTenant.announcementId, id)).run();
	const targets = input.allTenants ? [] : currentTenants(tx, input.tenantIds);
	if (targets.length)
		tx.insert(announcementTenant)
			.values(targets.map((tenantId) => ({ announcementId: id, tenantId })))
			.run();
	return targets;
}

/** Active administrators of the targeted tenants, with the language each reads. */
function tenantAdmins(db: DbOrTx, allTenants: boolean, tenantIds: string[]): { email: string; name: string; locale: Locale }[] {
	if (!allTenants && tenantIds.length === 0) return [];
	return db
		.selectDistinct({ email: user.email, name: user.name, locale: user.locale })
		.from(user)
		.innerJoin(userRole, eq(userRole.userId, user.id))
		.innerJoin(tenant, eq(user.tenantId, tenant.id))
		.where(
			and(
				eq(user.status, 'active'),
				eq(userRole.role, 'tenant_admin'),
				isNull(tenant.archivedAt),
				allTenants ? undefined : inArray(tenant.id, tenantIds)
			)
		)
		.orderBy(asc(user.email))
		.all();
}

/** Publishes a notice; the targeted tenants' administrators are e-mailed once it is stored. */
export async function createAnnouncement(db: Db, actor: Actor, input: AnnouncementInput, now = new Date()): Promise<string> {
	const { id, mails } = db.transaction((tx) => {
		const id = crypto.randomUUID();
		tx.insert(announcement)
			.values({ id, title: input.title, body: input.body, allTenants: input.allTenants, createdAt: now, createdBy: actor.label })
			.run();
		const targets = setTargets(tx, id, input);
		audit(tx, actor, {
			action: 'announcement.create',
			targetType: 'announcement',
			targetId: id,
			summary: `${input.title} (${input.allTenants ? 'all tenants' : `${targets.length} tenants`})`
		});
		const mails: MailMessage[] = tenantAdmins(tx, input.allTenants, targets).map((person) => {
			const o = { locale: person.locale };
			return {
				to: person.email,
				subject: m.mail_announcement_subject({ title: input.title }, o),
				body: m.mail_announcement_body({ name: person.name, title: input.title, body: input.body, link: `${config.origin}/` }, o)
			};
		});
		return { id, mails };
	});
	for (const mail of mails) await sendMail(db, mail);
	return id;
}

/** Corrects or extends an active notice (e.g. a new estimate for the repair); a closed one stays as it was. */
export function updateAnnouncement(db: Db, actor: Actor, id: string, input: AnnouncementInput, now = new Date()): boolean {
	return db.transaction((tx) => {
		const current = tx.select().from(announcement).where(eq(announcement.id, id)).get();
		if (!current || current.closedAt) return false;
		tx.update(announcement)
			.set({ title: input.title, body: input.body, allTenants: input.allTenants, updatedAt: now })
			.where(eq(announcement.id, id))
			.run();
		const targets = setTargets(tx, id, input);
		audit(tx, actor, {
			action: 'announcement.update',
			targetType: 'announcement',
			targetId: id,
			summary: `${input.title} (${input.allTenants ? 'all tenants' : `${targets.length} tenants`})`
		});
		return true;
	});
}

/** The disturbance is over: the notice leaves the home pages but is kept. */
export function closeAnnouncement(db: Db, actor: Actor, id: string, now = new Date()): boolean {
	return db.transaction((tx) => {
		const current = tx.select().from(announcement).where(eq(announcement.id, id)).get();
		if (!current || current.closedAt) return false;
		tx.update(announcement).set({ closedAt: now, updatedAt: now }).where(eq(announcement.id, id)).run();
		audit(tx, actor, { action: 'announcement.close', targetType: 'announcement', targetId: id, summary: current.title });
		return true;
	});
}

function targetsOf(db: DbOrTx, ids: string[]): Map<string, string[]> {
	const byAnnouncement = new Map<string, string[]>();
	if (ids.length === 0) return byAnnouncement;
	for (const row of db.select().from(announcementTenant).where(inArray(announcementTenant.announcementId, ids)).all()) {
		byAnnouncement.set(row.announcementId, [...(byAnnouncement.get(row.announcementId) ?? []), row.tenantId]);
	}
	return byAnnouncement;
}

export function getAnnouncement(db: DbOrTx, id: string): AnnouncementDetails | undefined {
	const row = db.select().from(announcement).where(eq(announcement.id, id)).get();
	return row && { ...row, tenantIds: targetsOf(db, [id]).get(id) ?? [] };
}

/** Every notice for the main connector's list: active ones first, newest first. */
export function listAnnouncements(db: DbOrTx, limit = 200): AnnouncementDetails[] {
	const rows = db
		.select()
		.from(announcement)
		.orderBy(sql`case when ${announcement.closedAt} is null then 0 else 1 end`, desc(announcement.createdAt))
		.limit(limit)
		.all();
	const targets = targetsOf(
		db,
		rows.map((r) => r.id)
	);
	return rows.map((r) => ({ ...r, tenantIds: targets.get(r.id) ?? [] }));
}

/**
 * The notices a person sees on their home page: a tenant's people those for every tenant and
 * those chosen for their tenant; the main connector's people (null) every active notice.
 */
export function listActiveAnnouncementsFor(db: DbOrTx, tenantId: string | null): Announcement[] {
	const forTenant = tenantId
		? or(
				eq(announcement.allTenants, true),
				inArray(
					announcement.id,
					db.select({ id: announcementTenant.announcementId }).from(announcementTenant).where(eq(announcementTenant.tenantId, tenantId))
				)
			)
		: undefined;
	return db
		.select()
		.from(announcement)
		.where(and(isNull(announcement.closedAt), forTenant))
		.orderBy(desc(announcement.createdAt))
		.all();
}
