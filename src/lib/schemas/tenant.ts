import { z } from 'zod';
import { AGREEMENT_LANGUAGES, PROVIDER_TYPES, SERVICE_SECTORS, TENANT_STAGES } from '$lib/domain';
import { businessId, oid, optionalText, phone, postalCode, requiredText } from './fields';
import { isValidOid } from '$lib/identifiers';

const rows = <T extends z.ZodType>(row: T) => z.array(row).max(50, { error: 'error_too_many_rows' });

/**
 * Repeated rows (service units, contacts) arrive as parallel lists; the form always offers a
 * few blank rows, so a row with every field empty is simply not there.
 */
function zipRows<K extends string>(keys: K[], lists: Record<K, string[]>): Record<K, string>[] {
	const length = Math.max(0, ...keys.map((k) => lists[k]?.length ?? 0));
	return Array.from({ length }, (_, i) => Object.fromEntries(keys.map((k) => [k, lists[k]?.[i] ?? ''])) as Record<K, string>);
}

export const serviceUnitSchema = z.object({
	name: requiredText(),
	oid: requiredText().refine(isValidOid, { error: 'error_oid_invalid' })
});

export const contactSchema = z.object({
	name: requiredText(),
	title: optionalText(),
	email: z
		.string()
		.trim()
		.max(254, { error: 'error_too_long' })
		.pipe(z.email({ error: 'error_email_invalid' })),
	phone
});

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** Turns the posted parallel lists (unitName[], unitOid[], contact…[]) into rows. */
function reshapeRows(raw: unknown): unknown {
	if (typeof raw !== 'object' || raw === null) return raw;
	const form = raw as Record<string, unknown>;
	const { unitName, unitOid, contactName, contactTitle, contactEmail, contactPhone, ...rest } = form;
	return {
		...rest,
		serviceIds: list(form.serviceIds),
		serviceUnits: zipRows(['name', 'oid'], { name: list(unitName), oid: list(unitOid) }).filter((r) => r.name.trim() || r.oid.trim()),
		contacts: zipRows(['name', 'title', 'email', 'phone'], {
			name: list(contactName),
			title: list(contactTitle),
			email: list(contactEmail),
			phone: list(contactPhone)
		}).filter((r) => r.name.trim() || r.title.trim() || r.email.trim() || r.phone.trim())
	};
}

export const tenantSchema = z.preprocess(
	reshapeRows,
	z.object({
		name: requiredText(),
		businessId,
		oid,
		streetAddress: requiredText(),
		postalCode,
		city: requiredText(100),
		soteriRegistration: optionalText(100),
		serviceSector: z.enum(SERVICE_SECTORS, { error: 'error_choose_one' }),
		providerType: z.enum(PROVIDER_TYPES, { error: 'error_choose_one' }),
		agreementLanguage: z.enum(AGREEMENT_LANGUAGES, { error: 'error_choose_one' }),
		serviceIds: z.array(z.uuid({ error: 'error_invalid_value' })).max(100),
		serviceUnits: rows(serviceUnitSchema),
		contacts: rows(contactSchema)
	})
);

export const tenantStageSchema = z.object({ stage: z.enum(TENANT_STAGES, { error: 'error_choose_one' }) });

export const tenantListQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	stage: z.enum(TENANT_STAGES).optional().catch(undefined),
	archived: z.enum(['1']).optional().catch(undefined)
});
