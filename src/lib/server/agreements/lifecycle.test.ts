import { describe, expect, it } from 'vitest';
import { AGREEMENT_STATUSES, type AgreementStatus } from '../../domain';
import { canTransition, IllegalTransitionError, nextStatus, type AgreementEvent } from './lifecycle';

const EVENTS: AgreementEvent[] = [
	'send_for_signature',
	'tenant_sign',
	'countersign',
	'decline',
	'edit',
	'supersede',
	'give_notice',
	'end',
	'rescind',
	'end_automatically'
];

/** Every legal move written out; anything not listed here must be refused. */
const LEGAL: [AgreementStatus, AgreementEvent, AgreementStatus][] = [
	['draft', 'send_for_signature', 'awaiting_tenant_signature'],
	['draft', 'edit', 'draft'],
	['awaiting_tenant_signature', 'tenant_sign', 'awaiting_countersignature'],
	['awaiting_tenant_signature', 'decline', 'draft'],
	['awaiting_tenant_signature', 'edit', 'awaiting_tenant_signature'],
	['awaiting_countersignature', 'countersign', 'in_force'],
	['awaiting_countersignature', 'decline', 'draft'],
	['awaiting_countersignature', 'edit', 'awaiting_tenant_signature'],
	['in_force', 'supersede', 'superseded'],
	['in_force', 'give_notice', 'notice_given'],
	['in_force', 'rescind', 'rescinded'],
	['in_force', 'end_automatically', 'ended_automatically'],
	['notice_given', 'supersede', 'superseded'],
	['notice_given', 'end', 'ended'],
	['notice_given', 'rescind', 'rescinded'],
	['notice_given', 'end_automatically', 'ended_automatically']
];

describe('agreement state machine', () => {
	it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
		expect(nextStatus(from, event)).toBe(to);
	});

	it('refuses every other transition', () => {
		let refused = 0;
		for (const status of AGREEMENT_STATUSES) {
			for (const event of EVENTS) {
				if (LEGAL.some(([f, e]) => f === status && e === event)) continue;
				expect(canTransition(status, event), `${status} --${event}`).toBe(false);
				expect(() => nextStatus(status, event)).toThrow(IllegalTransitionError);
				refused++;
			}
		}
		expect(refused).toBe(AGREEMENT_STATUSES.length * EVENTS.length - LEGAL.length);
	});

	it('cannot be countersigned before the tenant signed, nor signed twice', () => {
		expect(() => nextStatus('awaiting_tenant_signature', 'countersign')).toThrow(/cannot take "countersign"/);
		expect(() => nextStatus('awaiting_countersignature', 'tenant_sign')).toThrow(IllegalTransitionError);
		expect(() => nextStatus('draft', 'tenant_sign')).toThrow(IllegalTransitionError);
	});
});
