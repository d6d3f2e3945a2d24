import type { Db } from '../db';
import type { Actor } from '../actor';
import { stepUp, type Confirmation, type StepUpRefused } from '../auth/step-up';
import type { TwoFactorPerson } from '../auth/two-factor';
import { acceptRisk, getRisk, responsibleDirector } from './risks';
import type { PlanOwner } from './plan';

/** One member per reason, so a caller can tell the step-up refusals apart from the rest. */
export type ConfirmedAcceptResult =
	| { ok: true }
	| { ok: false; reason: 'not_found' }
	| { ok: false; reason: 'not_director' }
	| { ok: false; reason: 'already_accepted' }
	| { ok: false; reason: 'changed_meanwhile' }
	| StepUpRefused;

/**
 * The responsible director accepts a residual risk, confirming who they are as for approving the plan
 * (their password, and their authenticator code when they use one): the acceptance is the director's
 * own judgement that the risk may remain (THL 3/2024 ch. 5), and an open session alone must not give
 * it. A tenant's own plan is its own director's. A person without a password (single sign-on only) is refused, as approval refuses them. What
 * needs no secret is checked first, so nobody types a password for an act that would be refused anyway.
 */
export async function acceptRiskConfirmed(
	db: Db,
	owner: PlanOwner,
	person: TwoFactorPerson,
	confirmation: Confirmation,
	riskId: string,
	/** The risk's `updatedAt` (epoch ms) on the page the director read. */
	shownUpdatedAt: number,
	client: { ipAddress: string },
	now = new Date()
): Promise<ConfirmedAcceptResult> {
	const actor: Actor = { id: person.id, label: person.email, ipAddress: client.ipAddress };
	const risk = getRisk(db, owner, riskId);
	if (!risk) return { ok: false, reason: 'not_found' };
	if (person.tenantId !== owner.tenantId || responsibleDirector(db, owner)?.id !== person.id) return { ok: false, reason: 'not_director' };
	if (risk.acceptedAt) return { ok: false, reason: 'already_accepted' };
	if (risk.updatedAt.getTime() !== shownUpdatedAt) return { ok: false, reason: 'changed_meanwhile' };
	const confirmed = await stepUp(db, actor, person, confirmation, 'risk_acceptance', now);
	if (!confirmed.ok) return confirmed;
	// acceptRisk checks again in its own transaction: the risk may have changed while the password was checked.
	return acceptRisk(db, actor, owner, riskId, shownUpdatedAt, now);
}
