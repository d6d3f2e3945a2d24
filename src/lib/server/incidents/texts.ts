/**
 * What incident reports say outside the portal: e-mail to the designated persons and the lines
 * in the notification list. Designated persons are contacts, not users, so nothing tells which
 * language they read: their mail is written in Finnish and Swedish, one after the other.
 */
import * as m from '../../paraglide/messages.js';
import type { IncidentReport, Notification } from '../db/schema';
import type { DesignatedPerson } from '../organisation/organisation';
import type { MailMessage } from '../mail/mailer';
import { config } from '../config';
import { breachDecisionLabel, incidentKindLabel } from '../../i18n/incident-labels';
import type { BreachDecision, IncidentKind } from '../../domain';
import { decisionDeadline } from './deadline';

type Locale = 'fi' | 'sv' | 'en';
const MAIL_LOCALES: Locale[] = ['fi', 'sv'];

const ref = (id: string) => id.slice(0, 8);

/** Date and time on the Finnish clock, as a reader of `locale` writes it. */
export function helsinkiDateTime(value: Date, locale: Locale): string {
	const tag = locale === 'sv' ? 'sv-FI' : locale === 'en' ? 'en-GB' : 'fi-FI';
	return new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Helsinki' }).format(value);
}

const partyName = (party: string | null, o: { locale: Locale }) => party ?? m.incident_main_connector_own({}, o);

function bilingual(subject: (o: { locale: Locale }) => string, body: (o: { locale: Locale }) => string, to: string): MailMessage {
	return {
		to,
		subject: MAIL_LOCALES.map((locale) => subject({ locale })).join(' / '),
		body: MAIL_LOCALES.map((locale) => body({ locale })).join('\n\n——————————\n\n')
	};
}

/** To a designated person, at once when a report comes in. */
export function reportReceivedMail(
	person: Pick<DesignatedPerson, 'name' | 'email'>,
	report: IncidentReport,
	party: string | null
): MailMessage {
	const link = `${config.origin}/incidents/${report.id}`;
	return bilingual(
		(o) => m.mail_incident_subject({ kind: incidentKindLabel(report.kind, o.locale), ref: ref(report.id) }, o),
		(o) =>
			m.mail_incident_body(
				{
					name: person.name,
					kind: incidentKindLabel(report.kind, o.locale),
					ref: ref(report.id),
					party: partyName(party, o),
					reporter: report.reporterName,
					contact: report.reporterContact,
					noticed: helsinkiDateTime(report.noticedAt, o.locale),
					description: report.description,
					affected: report.affected || '-',
					deadline:
						report.kind === 'data_breach'
							? m.mail_incident_breach_deadline({ deadline: helsinkiDateTime(decisionDeadline(report.noticedAt), o.locale) }, o)
							: '',
					link
				},
				o
			),
		person.email
	);
}

/** To the controller's contacts and the data protection officers, at each escalation step while the controller's decision is missing. */
export function escalationMail(
	person: Pick<DesignatedPerson, 'name' | 'email'>,
	report: IncidentReport,
	party: string | null,
	hours: number,
	now: Date
): MailMessage {
	const link = `${config.origin}/incidents/${report.id}`;
	const left = Math.max(Math.floor((decisionDeadline(report.noticedAt).getTime() - now.getTime()) / 3_600_000), 0);
	return bilingual(
		(o) => m.mail_breach_escalation_subject({ hours, ref: ref(report.id) }, o),
		(o) =>
			m.mail_breach_escalation_body(
				{
					name: person.name,
					ref: ref(report.id),
					hours,
					left,
					deadline: helsinkiDateTime(decisionDeadline(report.noticedAt), o.locale),
					noticed: helsinkiDateTime(report.noticedAt, o.locale),
					party: partyName(party, o),
					link
				},
				o
			),
		person.email
	);
}

/**
 * The notification kinds this module creates, as one line in the reader's language; null for any
 * other kind. `describeNotification` in reminders.ts should ask this before its default.
 */
export function describeIncidentNotification(n: Pick<Notification, 'kind' | 'params'>, locale: Locale): string | null {
	const o = { locale };
	const p = n.params as Record<string, string>;
	switch (n.kind) {
		case 'incident_reported':
			return m.notification_incident_reported(
				{ ref: p.ref, kind: incidentKindLabel(p.kindCode as IncidentKind, locale), party: partyName(p.tenant || null, o) },
				o
			);
		case 'breach_escalation':
			return m.notification_breach_escalation(
				{ ref: p.ref, hours: p.hours, left: p.hoursLeft ?? '', party: partyName(p.party || null, o) },
				o
			);
		case 'breach_decided':
			return m.notification_breach_decided(
				{ ref: p.ref, party: partyName(p.party || null, o), decision: breachDecisionLabel(p.decisionCode as BreachDecision, locale) },
				o
			);
		default:
			return null;
	}
}
