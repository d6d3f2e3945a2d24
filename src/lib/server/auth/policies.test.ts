import { describe, expect, it } from 'vitest';
import type { Role } from '../../domain';
import { canAssistIncident, canReadInstruction, canSeeIncidentReport, incidentReportScope, type InstructionReach } from './policies';

const OWN = 'tenant-own';
const OTHER = 'tenant-other';

const person = (roles: Role[], tenantId: string | null, id = 'u1') => ({ id, tenantId, roles });
const concernsOwn = (tenantId: string) => tenantId === OWN;
const concernsOther = (tenantId: string) => tenantId === OTHER;

describe('incident reports: whose a person sees', () => {
	it('the main connector’s handlers see all; a tenant’s administrators their tenant’s; everyone else their own', () => {
		expect(incidentReportScope(person(['mc_admin'], null))).toEqual({ kind: 'all' });
		expect(incidentReportScope(person(['tenant_admin'], OWN))).toEqual({ kind: 'tenant', tenantId: OWN, userId: 'u1' });
		for (const roles of [['mc_signatory'], ['mc_cert_admin'], ['tenant_staff'], ['tenant_signatory'], []] as Role[][])
			expect(incidentReportScope(person(roles, roles[0]?.startsWith('tenant_') ? OWN : null))).toEqual({ kind: 'own', userId: 'u1' });
	});

	it('a tenant’s administrator sees a report concerning the tenant, not one concerning another tenant only', () => {
		const report = { reporterId: 'someone-else' };
		expect(canSeeIncidentReport(person(['tenant_admin'], OWN), report, concernsOwn)).toBe(true);
		expect(canSeeIncidentReport(person(['tenant_admin'], OWN), report, concernsOther)).toBe(false);
		expect(canSeeIncidentReport(person(['mc_admin'], null), report, concernsOther)).toBe(true);
	});

	it('the one who reported sees their report, whatever their role; others in their tenant do not', () => {
		expect(canSeeIncidentReport(person(['tenant_staff'], OWN), { reporterId: 'u1' }, concernsOwn)).toBe(true);
		expect(canSeeIncidentReport(person(['tenant_staff'], OWN, 'u2'), { reporterId: 'u1' }, concernsOwn)).toBe(false);
		expect(canSeeIncidentReport(person(['mc_signatory'], null, 'u2'), { reporterId: 'u1' }, concernsOwn)).toBe(false);
		expect(canSeeIncidentReport(person(['tenant_staff'], OWN, 'u2'), { reporterId: null }, concernsOwn)).toBe(false);
	});

	it('the action log takes notes from the main connector’s handlers and from administrators of a tenant concerned only', () => {
		expect(canAssistIncident(person(['mc_admin'], null), concernsOther)).toBe(true);
		expect(canAssistIncident(person(['mc_signatory'], null), concernsOther)).toBe(false);
		expect(canAssistIncident(person(['tenant_admin'], OWN), concernsOwn)).toBe(true);
		expect(canAssistIncident(person(['tenant_admin'], OWN), concernsOther)).toBe(false);
		expect(canAssistIncident(person(['tenant_staff'], OWN), concernsOwn)).toBe(false);
	});
});

describe('instructions: who may read one', () => {
	const forAll: InstructionReach = { archivedAt: null, audience: 'all_staff', allTenants: true };
	const named: InstructionReach = { ...forAll, allTenants: false };
	const forAdmins: InstructionReach = { ...forAll, audience: 'tenant_admins' };
	const archived: InstructionReach = { ...forAll, archivedAt: new Date('2026-01-01T00:00:00Z') };
	const none = () => false;

	it('the main connector’s people read every current instruction, never an archived one', () => {
		for (const role of ['mc_admin', 'mc_signatory', 'mc_cert_admin'] as const) {
			expect(canReadInstruction(person([role], null), named, none)).toBe(true);
			expect(canReadInstruction(person([role], null), archived, none)).toBe(false);
		}
	});

	it('a tenant’s people read one meant for all tenants or for theirs by name', () => {
		expect(canReadInstruction(person(['tenant_staff'], OWN), forAll, none)).toBe(true);
		expect(canReadInstruction(person(['tenant_staff'], OWN), named, concernsOwn)).toBe(true);
		expect(canReadInstruction(person(['tenant_staff'], OWN), named, concernsOther)).toBe(false);
		expect(canReadInstruction(person(['tenant_staff'], OWN), archived, concernsOwn)).toBe(false);
	});

	it('one for administrators reaches a tenant’s administrators only', () => {
		expect(canReadInstruction(person(['tenant_admin'], OWN), forAdmins, none)).toBe(true);
		expect(canReadInstruction(person(['tenant_staff', 'tenant_signatory'], OWN), forAdmins, none)).toBe(false);
	});

	it('nobody without a role reads anything', () => {
		expect(canReadInstruction(person([], OWN), forAll, concernsOwn)).toBe(false);
		expect(canReadInstruction(person([], null), forAll, concernsOwn)).toBe(false);
	});
});
