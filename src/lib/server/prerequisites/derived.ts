import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { agreement, certificate, user, userRole } from '../db/schema';
import type { DerivedRule } from '../../domain';
import { peopleMissingTraining } from '../training/training';

export interface DerivedState {
	met: boolean;
	/** For "every professional has a card": who is still missing one. */
	missing?: string[];
}

const CARD_KINDS = ['professional_card', 'replacement_card', 'staff_card'] as const;

/** Items that follow other records; evaluated whenever the checklist is read, so never stale. */
export function evaluateDerived(db: DbOrTx, rule: DerivedRule, tenantId: string, now: Date): DerivedState {
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
				.where(and(eq(certificate.holderType, 'main_connector'), isNull(certificate.supersededAt), gt(certificate.validTo, now), inArray(certificate.kind, ['server', 'system_signature'])))
				.all()
				.map((r) => r.kind);
			return { met: kinds.includes('server') && kinds.includes('system_signature') };
		}
		case 'staff_cards_valid': {
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
					.where(and(eq(certificate.tenantId, tenantId), isNull(certificate.supersededAt), gt(certificate.validTo, now), inArray(certificate.kind, [...CARD_KINDS])))
					.all()
					.map((r) => r.holder)
			);
			const missing = professionals.filter((p) => !holders.has(p.id)).map((p) => p.name);
			return { met: missing.length === 0, missing };
		}
		case 'staff_trained': {
			// Like the cards: a tenant with nobody in it has nobody trained yet.
			const anyone = db.select({ id: user.id }).from(user).where(and(eq(user.tenantId, tenantId), eq(user.status, 'active'))).get();
			if (!anyone) return { met: false, missing: [] };
			const missing = peopleMissingTraining(db, tenantId, now).map((p) => p.name);
			return { met: missing.length === 0, missing };
		}
	}
}
