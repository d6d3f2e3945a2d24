// Relative import: the server's incident module (also run by scripts/ outside Vite) uses these too.
import * as m from '../paraglide/messages.js';
import type { BreachDecision, DataSubjectDecision, IncidentKind, IncidentStatus, JointControlService, OnwardRecipient } from '../domain';

type Locale = 'fi' | 'sv' | 'en';
/** Without a locale, the reader's (the request's) language. */
const opts = (locale?: Locale) => (locale ? { locale } : {});

export const incidentKindLabel = (kind: IncidentKind, locale?: Locale): string =>
	({
		system_disturbance: m.incident_kind_system_disturbance,
		kanta_disturbance: m.incident_kind_kanta_disturbance,
		data_breach: m.incident_kind_data_breach,
		significant_deviation: m.incident_kind_significant_deviation,
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

export const dataSubjectDecisionLabel = (decision: DataSubjectDecision, locale?: Locale): string =>
	({
		inform_subjects: m.incident_subjects_inform,
		not_inform_subjects: m.incident_subjects_not_inform
	})[decision]({}, opts(locale));

export const jointServiceLabel = (service: JointControlService, locale?: Locale): string =>
	({
		prescription: m.joint_service_prescription,
		information_management: m.joint_service_information_management,
		will_expression: m.joint_service_will_expression,
		disclosure_logs: m.joint_service_disclosure_logs
	})[service]({}, opts(locale));

export const onwardRecipientLabel = (recipient: OnwardRecipient, locale?: Locale): string =>
	({
		tenant: m.onward_recipient_tenant,
		kela: m.onward_recipient_kela,
		system_manufacturer: m.onward_recipient_system_manufacturer,
		supervisory_authority: m.onward_recipient_supervisory_authority,
		data_protection_ombudsman: m.onward_recipient_data_protection_ombudsman
	})[recipient]({}, opts(locale));

/** What an entry in a report's action log records (see incidents.ts for the codes). */
export function incidentEventLabel(action: string, locale?: Locale): string {
	if (action.startsWith('status_')) {
		const status = action.slice('status_'.length) as IncidentStatus;
		return m.incident_event_status({ status: incidentStatusLabel(status, locale) }, opts(locale));
	}
	if (action.startsWith('decision_')) {
		return m.incident_event_decision(
			{ decision: breachDecisionLabel(action.slice('decision_'.length) as BreachDecision, locale) },
			opts(locale)
		);
	}
	if (action.startsWith('subjects_')) {
		return m.incident_event_subjects(
			{ decision: dataSubjectDecisionLabel(action.slice('subjects_'.length) as DataSubjectDecision, locale) },
			opts(locale)
		);
	}
	if (action.startsWith('onward_')) {
		return m.incident_event_onward(
			{ recipient: onwardRecipientLabel(action.slice('onward_'.length) as OnwardRecipient, locale) },
			opts(locale)
		);
	}
	const fixed: Record<string, (i: object, o: { locale?: Locale }) => string> = {
		reported: m.incident_event_reported,
		notified: m.incident_event_notified,
		note: m.incident_event_note,
		escalated: m.incident_event_escalated
	};
	return fixed[action]?.({}, opts(locale)) ?? action;
}
