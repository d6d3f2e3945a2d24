import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { can, type Action } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm, formDataToObject } from '$lib/server/http/forms';
import { getTenant } from '$lib/server/tenants/tenants';
import { countPeople, listActivePeopleFor, listPeople } from '$lib/server/people/people';
import {
	addComment,
	findItem,
	getChecklist,
	listComments,
	planItem,
	recordEvidenceFile,
	returnItem,
	submitItem,
	verifyItem,
	type StepResult
} from '$lib/server/prerequisites/checklist';
import { prerequisiteGuidance, prerequisiteName } from '$lib/server/prerequisites/catalogue';
import { deadlinesFor } from '$lib/server/prerequisites/deadlines';
import { deadlineLabel } from '$lib/server/calendar/feed';
import { checkEvidenceFile, safeFileName } from '$lib/server/evidence/file-check';
import { evidenceProblem } from '$lib/server/http/file-upload';
import { storeFile } from '$lib/server/evidence/file-store';
import { daysBetween, todayInHelsinki } from '$lib/time';
import { commentSchema, evidenceSchema, planSchema, returnSchema } from '$lib/schemas/checklist';
import type { ReasonMessages } from '$lib/form-answer';

/** Why a submission was refused, in the tenant's words (an item of another tenant is never reached here). */
const SUBMIT_REFUSALS: ReasonMessages<Extract<StepResult, { ok: false }>['reason']> = {
	evidence_missing: m.evidence_missing,
	wrong_state: m.checklist_wrong_state,
	owner_not_in_tenant: m.checklist_wrong_state,
	not_found: m.checklist_wrong_state
};

/** The first names of a long list (a large tenant may miss thousands of cards), and how many more. */
const NAMES_SHOWN = 20;
const firstNames = (names: string[]) =>
	names.length > NAMES_SHOWN ? [...names.slice(0, NAMES_SHOWN), m.checklist_names_more({ count: names.length - NAMES_SHOWN })] : names;

/** Beyond this many active people, an owner is chosen among the tenant's administrators and signatories. */
const OWNER_CHOICES = 200;

/**
 * Whom an item's owner select offers: every active person of a small tenant. A large one has thousands,
 * which repeated in the select of every item made the page megabytes: there the select offers those
 * who run the tenant's onboarding (administrators, signatories) and whoever owns an item already.
 */
function ownerChoices(tenantId: string, owners: string[]) {
	const active = countPeople(db(), tenantId, { activeOnly: true });
	const people =
		active <= OWNER_CHOICES
			? listPeople(db(), tenantId, { activeOnly: true })
			: listActivePeopleFor(db(), tenantId, ['tenant_admin', 'tenant_signatory'], owners);
	return { people: people.map((p) => ({ id: p.id, name: p.name })), ownersLimited: active > OWNER_CHOICES };
}

export const load: PageServerLoad = (event) => {
	const tenantId = event.params.id;
	const user = authorize(event, 'checklist.view', { tenantId });
	const tenant = getTenant(db(), tenantId);
	if (!tenant) error(404, m.error_not_found());
	const locale = getLocale();
	const checklist = getChecklist(db(), tenantId);
	const today = todayInHelsinki();
	const scope = { tenantId };
	return {
		tenant: { id: tenant.id, name: tenant.name, stage: tenant.stage, serviceSector: tenant.serviceSector },
		progress: checklist.progress,
		ready: checklist.ready,
		deadlines: deadlinesFor(tenant.serviceSector, tenant.providerType).map((d) => ({
			label: deadlineLabel(d.code, locale),
			date: d.date,
			daysLeft: daysBetween(today, d.date)
		})),
		entries: checklist.entries.map((e) => ({
			id: e.item.id,
			code: e.type.code,
			name: prerequisiteName(e.type, locale),
			guidance: prerequisiteGuidance(e.type, locale),
			category: e.type.category,
			responsibleParty: e.type.responsibleParty,
			evidenceKind: e.type.evidenceKind,
			required: e.type.required,
			renewalMonths: e.type.renewalMonths,
			status: e.status,
			overdue: e.overdue,
			derivedRule: e.type.derivedRule,
			derivedMissing: e.derived?.missing ? firstNames(e.derived.missing) : null,
			derivedProblem: e.derived?.problem ?? null,
			derivedCounts: e.derived?.counts ?? null,
			derivedValidUntil: e.derived?.validUntil ?? null,
			dueDate: e.item.dueDate,
			ownerId: e.item.ownerId,
			reference: e.item.evidenceReference,
			evidenceDate: e.item.evidenceDate,
			link: e.item.evidenceLink,
			submittedAt: e.item.submittedAt,
			submittedBy: e.item.submittedBy,
			verifiedAt: e.item.verifiedAt,
			verifiedBy: e.item.verifiedBy,
			validUntil: e.item.validUntil,
			returnedReason: e.item.returnedReason,
			files: e.files,
			comments: listComments(db(), e.item.id).map((c) => ({ id: c.id, author: c.authorLabel, body: c.body, at: c.createdAt }))
		})),
		...ownerChoices(
			tenantId,
			checklist.entries.map((e) => e.item.ownerId).filter((id) => id !== null)
		),
		may: {
			submit: can(user, 'checklist.submit', scope),
			verify: can(user, 'checklist.verify', scope),
			plan: can(user, 'checklist.plan', scope)
		}
	};
};

/** The item named in the form, within this page's tenant; 404 for any other. */
function itemInTenant(event: RequestEvent<{ id: string }>, itemId: string) {
	return findItem(db(), { tenantId: event.params.id, itemId }) ?? error(404, m.error_not_found());
}

/** The tenant this page acts for, with the item named in the form. */
const refTo = (event: RequestEvent<{ id: string }>, item: { id: string }) => ({ tenantId: event.params.id, itemId: item.id });

async function guarded(event: RequestEvent<{ id: string }>, action: Action) {
	authorize(event, action, { tenantId: event.params.id });
	return event.request.formData();
}

export const actions = {
	upload: async (event) => {
		const form = await guarded(event, 'checklist.submit');
		const { item } = itemInTenant(event, String(form.get('itemId') ?? ''));
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return invalid({ file: evidenceProblem('empty') }, {}, `item-${item.id}`);
		if (file.size > config.evidenceMaxBytes) return invalid({ file: evidenceProblem('too_large') }, {}, `item-${item.id}`);
		const bytes = new Uint8Array(await file.arrayBuffer());
		const check = await checkEvidenceFile(bytes, file.name, config.evidenceMaxBytes);
		if (!check.ok) return invalid({ file: evidenceProblem(check.reason) }, {}, `item-${item.id}`);
		const stored = storeFile(config.dataDir, 'evidence', bytes);
		recordEvidenceFile(db(), actorOf(event), item, {
			fileName: safeFileName(file.name),
			mimeType: check.mimeType,
			size: stored.size,
			sha256: stored.sha256,
			storagePath: stored.storagePath
		});
		return answer(`item-${item.id}`, { uploaded: true });
	},
	submit: async (event) => {
		const form = await guarded(event, 'checklist.submit');
		const parsed = parseForm(evidenceSchema, form);
		const itemId = String(form.get('itemId') ?? '');
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, `item-${itemId}`);
		const { item } = itemInTenant(event, parsed.data.itemId);
		const result = submitItem(db(), actorOf(event), refTo(event, item), parsed.data);
		if (!result.ok) return invalid({ form: SUBMIT_REFUSALS[result.reason]() }, formDataToObject(form), `item-${item.id}`);
		return answer(`item-${item.id}`, { submitted: true });
	},
	verify: async (event) => {
		const form = await guarded(event, 'checklist.verify');
		const { item } = itemInTenant(event, String(form.get('itemId') ?? ''));
		if (!verifyItem(db(), actorOf(event), refTo(event, item)).ok)
			return invalid({ form: m.checklist_wrong_state() }, {}, `item-${item.id}`);
		return answer(`item-${item.id}`, { verified: true });
	},
	return: async (event) => {
		const form = await guarded(event, 'checklist.verify');
		const parsed = parseForm(returnSchema, form);
		const itemId = String(form.get('itemId') ?? '');
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, `item-${itemId}`);
		const { item } = itemInTenant(event, parsed.data.itemId);
		if (!returnItem(db(), actorOf(event), refTo(event, item), parsed.data.reason).ok)
			return invalid({ form: m.checklist_wrong_state() }, {}, `item-${item.id}`);
		return answer(`item-${item.id}`, { returned: true });
	},
	plan: async (event) => {
		const form = await guarded(event, 'checklist.plan');
		const parsed = parseForm(planSchema, form);
		const itemId = String(form.get('itemId') ?? '');
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, `item-${itemId}`);
		const { item } = itemInTenant(event, parsed.data.itemId);
		const planned = planItem(db(), actorOf(event), refTo(event, item), { ownerId: parsed.data.ownerId, dueDate: parsed.data.dueDate });
		if (!planned.ok) return invalid({ ownerId: m.error_choose_one() }, parsed.values, `item-${item.id}`);
		return answer(`item-${item.id}`, { planned: true });
	},
	comment: async (event) => {
		const form = await guarded(event, 'checklist.view');
		const parsed = parseForm(commentSchema, form);
		const itemId = String(form.get('itemId') ?? '');
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, `item-${itemId}`);
		const { item } = itemInTenant(event, parsed.data.itemId);
		addComment(db(), actorOf(event), refTo(event, item), parsed.data.body);
		return answer(`item-${item.id}`, { commented: true });
	}
} satisfies Actions;
