import { and, eq, gt, inArray, isNotNull, isNull, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { agreement, certificate, serviceUnit, tenant, user, userRole } from '../db/schema';
import type { DerivedProblem, DerivedRule } from '../../domain';
import { anyoneMissingTraining, peopleMissingTraining } from '../training/training';
import { certifiedSystemFor } from '../information-systems/registry';
import { oidMatchesBusinessId } from '../../identifiers';
import { countOpenLeaverTasks } from '../people/leavers';
import { securityPlanAcknowledged, securityPlanInPlace } from './security-plan-state';

export interface DerivedState {
	met: boolean;
	/** For "every professional has a card": who is still missing one (for the plan: requirements due for review). */
	missing?: string[];
	problem?: DerivedProblem;
	/** For the certified system: the last day its security-assessment certificate is valid. */
	validUntil?: string;
	/** For "staff follow the plan": people holding a current acknowledgement, of how many, and the instruction version. */
	counts?: { acknowledged: number; total: number; version: number };
}

const CARD_KINDS = ['professional_card', 'replacement_card', 'staff_card'] as const;

/**
 * Whether every active professional (tenant_staff) of the tenant holds a current, valid card, and
 * whether there is any: the set-based answer `staff_cards_valid` gives without naming anyone.
 */
function staffCardsMet(db: DbOrTx, tenantId: string, now: Date): boolean {
	const staff = and(
		eq(user.tenantId, tenantId),
		eq(user.status, 'active'),
		sql`exists (select 1 from ${userRole} where ${userRole.userId} = ${user.id} and ${userRole.role} = 'tenant_staff')`
	);
	if (!db.select({ id: user.id }).from(user).where(staff).limit(1).get()) return false;
	const holders = db
		.select({ holder: certificate.holderUserId })
		.from(certificate)
		.where(
			and(
				eq(certificate.tenantId, tenantId),
				isNull(certificate.supersededAt),
				gt(certificate.validTo, now),
				inArray(certificate.kind, [...CARD_KINDS]),
				isNotNull(certificate.holderUserId)
			)
		);
	return (
		db
			.select({ id: user.id })
			.from(user)
			.where(and(staff, notInArray(user.id, holders)))
			.limit(1)
			.get() === undefined
	);
}

/**
 * Items that follow other records; evaluated whenever the checklist is read, so never stale. With
 * `detail` false only `met` (and `problem`, `validUntil`) is worked out, in SQL over the whole
 * tenant: the people still missing a card or training are not named (a large tenant has thousands).
 */
export function evaluateDerived(db: DbOrTx, rule: DerivedRule, tenantId: string, now: Date, detail = true): DerivedState {
	switch (rule) {
		case 'agreement_in_force': {
			const found = db
				.select({ id: agreement.id })
				.from(agreement)
				.where(and(eq(agreement.tenantId, tenantId), inArray(agreement.status, ['in_force', 'notice_given'])))
				.get();
			return { met: found !== undefined };
		}
		case 'server_certificates_valid': {
			const kinds = db
				.selectDistinct({ kind: certificate.kind })
				.from(certificate)
				.where(
					and(
						eq(certificate.holderType, 'main_connector'),
						isNull(certificate.supersededAt),
						gt(certificate.validTo, now),
						inArray(certificate.kind, ['server', 'system_signature'])
					)
				)
				.all()
				.map((r) => r.kind);
			return { met: kinds.includes('server') && kinds.includes('system_signature') };
		}
		case 'staff_cards_valid': {
			if (!detail) return { met: staffCardsMet(db, tenantId, now) };
			const professionals = db
				.selectDistinct({ id: user.id, name: user.name })
				.from(user)
				.innerJoin(userRole, eq(userRole.userId, user.id))
				.where(and(eq(user.tenantId, tenantId), eq(user.status, 'active'), eq(userRole.role, 'tenant_staff')))
				.all();
			if (professionals.length === 0) return { met: false, missing: [] };
			const holders = new Set(
				db
					.select({ holder: certificate.holderUserId })
					.from(certificate)
					.where(
						and(
							eq(certificate.tenantId, tenantId),
							isNull(certificate.supersededAt),
							gt(certificate.validTo, now),
							inArray(certificate.kind, [...CARD_KINDS])
						)
					)
					.all()
					.map((r) => r.holder)
			);
			const missing = professionals.filter((p) => !holders.has(p.id)).map((p) => p.name);
			return { met: missing.length === 0, missing };
		}
		case 'staff_trained': {
			// Like the cards: a tenant with nobody in it has nobody trained yet.
			const anyone = db
				.select({ id: user.id })
				.from(user)
				.where(and(eq(user.tenantId, tenantId), eq(user.status, 'active')))
				.get();
			if (!anyone) return { met: false, missing: [] };
			if (!detail) return { met: !anyoneMissingTraining(db, tenantId, now) };
			const missing = peopleMissingTraining(db, tenantId, now).map((p) => p.name);
			return { met: missing.length === 0, missing };
		}
		case 'system_certified': {
			const party = db.select({ sector: tenant.serviceSector }).from(tenant).where(eq(tenant.id, tenantId)).get();
			if (!party) return { met: false };
			const state = certifiedSystemFor(db, party.sector, now);
			return state.met ? { met: true, validUntil: state.validUntil } : { met: false, problem: state.problem };
		}
		case 'unit_in_code_service': {
			// Kanta knows a private social welfare unit by the OID that reaches THL's code service from
			// the register of service providers; a unit without one under the tenant's own root cannot join.
			const party = db.select({ businessId: tenant.businessId }).from(tenant).where(eq(tenant.id, tenantId)).get();
			const units = db
				.select({ name: serviceUnit.name, oid: serviceUnit.oid })
				.from(serviceUnit)
				.where(eq(serviceUnit.tenantId, tenantId))
				.all();
			if (!party || units.length === 0) return { met: false, missing: [], problem: 'no_units' };
			const missing = units.filter((u) => !oidMatchesBusinessId(u.oid, party.businessId)).map((u) => u.name);
			return { met: missing.length === 0, missing };
		}
		case 'access_register_current': {
			// The tenant's people and roles here are its register of users; it is current only once the
			// main connector has removed every leaver's rights from the information system (agreement §6).
			const anyone = db
				.select({ id: user.id })
				.from(user)
				.where(and(eq(user.tenantId, tenantId), eq(user.status, 'active')))
				.get();
			if (!anyone) return { met: false };
			return countOpenLeaverTasks(db, tenantId) === 0 ? { met: true } : { met: false, problem: 'leavers_pending' };
		}
		case 'security_plan_in_place':
			return securityPlanInPlace(db, now);
		case 'security_plan_acknowledged':
			return securityPlanAcknowledged(db, tenantId, detail);
	}
}
