import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize, clientOf } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import {
	acknowledge,
	baselineVersion,
	currentVersion,
	fillContacts,
	getInstruction,
	getVersion,
	instructionVisibleTo,
	lastAcknowledged,
	listVersions,
	textFor
} from '$lib/server/instructions/instructions';
import { renderMarkdown } from '$lib/server/instructions/markdown';
import { isUnchanged, textDiff } from '$lib/server/instructions/diff';
import { acknowledgeSchema } from '$lib/schemas/instruction';

/** The instruction, if it is meant for this reader; anyone else gets 404 so it stays unseen. */
function readable(event: RequestEvent<{ id: string }>) {
	const user = authorize(event, 'instruction.read');
	const item = getInstruction(db(), event.params.id);
	if (!item || !instructionVisibleTo(db(), item, user)) error(404, m.error_not_found());
	return { user, item };
}

/** What changed since the version the reader last acknowledged, in one language both versions have. */
function changesSince(ackedVersionId: string, current: NonNullable<ReturnType<typeof currentVersion>>, language: 'fi' | 'sv' | 'en') {
	const old = getVersion(db(), ackedVersionId);
	if (!old) return null;
	const shared = language === 'en' && !(old.titleEn && old.bodyEn) ? 'fi' : language;
	const parts = textDiff(fillContacts(db(), textFor(old, shared).body), fillContacts(db(), textFor(current, shared).body));
	return {
		version: old.version,
		parts,
		unchanged: isUnchanged(parts),
		summaries: listVersions(db(), current.instructionId)
			.filter((v) => v.version > old.version)
			.map((v) => ({ version: v.version, material: v.material, changeSummary: v.changeSummary, publishedAt: v.publishedAt }))
	};
}

export const load: PageServerLoad = (event) => {
	const { user, item } = readable(event);
	const version = currentVersion(db(), item.id)!;
	const text = textFor(version, getLocale());
	const acked = lastAcknowledged(db(), user.id, item.id);
	const baseline = baselineVersion(db(), item.id)!;
	// The main connector's own people read instructions but are in no audience.
	const pending = user.tenantId !== null && item.requiresAck && (!acked || acked.version < baseline.version);
	return {
		instruction: { id: item.id, category: item.category, requiresAck: item.requiresAck },
		version: { id: version.id, version: version.version, publishedAt: version.publishedAt, attachmentName: version.attachmentName },
		title: text.title,
		language: text.language,
		// The only HTML this page renders: Markdown with raw HTML escaped (see markdown.ts).
		bodyHtml: renderMarkdown(fillContacts(db(), text.body)),
		pending,
		acknowledged: acked ? { version: acked.version, at: acked.at } : null,
		changes: pending && acked ? changesSince(acked.versionId, version, text.language) : null
	};
};

export const actions = {
	acknowledge: async (event) => {
		const { user, item } = readable(event);
		if (user.tenantId === null) error(403, m.error_forbidden());
		const parsed = parseForm(acknowledgeSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		if (!acknowledge(db(), user, item.id, parsed.data.versionId, getLocale(), clientOf(event)))
			return invalid({ form: m.instruction_ack_outdated() });
		return { acknowledgedNow: true };
	}
} satisfies Actions;
