import { and, eq, inArray, isNotNull, isNull, like, lte } from 'drizzle-orm';
import * as m from '../../paraglide/messages.js';
import type { Db, DbOrTx } from '../db';
import {
	certificate,
	checklistItem,
	notification,
	prerequisiteType,
	reminderLog,
	tenant,
	user,
	type Certificate,
	type Notification
} from '../db/schema';
import { config } from '../config';
import { getSettings } from '../settings';
import { sendMail } from '../mail/mailer';
import { DAY_MS, todayInHelsinki } from '../../time';
import { listCurrentExpiringBy } from '../certificates/registry';
import { activePeopleWithRoles, claimReminder, notify } from '../notifications/notifications';
import { describeIncidentNotification } from '../incidents/texts';
import { enqueueWebhookEvent } from '../webhooks/outbox';

/**
 * Who hears about a certificate: certificate administrators, the holder's tenant administrators,
 * the card holder. The lists are looked up once per scan (per tenant), not once per certificate.
 */
function certificateAudience(db: DbOrTx): (cert: Certificate) => string[] {
	const certificateAdmins = activePeopleWithRoles(db, null, ['mc_cert_admin']);
	const tenantAdmins = new Map<string, string[]>();
	return (cert) => {
		const people = [...certificateAdmins];
		if (cert.tenantId) {
			if (!tenantAdmins.has(cert.tenantId)) tenantAdmins.set(cert.tenantId, activePeopleWithRoles(db, cert.tenantId, ['tenant_admin']));
			people.push(...tenantAdmins.get(cert.tenantId)!);
		}
		if (cert.holderUserId) people.push(cert.holderUserId);
		return people;
	};
}

/**
 * Expiry reminders already claimed for the certificates a scan looks at, read in one query: after
 * the first day nearly all of them are, and trying each claim again would cost a write apiece.
 */
function claimedExpiryReminders(db: DbOrTx, until: Date): Set<string> {
	const rows = db
		.select({ subjectId: reminderLog.subjectId, key: reminderLog.reminderKey })
		.from(certificate)
		.innerJoin(reminderLog, eq(reminderLog.subjectId, certificate.id))
		.where(and(isNull(certificate.supersededAt), lte(certificate.validTo, until), like(reminderLog.reminderKey, 'expiry:%')))
		.all();
	return new Set(rows.map((r) => `${r.subjectId} ${r.key}`));
}

/**
 * Expiry reminders at each configured threshold, each exactly once per certificate: the claim in
 * reminder_log is what makes a second run (or a restart) send nothing again. A renewal is a new
 * certificate, so its thresholds start afresh. When several thresholds have passed since the
 * last run, all are claimed but only the most urgent one is announced.
 */
export function scanCertificateReminders(db: Db, now = new Date()): number {
	const thresholds = [...getSettings(db).reminderThresholds].sort((a, b) => a - b);
	// Expiry itself (0) is always claimed, so `certificate.expired` is published even where no
	// one is reminded on the day.
	const claimable = [...new Set([0, ...thresholds])].sort((a, b) => a - b);
	const horizon = new Date(now.getTime() + Math.max(...claimable) * DAY_MS);
	let sent = 0;
	db.transaction((tx) => {
		const audienceOf = certificateAudience(tx);
		const alreadyClaimed = claimedExpiryReminders(tx, horizon);
		for (const cert of listCurrentExpiringBy(tx, horizon)) {
			const daysLeft = Math.ceil((cert.validTo.getTime() - now.getTime()) / DAY_MS);
			const reached = thresholds.filter((t) => daysLeft <= t);
			// Skipping what is known to be claimed changes nothing: claimReminder would refuse it too.
			const claimed = claimable.filter(
				(t) => daysLeft <= t && !alreadyClaimed.has(`${cert.id} expiry:${t}`) && claimReminder(tx, cert.id, `expiry:${t}`, now)
			);
			// A webhook at most once per certificate and threshold, in the transaction of the claim, so
			// never repeated; like the reminders, only the most urgent of thresholds passed together.
			if (claimed.length) publishExpiry(tx, cert, claimed[0], daysLeft, now);
			if (!reached.length || !claimed.includes(reached[0])) continue;
			const kind = reached[0] === 0 ? 'certificate_expired' : 'certificate_expiring';
			sent += notify(
				tx,
				audienceOf(cert),
				kind,
				{ holder: cert.holderName, kindCode: cert.kind, days: Math.max(daysLeft, 0), date: todayInHelsinki(cert.validTo) },
				`/certificates/${cert.id}`,
				now
			);
		}
	});
	return sent;
}

function publishExpiry(tx: DbOrTx, cert: Certificate, threshold: number, daysLeft: number, now: Date): void {
	const data = { certificateId: cert.id, tenantId: cert.tenantId, kind: cert.kind, validTo: cert.validTo.toISOString() };
	if (threshold === 0) enqueueWebhookEvent(tx, 'certificate.expired', data, now);
	else enqueueWebhookEvent(tx, 'certificate.expiring', { ...data, thresholdDays: threshold, daysLeft: Math.max(daysLeft, 0) }, now);
}

/** Checklist items that are due within a week, and again once overdue: one reminder each. */
export function scanChecklistReminders(db: Db, now = new Date()): number {
	const today = todayInHelsinki(now);
	const weekAhead = todayInHelsinki(new Date(now.getTime() + 7 * DAY_MS));
	let sent = 0;
	db.transaction((tx) => {
		const due = tx
			.select({
				item: checklistItem,
				code: prerequisiteType.code,
				nameFi: prerequisiteType.nameFi,
				nameSv: prerequisiteType.nameSv,
				nameEn: prerequisiteType.nameEn,
				tenantName: tenant.name,
				responsible: prerequisiteType.responsibleParty
			})
			.from(checklistItem)
			.innerJoin(prerequisiteType, eq(checklistItem.typeId, prerequisiteType.id))
			.innerJoin(tenant, eq(checklistItem.tenantId, tenant.id))
			.where(
				and(
					isNotNull(checklistItem.dueDate),
					lte(checklistItem.dueDate, weekAhead),
					inArray(checklistItem.status, ['not_started', 'in_progress', 'returned', 'expired']),
					isNull(prerequisiteType.derivedRule),
					eq(prerequisiteType.active, true),
					isNull(tenant.archivedAt)
				)
			)
			.all();
		for (const row of due) {
			const overdue = row.item.dueDate! < today;
			if (!claimReminder(tx, row.item.id, `due:${row.item.dueDate}:${overdue ? 'overdue' : 'soon'}`, now)) continue;
			const people =
				row.responsible === 'tenant'
					? activePeopleWithRoles(tx, row.item.tenantId, ['tenant_admin'])
					: activePeopleWithRoles(tx, null, ['mc_admin']);
			if (row.item.ownerId) people.push(row.item.ownerId);
			sent += notify(
				tx,
				people,
				overdue ? 'checklist_overdue' : 'checklist_due',
				{ tenant: row.tenantName, code: row.code, nameFi: row.nameFi, nameSv: row.nameSv, nameEn: row.nameEn, date: row.item.dueDate! },
				`/tenants/${row.item.tenantId}/checklist#item-${row.item.id}`,
				now
			);
		}
	});
	return sent;
}

type Locale = 'fi' | 'sv' | 'en';

const CERTIFICATE_KIND_NAMES: Record<string, (o: { locale: Locale }) => string> = {
	server: (o) => m.cert_kind_server({}, o),
	system_signature: (o) => m.cert_kind_system_signature({}, o),
	server_test: (o) => m.cert_kind_server_test({}, o),
	system_signature_test: (o) => m.cert_kind_system_signature_test({}, o),
	professional_card: (o) => m.cert_kind_professional_card({}, o),
	staff_card: (o) => m.cert_kind_staff_card({}, o),
	replacement_card: (o) => m.cert_kind_replacement_card({}, o),
	security_assessment: (o) => m.cert_kind_security_assessment({}, o)
};

/** A notification as one line of text in the reader's language. */
export function describeNotification(n: Pick<Notification, 'kind' | 'params'>, locale: Locale): string {
	const o = { locale };
	const p = n.params as Record<string, string>;
	switch (n.kind) {
		case 'certificate_expiring':
			return m.notification_certificate_expiring(
				{ kind: CERTIFICATE_KIND_NAMES[p.kindCode]?.(o) ?? p.kindCode, holder: p.holder, days: p.days, date: p.date },
				o
			);
		case 'certificate_expired':
			return m.notification_certificate_expired(
				{ kind: CERTIFICATE_KIND_NAMES[p.kindCode]?.(o) ?? p.kindCode, holder: p.holder, date: p.date },
				o
			);
		case 'checklist_due':
		case 'checklist_overdue': {
			// Older notifications carry only the code; newer ones the item's name in each language.
			const item = (locale === 'sv' ? p.nameSv : locale === 'en' ? p.nameEn : p.nameFi) ?? p.code;
			return (n.kind === 'checklist_due' ? m.notification_checklist_due : m.notification_checklist_overdue)(
				{ tenant: p.tenant, item, date: p.date },
				o
			);
		}
		case 'training_expiring':
		case 'training_expired': {
			const module = locale === 'sv' ? p.moduleSv : locale === 'en' ? p.moduleEn : p.moduleFi;
			return n.kind === 'training_expired'
				? m.notification_training_expired({ person: p.person, module, date: p.date }, o)
				: m.notification_training_expiring({ person: p.person, module, date: p.date }, o);
		}
		case 'instruction_pending':
			return m.notification_instruction_pending(
				{ title: locale === 'sv' ? p.titleSv : locale === 'en' ? p.titleEn || p.titleFi : p.titleFi },
				o
			);
		case 'webhook_disabled':
			return m.notification_webhook_disabled({ url: p.url, days: p.days }, o);
		case 'security_plan_review_due':
			return m.notification_security_plan_review_due({ requirement: p.requirement, date: p.date }, o);
		case 'security_plan_review_coming':
			return m.notification_security_plan_review_coming({ requirement: p.requirement, date: p.date, days: p.days }, o);
		case 'security_plan_version_approved':
			return m.notification_security_plan_version_approved({ version: p.version, chapters: p.chapters }, o);
		default:
			return describeIncidentNotification(n, locale) ?? n.kind;
	}
}

/**
 * One e-mail per person per day with everything new for them, rather than a mail per certificate.
 * The claim on `digest:<date>` keeps it to one even if the job runs every hour.
 */
export async function sendDailyDigests(db: Db, now = new Date()): Promise<number> {
	const today = todayInHelsinki(now);
	const pending = db
		.select({ notification, email: user.email, name: user.name, locale: user.locale })
		.from(notification)
		.innerJoin(user, eq(notification.userId, user.id))
		.where(and(isNull(notification.digestedAt), eq(user.status, 'active')))
		.all();
	const byPerson = new Map<string, typeof pending>();
	for (const row of pending) byPerson.set(row.notification.userId, [...(byPerson.get(row.notification.userId) ?? []), row]);
	let mails = 0;
	for (const [userId, rows] of byPerson) {
		const { email, name, locale } = rows[0];
		const o = { locale: locale as Locale };
		// Written before the claim, so a failure here leaves the notifications for the next run.
		const lines = rows.map((r) => `- ${describeNotification(r.notification, o.locale)}\n  ${config.origin}${r.notification.link}`);
		const message = {
			to: email,
			subject: m.mail_digest_subject({ count: rows.length }, o),
			body: m.mail_digest_body({ name, items: lines.join('\n') }, o)
		};
		const claimed = db.transaction((tx) => {
			if (!claimReminder(tx, userId, `digest:${today}`, now)) return false;
			tx.update(notification)
				.set({ digestedAt: now })
				.where(
					inArray(
						notification.id,
						rows.map((r) => r.notification.id)
					)
				)
				.run();
			return true;
		});
		if (!claimed) continue;
		await sendMail(db, message);
		mails++;
	}
	return mails;
}
