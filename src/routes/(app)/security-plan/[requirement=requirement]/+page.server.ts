import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n/translate';
import { renderMarkdown } from '$lib/server/instructions/markdown';
import { frameworkLanguage } from '$lib/server/security-plan/framework';
import {
	markReviewed,
	ownPartyOf,
	ownPlanOf,
	ownerChoices,
	ownerNames,
	requirementDetail,
	saveRequirement
} from '$lib/server/security-plan/plan';
import { documentIdSchema, documentSchema, planEntrySchemaFor } from '$lib/schemas/security-plan';
import { storeOptionalUpload } from '$lib/server/http/file-upload';
import { addDocument, listDocuments, removeDocument } from '$lib/server/security-plan/documents';

/** The plan of the person's own organisation (see ../+page.server.ts). */

export const load: PageServerLoad = (event) => {
	const owner = ownPlanOf(event.locals.user);
	const user = authorize(event, 'security_plan.read', owner);
	const detail = requirementDetail(db(), owner, event.params.requirement);
	if (!detail) error(404, m.error_not_found());
	const ownerId = detail.entry?.ownerId;
	return {
		language: frameworkLanguage(getLocale()),
		chapter: detail.section.chapter,
		sectionTitle: detail.section.title,
		requirement: detail.requirement,
		entry: detail.entry,
		ownerName: (ownerId && ownerNames(db(), owner).get(ownerId)) || null,
		descriptionHtml: detail.entry?.description ? renderMarkdown(detail.entry.description) : '',
		canEdit: can(user, 'security_plan.edit', owner),
		ownParty: ownPartyOf(owner),
		owners: ownerChoices(db(), owner),
		documents: listDocuments(db(), owner, detail.requirement.id).map((d) => ({
			id: d.id,
			title: d.title,
			url: d.url,
			fileName: d.fileName
		}))
	};
};

export const actions: Actions = {
	save: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const parsed = parseForm(planEntrySchemaFor(ownPartyOf(owner)), await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const result = saveRequirement(db(), actorOf(event), owner, event.params.requirement, parsed.data);
		if (!result.ok && result.reason === 'not_found') error(404, m.error_not_found());
		if (!result.ok) return invalid({ [result.field]: translate(result.code) }, parsed.values);
		return { saved: true };
	},
	addDocument: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const form = await event.request.formData();
		const parsed = parseForm(documentSchema, form);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'document');
		// A link or a file: the file goes through the same content check (in the untrusted-file worker) as evidence.
		const upload = parsed.data.url ? ({ ok: true, file: null } as const) : await storeOptionalUpload(form, 'file', 'security-plan');
		if (!upload.ok) return invalid({ file: upload.error }, parsed.values, 'document');
		if (!parsed.data.url && !upload.file) return invalid({ url: m.security_plan_document_needs_target() }, parsed.values, 'document');
		const input = upload.file ? { title: parsed.data.title, file: upload.file } : { title: parsed.data.title, url: parsed.data.url };
		if (!addDocument(db(), actorOf(event), owner, event.params.requirement, input)) error(404, m.error_not_found());
		return { documentAdded: parsed.data.title };
	},
	removeDocument: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const parsed = documentIdSchema.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success || !removeDocument(db(), actorOf(event), owner, event.params.requirement, parsed.data.id))
			error(404, m.error_not_found());
		return { documentRemoved: true };
	},
	reviewed: async (event) => {
		const owner = ownPlanOf(event.locals.user);
		authorize(event, 'security_plan.edit', owner);
		const next = markReviewed(db(), actorOf(event), owner, event.params.requirement);
		if (!next) error(404, m.error_not_found());
		return { reviewed: next };
	}
};
