import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { findCurrentTenants, findTenantsByBusinessIds, listTenantNames } from '$lib/server/tenants/tenants';
import type { InstructionContent, InstructionSettings } from '$lib/server/instructions/instructions';
import type { InstructionAudience, InstructionCategory } from '$lib/domain';
import type { FieldErrors } from './forms';
import { storeOptionalUpload } from './file-upload';

/** Up to this many current tenants, the form lists them all; beyond it, business IDs are typed in. */
export const TENANT_PICKER_LIMIT = 200;

/**
 * The tenants the "which tenants" field shows: every current tenant while they fit on a page;
 * otherwise only those chosen so far (`complete` false), with more added by business ID.
 */
export function tenantChoices(chosenIds: string[] = []): { tenants: { id: string; name: string }[]; complete: boolean } {
	const first = listTenantNames(db(), TENANT_PICKER_LIMIT + 1);
	if (first.length <= TENANT_PICKER_LIMIT) return { tenants: first, complete: true };
	return { tenants: findCurrentTenants(db(), chosenIds), complete: false };
}

type SettingsForm = { category: InstructionCategory; targets: 'all' | 'chosen'; tenantIds: string[]; tenantBusinessIds: string; audience: InstructionAudience; requiresAck: boolean };

/**
 * The parsed settings form as the domain takes it: ticked tenants and those named by business ID.
 * Ticked ids that are no current tenant are dropped; a business ID that names none is an error.
 */
export function settingsFrom(data: SettingsForm): { ok: true; settings: InstructionSettings } | { ok: false; errors: FieldErrors } {
	const byBusinessId = findTenantsByBusinessIds(db(), data.tenantBusinessIds.split(/[\s,;]+/).filter(Boolean));
	if (data.targets === 'chosen' && byBusinessId.unknown.length) {
		return { ok: false, errors: { tenantBusinessIds: m.instruction_error_unknown_business_ids({ ids: byBusinessId.unknown.join(', ') }) } };
	}
	const ticked = findCurrentTenants(db(), data.tenantIds).map((t) => t.id);
	return {
		ok: true,
		settings: {
			category: data.category,
			allTenants: data.targets === 'all',
			tenantIds: data.targets === 'all' ? [] : [...new Set([...ticked, ...byBusinessId.ids])],
			audience: data.audience,
			requiresAck: data.requiresAck
		}
	};
}

type Texts = { titleFi: string; bodyFi: string; titleSv: string; bodySv: string; titleEn: string; bodyEn: string };

/**
 * The texts and the optional PDF of a version. A body may be left empty only when a PDF carries
 * the content: a new one, or the one kept from the current version (`keptAttachment`).
 */
export async function contentFrom(form: FormData, texts: Texts, keptAttachment: boolean): Promise<{ ok: true; content: InstructionContent } | { ok: false; errors: FieldErrors }> {
	const chosen = form.get('attachment');
	const hasFile = (chosen instanceof File && chosen.size > 0) || keptAttachment;
	const errors: FieldErrors = {};
	if (!hasFile && !texts.bodyFi) errors.bodyFi = m.instruction_error_body_or_pdf();
	if (!hasFile && !texts.bodySv) errors.bodySv = m.instruction_error_body_or_pdf();
	if (Object.keys(errors).length) return { ok: false, errors };
	const upload = await storeOptionalUpload(form, 'attachment', 'instructions', true);
	if (!upload.ok) return { ok: false, errors: { attachment: upload.error } };
	const content: InstructionContent = { titleFi: texts.titleFi, bodyFi: texts.bodyFi, titleSv: texts.titleSv, bodySv: texts.bodySv, titleEn: texts.titleEn || null, bodyEn: texts.bodyEn || null };
	// Left out, the domain keeps the current version's PDF; null removes it.
	if (upload.file) content.attachment = upload.file;
	return { ok: true, content };
}
