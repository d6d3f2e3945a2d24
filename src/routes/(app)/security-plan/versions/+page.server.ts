import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { isTwoFactorEnabled } from '$lib/server/auth/two-factor';
import { actorOf, authorize, clientOf } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { stepUpErrors } from '$lib/server/http/step-up';
import { hasPassword } from '$lib/server/auth/step-up';
import { ownPlanOf, planPeople } from '$lib/server/security-plan/plan';
import { designateDirector, isResponsibleDirector, responsibleDirector } from '$lib/server/security-plan/risks';
import {
	EMPTY_SNAPSHOT,
	approvePlan,
	auditVersionRead,
	currentSnapshot,
	diffSnapshots,
	hasUnapprovedChanges,
	isIntact,
	listVersions,
	parseSnapshot,
	snapshotHash
} from '$lib/server/security-plan/versions';
import { acknowledgementOverviewPage } from '$lib/server/security-plan/acknowledgements';
import { pageNumber } from '$lib/schemas/fields';
import { compareSchema, directorSchema } from '$lib/schemas/security-plan';
import { confirmationSchema } from '$lib/schemas/agreement';
import { z } from 'zod';

/** The plan of the person's own organisation (see ../+page.server.ts). */
/** Tenants per page of the acknowledgement overview: a main connector has thousands. */
const ACK_PAGE_SIZE = 50;

export const load: PageServerLoad = (event) => {
	const owner = ownPlanOf(event.locals.user);
	const user = authorize(event, 'security_plan.read', owner);
	const versions = listVersions(db(), owner);
	const current = currentSnapshot(db(), owner);
	// Compare the chosen versions, by default the newest with the one before (the first with an empty plan).
	const asked = compareSchema.parse(Object.fromEntries(event.url.searchParams));
	const to = versions.find((v) => v.version === asked.to) ?? versions[0];
	const from =
		to && (versions.find((v) => v.version === asked.from && v.version < to.version) ?? versions.find((v) => v.version < to.version));
	if (to) auditVersionRead(db(), actorOf(event), from ? [from, to] : [to], 'compared', owner.tenantId);
	const isDirector = can(user, 'security_plan.approve', owner) && isResponsibleDirector(db(), owner, user);
	const ackPage = pageNumber.parse(event.url.searchParams.get('page') ?? undefined);
	return {
		director: responsibleDirector(db(), owner),
		// Only someone who may approve can be made the one who approves.
		people: can(user, 'security_plan.edit', owner) ? planPeople(db(), owner, 'security_plan.approve') : [],
		canEdit: can(user, 'security_plan.edit', owner),
		isDirector,
		tenantPlan: owner.tenantId !== null,
		pending: hasUnapprovedChanges(db(), owner),
		currentHash: current ? snapshotHash(JSON.stringify(current)) : null,
		stepUpWithCode: isDirector && isTwoFactorEnabled(db(), user.id),
		stepUpNoPassword: !hasPassword(db(), user.id),
		versions: versions.map((v) => ({
			version: v.version,
			approverName: v.approverName,
			approvedAt: v.approvedAt,
			contentHash: v.contentHash,
			intact: isIntact(v)
		})),
		compare: to
			? { from: from?.version ?? null, to: to.version, diff: diffSnapshots(from ? parseSnapshot(from) : EMPTY_SNAPSHOT, parseSnapshot(to)) }
			: null,
		// Tenants acknowledge the main connector's plan only.
		acknowledgements:
			owner.tenantId === null
				? { ...acknowledgementOverviewPage(db(), ackPage, ACK_PAGE_SIZE), page: ackPage, pageSize: ACK_PAGE_SIZE }
				: { rows: [], total: 0, page: 1, pageSize: ACK_PAGE_SIZE }
	};
};

export const actions = {
	director: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const parsed = parseForm(directorSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'director');
		if (!designateDirector(db(), actorOf(event), owner, parsed.data.directorId))
			return invalid({ directorId: m.security_plan_error_owner() }, parsed.values, 'director');
		return answer('director', { designated: true });
	},
	approve: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		const user = authorize(event, 'security_plan.approve', owner);
		const parsed = parseForm(
			confirmationSchema.extend({ contentHash: z.string().regex(/^[0-9a-f]{64}$/) }),
			await event.request.formData()
		);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'approve');
		const result = await approvePlan(db(), owner, user, parsed.data, parsed.data.contentHash, clientOf(event));
		if (result.ok) return answer('approve', { approved: result.version });
		if (result.reason === 'not_director') error(403, m.security_risk_error_not_director());
		if (result.reason === 'no_plan') error(404, m.error_not_found());
		if (result.reason === 'unchanged') return invalid({ form: m.security_plan_approve_unchanged() }, {}, 'approve');
		if (result.reason === 'changed_meanwhile') return invalid({ form: m.security_plan_approve_changed() }, {}, 'approve', 409);
		return invalid(stepUpErrors(result), {}, 'approve', result.reason === 'throttled' ? 429 : 400);
	}
} satisfies Actions;
