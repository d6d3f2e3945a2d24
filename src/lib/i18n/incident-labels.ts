// Relative import: the server's incident module (also run by scripts/ outside Vite) uses these too.
import * as m from '../paraglide/messages.js';
import type { BreachDecision, IncidentKind, IncidentStatus } from '../domain';

type Locale = 'fi' | 'sv' | 'en';
/** Without a locale, the reader's (the request's) language. */
const opts = (locale?: Locale) => (locale ? { locale } : {});

export const incidentKindLabel = (kind: IncidentKind, locale?: Locale): string =>
	({
		system_disturbance: m.incident_kind_system_disturbance,
		kanta_disturbance: m.incident_kind_kanta_disturbance,
		data_breach: m.incident_kind_data_breach,
		other: m.incident_kind_other
	})[kind]({}, opts(locale));

export const incidentStatusLabel = (status: IncidentStatus, locale?: Locale): string =>
	({
		received: m.incident_status_received,
		investigating: m.incident_status_investigating,
		resolved: m.incident_status_resolved,
		closed: m.incident_status_closed
	})[status]({}, opts(locale));

export const breachDecisionLabel = (decision: BreachDecision, locale?: Locale): string =>
	({
		notify_authority: m.incident_decision_notify_authority,
		no_notification: m.incident_decision_no_notification
	})[decision]({}, opts(locale));

/** What an entry in a report's action log records (see incidents.ts for the codes). */
export function incidentEventLabel(action: string, locale?: Locale): string {
	if (action.startsWith('status_')) {
		const status = action.slice('status_'.length) as IncidentStatus;
		return m.incident_event_status({ status: incidentStatusLabel(status, locale) }, opts(locale));
	}
	if (action.startsWith('decision_')) {
		return m.incident_event_decision({ decision: breachDecisionLabel(action.slice('decision_'.length) as BreachDecision, locale) }, opts(locale));
	}
	const fixed: Record<string, (i: object, o: { locale?: Locale }) => string> = {
		reported: m.incident_event_reported,
		notified: m.incident_event_notified,
		note: m.incident_event_note,
		escalated: m.incident_event_escalated
	};
	return fixed[action]?.({}, opts(locale)) ?? action;
}
