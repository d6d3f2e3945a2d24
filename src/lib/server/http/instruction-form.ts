import * as m from '$lib/paraglide/messages.js';
import { resolveTargets } from './tenant-picker';
import type { InstructionContent, InstructionSettings } from '$lib/server/instructions/instructions';
import type { InstructionAudience, InstructionCategory } from '$lib/domain';
import type { FieldErrors } from './forms';
import { storeOptionalUpload } from './file-upload';

type SettingsForm = {
	category: InstructionCategory;
	targets: 'all' | 'chosen';
	tenantIds: string[];
	tenantBusinessIds: string;
	audience: InstructionAudience;
	requiresAck: boolean;
};

/** The parsed settings form as the domain takes it (see `resolveTargets` for the tenants). */
export function settingsFrom(data: SettingsForm): { ok: true; settings: InstructionSettings } | { ok: false; errors: FieldErrors } {
	const allTenants = data.targets === 'all';
	const targets = resolveTargets({ allTenants, tenantIds: data.tenantIds, tenantBusinessIds: data.tenantBusinessIds });
	if (!targets.ok) return targets;
	return {
		ok: true,
		settings: { category: data.category, allTenants, tenantIds: targets.tenantIds, audience: data.audience, requiresAck: data.requiresAck }
	};
}

type Texts = { titleFi: string; bodyFi: string; titleSv: string; bodySv: string; titleEn: string; bodyEn: string };

/**
 * The texts and the optional PDF of a version. A body may be left empty only when a PDF carries
 * the content: a new one, or the one kept from the current version (`keptAttachment`).
 */
export async function contentFrom(
	form: FormData,
	texts: Texts,
	keptAttachment: boolean
): Promise<{ ok: true; content: InstructionContent } | { ok: false; errors: FieldErrors }> {
	const chosen = form.get('attachment');
	const hasFile = (chosen instanceof File && chosen.size > 0) || keptAttachment;
	const errors: FieldErrors = {};
	if (!hasFile && !texts.bodyFi) errors.bodyFi = m.instruction_error_body_or_pdf();
	if (!hasFile && !texts.bodySv) errors.bodySv = m.instruction_error_body_or_pdf();
	if (Object.keys(errors).length) return { ok: false, errors };
	const upload = await storeOptionalUpload(form, 'attachment', 'instructions', true);
	if (!upload.ok) return { ok: false, errors: { attachment: upload.error } };
	const content: InstructionContent = {
		titleFi: texts.titleFi,
		bodyFi: texts.bodyFi,
		titleSv: texts.titleSv,
		bodySv: texts.bodySv,
		titleEn: texts.titleEn || null,
		bodyEn: texts.bodyEn || null
	};
	// Left out, the domain keeps the current version's PDF; null removes it.
	if (upload.file) content.attachment = upload.file;
	return { ok: true, content };
}
