/**
 * Ownership and visibility policies: who may see or touch one particular thing, decided from facts
 * about it that its domain module looks up (whom an incident report concerns, whom an instruction is
 * for). They build on `can()`, so a role that lacks the action never passes, and they import no
 * domain module: the domain asks them, never the other way round.
 */
import type { InstructionAudience, Role } from '../../domain';
import { can } from './authorize';
import type { SessionUser } from './session';

/** Who is asking, as far as a policy needs to know. */
export type Viewer = Pick<SessionUser, 'id' | 'tenantId' | 'roles'>;

/** Whether the report concerns that tenant; asked only when the answer matters (it may cost a query). */
export type ConcernsTenant = (tenantId: string) => boolean;

/** Whose incident reports a person sees: the main connector's handlers all, a tenant's administrators those concerning the tenant, everyone their own. */
export type ReportScope = { kind: 'all' } | { kind: 'tenant'; tenantId: string; userId: string } | { kind: 'own'; userId: string };

export function incidentReportScope(viewer: Viewer): ReportScope {
	if (viewer.tenantId === null && can(viewer, 'incident.view')) return { kind: 'all' };
	if (viewer.tenantId !== null && can(viewer, 'incident.view', { tenantId: viewer.tenantId }))
		return { kind: 'tenant', tenantId: viewer.tenantId, userId: viewer.id };
	return { kind: 'own', userId: viewer.id };
}

/** Whether `viewer` may see one incident report: within their scope, or the one who reported it. */
export function canSeeIncidentReport(viewer: Viewer, report: { reporterId: string | null }, concerns: ConcernsTenant): boolean {
	const scope = incidentReportScope(viewer);
	if (scope.kind === 'all') return true;
	if (report.reporterId === viewer.id) return true;
	return scope.kind === 'tenant' && concerns(scope.tenantId);
}

/** Whether `viewer` may add to a report's action log: the main connector's handlers, or the administrators of a tenant it concerns. */
export function canAssistIncident(viewer: Viewer, concerns: ConcernsTenant): boolean {
	if (viewer.tenantId === null) return can(viewer, 'incident.assist');
	return can(viewer, 'incident.assist', { tenantId: viewer.tenantId }) && concerns(viewer.tenantId);
}

/** What decides whom an instruction is for. */
export interface InstructionReach {
	archivedAt: Date | null;
	audience: InstructionAudience;
	allTenants: boolean;
}

/**
 * Whether `viewer` may read an instruction: a current one, by the main connector's people; by a
 * tenant's people when it is meant for their tenant (all tenants, or theirs by name) and for their
 * role (an instruction for administrators only reaches a tenant's administrators).
 */
export function canReadInstruction(
	viewer: Pick<SessionUser, 'tenantId' | 'roles'>,
	instruction: InstructionReach,
	targetsTenant: (tenantId: string) => boolean
): boolean {
	if (instruction.archivedAt) return false;
	if (viewer.tenantId === null) return can(viewer, 'instruction.read');
	if (!can(viewer, 'instruction.read', { tenantId: viewer.tenantId })) return false;
	if (instruction.audience === 'tenant_admins' && !viewer.roles.includes('tenant_admin' satisfies Role)) return false;
	return instruction.allTenants || targetsTenant(viewer.tenantId);
}
