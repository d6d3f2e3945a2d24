import { z } from 'zod';
import {
	CERTIFICATE_KINDS,
	EXPIRY_BUCKETS,
	FILE_CERTIFICATE_KINDS,
	HOLDER_TYPES,
	type CertificateKind,
	type HolderType
} from '$lib/domain';
import { optionalText } from './fields';

/** The dashboard's and the CSV export's filters; anything unexpected simply means "all". */
export const certificateListQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	bucket: z.enum(EXPIRY_BUCKETS).optional().catch(undefined),
	kind: z.enum(CERTIFICATE_KINDS).optional().catch(undefined),
	holderType: z.enum(HOLDER_TYPES).optional().catch(undefined),
	/** Expiring in this Finnish calendar month (YYYY-MM): where a bar of the dashboard's expiry chart leads. */
	month: z
		.string()
		.regex(/^\d{4}-(0[1-9]|1[0-2])$/)
		.optional()
		.catch(undefined)
});

export const isFileKind = (kind: CertificateKind): boolean => (FILE_CERTIFICATE_KINDS as readonly string[]).includes(kind);

/**
 * Who holds a certificate, as the holder select posts it: `main_connector`, `tenant:<tenantId>` or
 * `person:<tenantId>:<userId>`. Only the shape is checked here; the page checks that the tenant
 * and the person exist and belong together.
 */
export type HolderChoice = { type: HolderType; tenantId: string | null; userId: string | null };

export function holderValue(choice: HolderChoice): string {
	if (choice.type === 'main_connector') return 'main_connector';
	if (choice.type === 'tenant') return `tenant:${choice.tenantId}`;
	return `person:${choice.tenantId}:${choice.userId}`;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const HOLDER_PATTERN = new RegExp(`^(?:main_connector|tenant:${UUID}|person:${UUID}:${UUID})$`, 'i');

const holder = z
	.string({ error: 'error_choose_one' })
	.regex(HOLDER_PATTERN, { error: 'error_choose_one' })
	.transform((value): HolderChoice => {
		const [type, tenantId = null, userId = null] = value.split(':');
		return { type: type as HolderType, tenantId, userId };
	});

const kind = z.enum(CERTIFICATE_KINDS, { error: 'error_choose_one' });
const reference = optionalText(200);
const isoDate = z.iso.date({ error: 'error_date_invalid' });

/** Kind and holder: what the inspect step needs besides the file itself. */
export const certificateHolderSchema = z.object({ kind, holder, reference });

/** The confirmed upload: the leaf certificate's PEM travels base64-encoded in a hidden field. */
export const uploadedCertificateSchema = z.object({
	kind,
	holder,
	reference,
	certificate: z
		.string({ error: 'cert_check_first' })
		.trim()
		.min(1, { error: 'cert_check_first' })
		.max(200_000, { error: 'error_too_long' })
});

/** Cards and the security assessment certificate are entered by hand. */
export const manualCertificateSchema = z
	.object({
		kind,
		holder,
		reference,
		validTo: z.string().trim().min(1, { error: 'error_required' }).pipe(isoDate),
		validFrom: z.union([z.literal(''), isoDate], { error: 'error_date_invalid' }).default('')
	})
	.refine((v) => !v.validFrom || v.validFrom <= v.validTo, { error: 'cert_valid_from_after_to', path: ['validFrom'] });

export const renewalOrderedSchema = z.object({ note: optionalText(500) });

const days = (error: string) =>
	z
		.string()
		.trim()
		.regex(/^\d{1,3}$/, { error })
		.transform(Number)
		.refine((n) => n <= 365, { error });

/** "90, 30, 7, 0" → [90, 30, 7, 0]: whole days 0–365, at least one, no repeats, latest first; null if not. */
export function parseThresholds(text: string): number[] | null {
	const parts = text.split(/[,;\s]+/).filter(Boolean);
	if (parts.length === 0 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 365)) return null;
	return [...new Set(parts.map(Number))].sort((a, b) => b - a);
}

const thresholds = z
	.string()
	.max(500, { error: 'error_too_long' })
	.refine((text) => parseThresholds(text) !== null, { error: 'cert_thresholds_invalid' })
	.transform((text) => parseThresholds(text) ?? []);

const leadDaysShape = Object.fromEntries(CERTIFICATE_KINDS.map((k) => [`lead_${k}`, days('cert_lead_days_invalid')])) as Record<
	`lead_${CertificateKind}`,
	ReturnType<typeof days>
>;

/** Reminder thresholds and one order lead time per kind (`lead_<kind>` fields). */
export const certificateSettingsSchema = z
	.object({ reminderThresholds: thresholds, ...leadDaysShape })
	.transform(({ reminderThresholds, ...lead }) => ({
		reminderThresholds,
		orderLeadDays: Object.fromEntries(CERTIFICATE_KINDS.map((k) => [k, lead[`lead_${k}`]])) as Record<CertificateKind, number>
	}));
