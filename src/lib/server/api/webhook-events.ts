import { z } from 'zod';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../domain';

/**
 * What each webhook event carries in `data`: ids and the changed fields, nothing more. Described
 * here for the OpenAPI document's `webhooks` section and the reference page; the events are
 * queued where the change is stored (see webhooks/outbox.ts for who receives what).
 */
const id = z.string().describe('An id (UUID).');
const at = z.iso.datetime();
const tenantId = id.describe("The tenant's id.");
const agreementStep = z.object({
	agreementId: id,
	tenantId,
	from: z.string().describe('Status before the step.'),
	to: z.string().describe('Status after the step.')
});
const certificate = z.object({
	certificateId: id,
	tenantId: tenantId.nullable().describe("The holder's tenant; null for the main connector's own."),
	kind: z.string(),
	validTo: at
});
const checklistStep = z.object({
	itemId: id,
	tenantId,
	code: z.string().describe('The prerequisite code.'),
	from: z.string(),
	to: z.string()
});

export const WEBHOOK_EVENT_DOCS: Record<WebhookEvent, { summary: string; data: z.ZodObject }> = {
	'tenant.stage_changed': {
		summary: "A tenant's onboarding stage changed.",
		data: z.object({ tenantId, from: z.string(), to: z.string() })
	},
	'agreement.signed': { summary: 'The tenant signed an agreement; it awaits countersignature.', data: agreementStep },
	'agreement.countersigned': { summary: 'The main connector countersigned an agreement.', data: agreementStep },
	'agreement.in_force': {
		summary: 'An agreement came into force (at countersignature).',
		data: agreementStep.extend({ inForceAt: at })
	},
	'agreement.ended': {
		summary: 'An agreement ended: by notice, automatically with the service-production agreement, rescinded or superseded (`to`).',
		data: agreementStep.extend({ endedAt: at, endDate: z.iso.date().optional(), supersededById: id.optional() })
	},
	'certificate.expiring': {
		summary: 'A current certificate reached a reminder threshold; once per certificate and threshold.',
		data: certificate.extend({ thresholdDays: z.int(), daysLeft: z.int() })
	},
	'certificate.expired': { summary: 'A current certificate expired; once per certificate.', data: certificate },
	'checklist_item.submitted': {
		summary: 'A tenant submitted a checklist item for checking.',
		data: checklistStep.extend({ submittedAt: at })
	},
	'checklist_item.verified': {
		summary: 'The main connector verified a checklist item.',
		data: checklistStep.extend({ verifiedAt: at, validUntil: z.iso.date().nullable() })
	},
	'acknowledgement.completed': {
		summary:
			'A person acknowledged the current version of an instruction (one event per acknowledgement; coverage is counted from these or read from `/instructions`).',
		data: z.object({
			acknowledgementId: id,
			instructionId: id,
			versionId: id,
			version: z.int(),
			userId: id,
			tenantId: tenantId.nullable().describe("The person's tenant; null for the main connector's people."),
			at
		})
	},
	'incident.reported': {
		summary: 'An incident was reported. A tenant’s endpoint sees only its own id in `tenantIds`.',
		data: z.object({ id, kind: z.string(), noticedAt: at, tenantIds: z.array(id), mainConnector: z.boolean() })
	},
	'person.deactivated': { summary: 'A person was deactivated (left).', data: z.object({ userId: id, tenantId: tenantId.nullable() }) }
};

/** The envelope every delivery has; `data` per event above. */
export function webhookBody(event: WebhookEvent): z.ZodObject {
	return z.object({ type: z.literal(event), timestamp: at, data: WEBHOOK_EVENT_DOCS[event].data });
}

export const DOCUMENTED_WEBHOOK_EVENTS: readonly WebhookEvent[] = WEBHOOK_EVENTS;
