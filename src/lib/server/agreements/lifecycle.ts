import type { AgreementStatus } from '../../domain';

/** Everything that can happen to an agreement. */
export type AgreementEvent =
	| 'send_for_signature'
	| 'tenant_sign'
	| 'countersign'
	| 'decline'
	| 'edit'
	| 'supersede'
	| 'give_notice'
	| 'end'
	| 'rescind'
	| 'end_automatically';

/**
 * The legal moves, and nothing else. Editing after the tenant signed sends the draft back to the
 * tenant (their signature no longer counts); a declined agreement returns to draft.
 */
const TRANSITIONS: Record<AgreementStatus, Partial<Record<AgreementEvent, AgreementStatus>>> = {
	draft: { send_for_signature: 'awaiting_tenant_signature', edit: 'draft' },
	awaiting_tenant_signature: { tenant_sign: 'awaiting_countersignature', decline: 'draft', edit: 'awaiting_tenant_signature' },
	awaiting_countersignature: { countersign: 'in_force', decline: 'draft', edit: 'awaiting_tenant_signature' },
	in_force: { supersede: 'superseded', give_notice: 'notice_given', rescind: 'rescinded', end_automatically: 'ended_automatically' },
	notice_given: { supersede: 'superseded', end: 'ended', rescind: 'rescinded', end_automatically: 'ended_automatically' },
	superseded: {},
	ended: {},
	rescinded: {},
	ended_automatically: {}
};

export class IllegalTransitionError extends Error {
	constructor(
		readonly status: AgreementStatus,
		readonly event: AgreementEvent
	) {
		super(`An agreement that is ${status} cannot take "${event}"`);
	}
}

export function canTransition(status: AgreementStatus, event: AgreementEvent): boolean {
	return TRANSITIONS[status][event] !== undefined;
}

export function nextStatus(status: AgreementStatus, event: AgreementEvent): AgreementStatus {
	const next = TRANSITIONS[status][event];
	if (!next) throw new IllegalTransitionError(status, event);
	return next;
}

/** In force, or on its way out: the tenant's current agreement. */
export function isEffective(status: AgreementStatus): boolean {
	return status === 'in_force' || status === 'notice_given';
}

export function isEditable(status: AgreementStatus): boolean {
	return canTransition(status, 'edit');
}
