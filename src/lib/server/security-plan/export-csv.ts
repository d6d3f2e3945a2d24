import * as m from '../../paraglide/messages.js';
import type { DbOrTx } from '../db';
import type { SecurityRequirementStatus, SecurityResponsibleParty, SecurityRiskLevel } from '../../domain';
import { toCsv } from '../csv';
import { audit, type Actor } from '../actor';
import { getPlan, ownPartyOf, ownerNames, planOverview, type PlanOwner } from './plan';
import { listRisks, riskChapters } from './risks';
import type { FrameworkLanguage } from './framework';

/**
 * The plan and its risk register as CSV, for the supervisory authority or a spreadsheet (THL 3/2024
 * ch. 3: demonstrable on request). Through the formula-neutralising writer: descriptions and risk
 * texts are typed by people. Each export is audited: the plan is confidential (ch. 5).
 */

type Locale = FrameworkLanguage;

const statusLabel = (s: SecurityRequirementStatus, locale: Locale) =>
	({
		not_described: m.security_status_not_described,
		described: m.security_status_described,
		implemented: m.security_status_implemented,
		verified: m.security_status_verified
	})[s]({}, { locale });
const partyLabel = (p: SecurityResponsibleParty, locale: Locale) =>
	({
		main_connector: m.security_party_main_connector,
		tenant: m.security_party_tenant,
		system_supplier: m.security_party_system_supplier,
		it_service_provider: m.security_party_it_service_provider
	})[p]({}, { locale });
const levelLabel = (l: SecurityRiskLevel, locale: Locale) =>
	({
		low: m.security_risk_level_low,
		moderate: m.security_risk_level_moderate,
		high: m.security_risk_level_high,
		very_high: m.security_risk_level_very_high
	})[l]({}, { locale });

/** Every requirement of the plan's framework, one row each, described or not; null with no framework. */
export function planCsv(db: DbOrTx, actor: Actor, owner: PlanOwner, locale: Locale, now = new Date()): string | null {
	const overview = planOverview(db, owner, now);
	if (!overview) return null;
	const o = { locale };
	const owners = ownerNames(db, owner);
	const rows: string[][] = [
		[
			m.security_plan_pdf_chapter({}, o),
			m.security_plan_col_requirement({}, o),
			m.security_plan_csv_requirement_text({}, o),
			m.security_plan_field_status({}, o),
			m.security_plan_field_description({}, o),
			m.security_plan_field_owner({}, o),
			m.security_plan_field_party({}, o),
			m.security_plan_field_party_name({}, o),
			m.security_plan_field_agreement({}, o),
			m.security_plan_field_last_reviewed({}, o),
			m.security_plan_field_next_review({}, o)
		]
	];
	for (const view of overview.sections)
		for (const { requirement, entry } of view.requirements)
			rows.push([
				view.section.chapter,
				requirement.id,
				requirement[locale],
				statusLabel(entry?.status ?? 'not_described', locale),
				entry?.description ?? '',
				(entry?.ownerId && owners.get(entry.ownerId)) || '',
				partyLabel(entry?.responsibleParty ?? ownPartyOf(owner), locale),
				entry?.responsibleName ?? '',
				entry?.agreementReference ?? '',
				entry?.lastReviewedOn ?? '',
				entry?.nextReviewOn ?? ''
			]);
	audit(db, actor, {
		tenantId: owner.tenantId,
		action: 'security_plan.export',
		targetType: 'security_plan',
		targetId: overview.plan?.id,
		summary: `CSV plan (${locale})`
	});
	return toCsv(rows);
}

/** The risk register, one row per risk. */
export function risksCsv(db: DbOrTx, actor: Actor, owner: PlanOwner, locale: Locale): string {
	const o = { locale };
	const rows: string[][] = [
		[
			m.security_risk_field_title({}, o),
			m.security_risk_field_systems({}, o),
			m.security_risk_field_chapters({}, o),
			m.security_risk_field_likelihood({}, o),
			m.security_risk_field_impact({}, o),
			m.security_risk_field_treatment({}, o),
			m.security_risk_field_residual({}, o),
			m.security_risk_field_accepted_by({}, o),
			m.security_risk_field_accepted_at({}, o)
		]
	];
	for (const r of listRisks(db, owner))
		rows.push([
			r.title,
			r.systems,
			riskChapters(r).join(', '),
			levelLabel(r.likelihood, locale),
			levelLabel(r.impact, locale),
			r.treatment,
			levelLabel(r.residual, locale),
			r.acceptedByName,
			r.acceptedAt ? r.acceptedAt.toISOString().slice(0, 10) : ''
		]);
	audit(db, actor, {
		tenantId: owner.tenantId,
		action: 'security_plan.export',
		targetType: 'security_plan',
		targetId: getPlan(db, owner)?.id,
		summary: `CSV risk register (${locale})`
	});
	return toCsv(rows);
}
