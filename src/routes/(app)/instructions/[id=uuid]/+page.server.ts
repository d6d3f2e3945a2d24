import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { contentFrom, settingsFrom } from '$lib/server/http/instruction-form';
import { tenantChoices } from '$lib/server/http/tenant-picker';
import {
	archiveInstruction,
	coverageByTenant,
	coverageCounts,
	currentVersion,
	fillContacts,
	getInstruction,
	listVersions,
	publishVersion,
	textFor,
	updateInstructionSettings
} from '$lib/server/instructions/instructions';
import { renderMarkdown } from '$lib/server/instructions/markdown';
import { remindPendingAcknowledgements } from '$lib/server/instructions/remind';
import { carryOutReminderMail } from '$lib/server/bulk/follow-up';
import { ackStatus, targetTenantIds } from '$lib/server/instructions/report';
import { instructionSettingsSchema, publishVersionSchema } from '$lib/schemas/instruction';
import { pageNumber } from '$lib/schemas/fields';

function instructionOr404(event: RequestEvent<{ id: string }>) {
	authorize(event, 'instruction.manage');
	const item = getInstruction(db(), event.params.id);
	if (!item) error(404, m.error_not_found());
	return item;
}

/** A system instruction's text and targets come only from its source (the approved plan): refused in words. */
const refusedSystem = () => fail(409, { systemRefused: true });

const COVERAGE_PAGE_SIZE = 50;

export const load: PageServerLoad = (event) => {
	const item = instructionOr404(event);
	const page = pageNumber.parse(event.url.searchParams.get('page') ?? undefined);
	const tenantParam = event.url.searchParams.get('tenant');
	const openTenant = tenantParam ? coverageByTenant(db(), item, tenantParam)[0] : undefined;
	const chosen = targetTenantIds(db(), item.id);
	const versions = listVersions(db(), item.id);
	const current = versions[0];
	const text = textFor(current, getLocale());
	return {
		instruction: {
			id: item.id,
			category: item.category,
			audience: item.audience,
			allTenants: item.allTenants,
			requiresAck: item.requiresAck,
			archivedAt: item.archivedAt,
			createdAt: item.createdAt,
			/** Written by the portal from the approved security plan: read and report only. */
			system: item.systemKey !== null
		},
		title: text.title,
		// The only HTML this page renders: Markdown with raw HTML escaped (see markdown.ts).
		bodyHtml: renderMarkdown(fillContacts(db(), text.body)),
		language: text.language,
		current: {
			version: current.version,
			titleFi: current.titleFi,
			bodyFi: current.bodyFi,
			titleSv: current.titleSv,
			bodySv: current.bodySv,
			titleEn: current.titleEn ?? '',
			bodyEn: current.bodyEn ?? '',
			attachmentName: current.attachmentName
		},
		settings: {
			category: item.category,
			targets: item.allTenants ? 'all' : 'chosen',
			tenantIds: chosen,
			audience: item.audience,
			requiresAck: item.requiresAck
		},
		choices: tenantChoices(chosen),
		versions: versions.map((v) => ({
			id: v.id,
			version: v.version,
			material: v.material,
			changeSummary: v.changeSummary,
			publishedAt: v.publishedAt,
			publishedBy: v.publishedBy,
			attachmentName: v.attachmentName
		})),
		coverage: coverageCounts(db(), item, { page, pageSize: COVERAGE_PAGE_SIZE }),
		coveragePage: page,
		coveragePageSize: COVERAGE_PAGE_SIZE,
		// People are listed for the one tenant opened, never for every tenant at once.
		openTenant: openTenant ? { id: openTenant.tenantId, people: openTenant.people.map((p) => ({ ...p, status: ackStatus(p) })) } : null
	};
};

export const actions = {
	settings: async (event) => {
		const item = instructionOr404(event);
		if (item.systemKey) return refusedSystem();
		const parsed = parseForm(instructionSettingsSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'settings');
		const settings = settingsFrom(parsed.data);
		if (!settings.ok) return invalid(settings.errors, parsed.values, 'settings');
		updateInstructionSettings(db(), actorOf(event), item.id, settings.settings);
		return answer('settings', { saved: true });
	},
	publish: async (event) => {
		const item = instructionOr404(event);
		if (item.systemKey) return refusedSystem();
		const form = await event.request.formData();
		const parsed = parseForm(publishVersionSchema, form);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'publish');
		const remove = form.get('removeAttachment') === 'on';
		const kept = !remove && Boolean(currentVersion(db(), item.id)?.attachmentPath);
		const content = await contentFrom(form, parsed.data, kept);
		if (!content.ok) return invalid(content.errors, parsed.values, 'publish');
		if (remove && !content.content.attachment) content.content.attachment = null;
		const version = publishVersion(
			db(),
			actorOf(event),
			item.id,
			{ material: parsed.data.change === 'material', changeSummary: parsed.data.changeSummary },
			content.content
		);
		return answer('publish', { published: version });
	},
	remind: (event) => {
		const item = instructionOr404(event);
		const result = remindPendingAcknowledgements(db(), actorOf(event), item.id);
		// The mails go out after the commit and after this answer; the scheduler retries any that fail.
		carryOutReminderMail(db()).catch((error) => console.error('reminder mail failed:', error));
		return answer('remind', result);
	},
	archive: (event) => {
		const item = instructionOr404(event);
		if (item.systemKey) return refusedSystem();
		archiveInstruction(db(), actorOf(event), item.id);
		redirect(303, '/instructions?archived_done=1');
	}
} satisfies Actions;
