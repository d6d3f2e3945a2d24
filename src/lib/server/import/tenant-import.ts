import { z } from 'zod';
import { inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { tenant, user, type Role } from '../db/schema';
import type { Actor } from '../actor';
import { createTenant, getTenant, updateTenant, type TenantInput } from '../tenants/tenants';
import { personInviter } from '../people/people';
import { normaliseEmail } from '../auth/accounts';
import { AGREEMENT_LANGUAGES, PROVIDER_TYPES, SERVICE_SECTORS, TENANT_ROLES } from '../../domain';
import { businessId, oid, optionalText, phone, postalCode, requiredText } from '../../schemas/fields';
import { IMPORT_COLUMNS, type CsvRow, type ImportColumn } from './tenant-csv';

/**
 * Validating and importing tenant rows read from a spreadsheet. Validation uses the same field rules
 * as the tenant form; every problem is reported per row and cell as a message-catalogue key. The
 * import itself goes through `createTenant`, `updateTenant` and `invitePerson` (its batch form `personInviter`), so the audit trail is
 * the same as when the rows are typed in one at a time, all inside one transaction.
 */

/** Spreadsheet words for the coded values, in fi, sv and en, besides the codes themselves. */
const WORDS: Record<string, string> = {
	terveydenhuolto: 'health_care',
	'hälso- och sjukvård': 'health_care',
	hälsovård: 'health_care',
	'health care': 'health_care',
	healthcare: 'health_care',
	sosiaalihuolto: 'social_welfare',
	socialvård: 'social_welfare',
	'social welfare': 'social_welfare',
	'social care': 'social_welfare',
	julkinen: 'public_on_behalf',
	'julkisen puolesta': 'public_on_behalf',
	offentlig: 'public_on_behalf',
	public: 'public_on_behalf',
	yksityinen: 'private',
	privat: 'private',
	suomi: 'fi',
	finska: 'fi',
	finnish: 'fi',
	ruotsi: 'sv',
	svenska: 'sv',
	swedish: 'sv',
	pääkäyttäjä: 'tenant_admin',
	huvudanvändare: 'tenant_admin',
	administrator: 'tenant_admin',
	admin: 'tenant_admin',
	allekirjoittaja: 'tenant_signatory',
	undertecknare: 'tenant_signatory',
	signatory: 'tenant_signatory',
	työntekijä: 'tenant_staff',
	henkilöstö: 'tenant_staff',
	personal: 'tenant_staff',
	staff: 'tenant_staff'
};
const coded = (value: unknown) => {
	if (typeof value !== 'string') return value;
	const key = value.trim().toLowerCase();
	return WORDS[key] ?? key;
};
const codedEnum = <T extends readonly [string, ...string[]]>(values: T) =>
	z.preprocess(coded, z.enum(values, { error: 'import_error_unknown_value' }));
const optionalEmail = z
	.string()
	.trim()
	.max(254, { error: 'error_too_long' })
	.refine((v) => v === '' || z.email().safeParse(v).success, { error: 'error_email_invalid' })
	.transform((v) => v.toLowerCase());

const rowSchema = z
	.object({
		name: requiredText(),
		businessId,
		oid,
		soteriRegistration: optionalText(100),
		streetAddress: requiredText(),
		postalCode,
		city: requiredText(100),
		serviceSector: codedEnum(SERVICE_SECTORS),
		providerType: codedEnum(PROVIDER_TYPES),
		agreementLanguage: z.preprocess(
			(v) => (typeof v === 'string' && v.trim() === '' ? 'fi' : coded(v)),
			z.enum(AGREEMENT_LANGUAGES, { error: 'import_error_unknown_value' })
		),
		contactName: optionalText(),
		contactEmail: optionalEmail,
		contactPhone: phone,
		personName: optionalText(),
		personEmail: optionalEmail,
		personRole: z.preprocess(coded, z.union([z.literal(''), z.enum(TENANT_ROLES)], { error: 'import_error_role' }))
	})
	.superRefine((row, ctx) => {
		if ((row.contactEmail || row.contactPhone) && !row.contactName)
			ctx.addIssue({ code: 'custom', path: ['contactName'], message: 'error_required' });
		if (row.contactName && !row.contactEmail) ctx.addIssue({ code: 'custom', path: ['contactEmail'], message: 'error_required' });
		const person = row.personName || row.personEmail || row.personRole;
		if (person && !row.personName) ctx.addIssue({ code: 'custom', path: ['personName'], message: 'error_required' });
		if (person && !row.personEmail) ctx.addIssue({ code: 'custom', path: ['personEmail'], message: 'error_required' });
		if (person && !row.personRole) ctx.addIssue({ code: 'custom', path: ['personRole'], message: 'import_error_role' });
	});
export type ImportRowData = z.output<typeof rowSchema>;

/** The tenant's own fields an import may set, in the order a change is reported. */
const TENANT_FIELDS = [
	'name',
	'oid',
	'soteriRegistration',
	'streetAddress',
	'postalCode',
	'city',
	'serviceSector',
	'providerType',
	'agreementLanguage'
] as const;

export type FieldChange = { field: ImportColumn; from: string; to: string };
export type RowStatus = 'new' | 'change' | 'unchanged' | 'error';

export interface PreviewRow {
	line: number;
	cells: Partial<Record<ImportColumn, string>>;
	status: RowStatus;
	/** Message-catalogue keys by column ('row' for the row as a whole). */
	errors: Partial<Record<ImportColumn | 'row', string>>;
	changes: FieldChange[];
	/** Set when the row names a contact or person that is not there yet. */
	addsContact: boolean;
	invites: boolean;
	/** The first row naming its tenant: the one whose fields are stored. */
	leader: boolean;
	tenantId?: string;
	data?: ImportRowData;
}

export interface ImportPreview {
	rows: PreviewRow[];
	counts: Record<RowStatus, number>;
}

/** Validates every row and compares it with what is stored; stores nothing. */
export function previewTenantImport(db: DbOrTx, csvRows: CsvRow[]): ImportPreview {
	const parsed = csvRows.map((row) => {
		const input = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, row.cells[c] ?? '']));
		return { row, result: rowSchema.safeParse(input) };
	});
	const ids = parsed.flatMap((p) => (p.result.success ? [p.result.data.businessId] : []));
	const existing = new Map(
		ids.length
			? db
					.select({ id: tenant.id, businessId: tenant.businessId })
					.from(tenant)
					.where(inArray(tenant.businessId, [...new Set(ids)]))
					.all()
					.map((t) => [t.businessId, t.id])
			: []
	);
	const emails = parsed.flatMap((p) => (p.result.success && p.result.data.personEmail ? [normaliseEmail(p.result.data.personEmail)] : []));
	const users = new Map(
		emails.length
			? db
					.select({ email: user.email, tenantId: user.tenantId })
					.from(user)
					.where(inArray(user.email, [...new Set(emails)]))
					.all()
					.map((u) => [u.email, u.tenantId])
			: []
	);

	// Several rows may name the same tenant (one per person); the first gives the tenant's fields
	// and the later ones must repeat them unchanged.
	const leaders = new Map<string, ImportRowData>();
	const seenEmails = new Map<string, number>();
	const seenContacts = new Map<string, Set<string>>();
	const tenantsSeen = new Map<string, ReturnType<typeof getTenant>>();
	const rows = parsed.map(({ row, result }): PreviewRow => {
		const base = { line: row.line, cells: row.cells, changes: [], addsContact: false, invites: false, leader: false };
		if (!result.success) {
			const errors: PreviewRow['errors'] = {};
			for (const issue of result.error.issues) {
				const key = (issue.path[0] as ImportColumn | undefined) ?? 'row';
				errors[key] ??= issue.message;
			}
			return { ...base, status: 'error', errors };
		}
		const data = result.data;
		const errors: PreviewRow['errors'] = {};
		const leader = leaders.get(data.businessId);
		if (leader) {
			const differing = TENANT_FIELDS.find((f) => leader[f] !== data[f]);
			if (differing) errors[differing] = 'import_error_duplicate_business_id';
		}
		const personEmail = data.personEmail ? normaliseEmail(data.personEmail) : '';
		const tenantId = existing.get(data.businessId);
		let invites = false;
		if (personEmail) {
			if (seenEmails.has(personEmail)) errors.personEmail = 'import_error_duplicate_email';
			else seenEmails.set(personEmail, row.line);
			const holder = users.get(personEmail);
			if (holder === undefined) invites = true;
			else if (holder === null || holder !== tenantId) errors.personEmail = 'error_email_taken';
		}
		if (Object.keys(errors).length) return { ...base, status: 'error', errors };
		if (!leader) leaders.set(data.businessId, data);
		const isLeader = !leader;
		const contactsSoFar = seenContacts.get(data.businessId) ?? new Set<string>();
		seenContacts.set(data.businessId, contactsSoFar);
		if (tenantId && !tenantsSeen.has(tenantId)) {
			const stored = getTenant(db, tenantId)!;
			tenantsSeen.set(tenantId, stored);
			for (const c of stored.contacts) contactsSoFar.add(c.email.toLowerCase());
		}
		const addsContact = Boolean(data.contactEmail) && !contactsSoFar.has(data.contactEmail);
		if (data.contactEmail) contactsSoFar.add(data.contactEmail);
		if (!tenantId) return { ...base, status: 'new', errors, addsContact, invites, leader: isLeader, data };

		const before = tenantsSeen.get(tenantId)!;
		const changes: FieldChange[] = isLeader
			? TENANT_FIELDS.filter((f) => String(before[f]) !== String(data[f])).map((f) => ({
					field: f,
					from: String(before[f]),
					to: String(data[f])
				}))
			: [];
		if (addsContact) changes.push({ field: 'contactEmail', from: '', to: data.contactEmail });
		if (invites) changes.push({ field: 'personEmail', from: '', to: personEmail });
		return {
			...base,
			status: changes.length ? 'change' : 'unchanged',
			errors,
			changes,
			addsContact,
			invites,
			leader: isLeader,
			tenantId,
			data
		};
	});
	const counts = { new: 0, change: 0, unchanged: 0, error: 0 };
	for (const r of rows) counts[r.status]++;
	return { rows, counts };
}

export type Invitation = { email: string; name: string; tenantId: string; roles: Role[]; token: string };
export type ImportOutcome =
	| { ok: true; created: number; updated: number; invitations: Invitation[]; leftOut: number }
	| { ok: false; reason: 'has_errors'; preview: ImportPreview };

/**
 * `all` (the default): nothing is stored if any row has an error. `valid`: the administrator chose
 * to import the rows without errors and leave the others out (they are offered as a download).
 */
export type ImportMode = 'all' | 'valid';

function tenantInput(data: ImportRowData, keep?: Pick<TenantInput, 'serviceIds' | 'serviceUnits'>): TenantInput {
	return {
		name: data.name,
		businessId: data.businessId,
		oid: data.oid,
		soteriRegistration: data.soteriRegistration,
		streetAddress: data.streetAddress,
		postalCode: data.postalCode,
		city: data.city,
		serviceSector: data.serviceSector,
		providerType: data.providerType,
		agreementLanguage: data.agreementLanguage,
		serviceIds: keep?.serviceIds ?? [],
		serviceUnits: (keep?.serviceUnits ?? []).map(({ name, oid }) => ({ name, oid })),
		contacts: []
	};
}

/**
 * Imports the rows in one transaction, validated again inside it (what is stored may have changed
 * since the preview). All or nothing by default: if any row has an error nothing is stored. With
 * `mode: 'valid'` the rows with errors are left out and the others stored; the rows without errors
 * never depend on a row with one (a tenant's fields come from its first row without errors, and
 * a repeated e-mail is the later row's error), so what is stored is what the preview showed for
 * them. Unchanged rows are not touched, so importing the same file twice changes nothing the
 * second time. The invitation links are returned, to be mailed by the caller after the commit.
 */
export function importTenants(db: Db, actor: Actor, csvRows: CsvRow[], now = new Date(), mode: ImportMode = 'all'): ImportOutcome {
	return db.transaction((tx) => {
		const preview = previewTenantImport(tx, csvRows);
		if (preview.counts.error > 0 && mode === 'all') return { ok: false, reason: 'has_errors', preview } as const;
		const accepted = preview.rows.filter((r) => r.status !== 'error');
		// The domain functions open their own (nested: a savepoint) transaction; the outer one decides.
		const inner = tx as unknown as Db;
		let created = 0;
		let updated = 0;
		const invitations: Invitation[] = [];
		// Thousands of people: the invitation's statements prepared once, no savepoint each.
		const invite = personInviter(tx);
		const ids = new Map<string, string>();
		const contactsByTenant = new Map<string, TenantInput['contacts']>();
		for (const r of accepted) {
			if (!r.addsContact) continue;
			const d = r.data!;
			const list = contactsByTenant.get(d.businessId) ?? [];
			list.push({ name: d.contactName, title: '', email: d.contactEmail, phone: d.contactPhone });
			contactsByTenant.set(d.businessId, list);
		}
		for (const row of accepted) {
			const data = row.data!;
			if (row.leader) {
				// The tenant's contacts from every row naming it, stored with its first row.
				const contacts = contactsByTenant.get(data.businessId) ?? [];
				if (!row.tenantId) {
					const result = createTenant(inner, actor, { ...tenantInput(data), contacts }, now);
					if (!result.ok) throw new Error(`Business ID ${data.businessId} taken during import`);
					ids.set(data.businessId, result.id);
					created++;
				} else {
					ids.set(data.businessId, row.tenantId);
					const fieldsChange = row.changes.some((c) => c.field !== 'personEmail' && c.field !== 'contactEmail');
					if (fieldsChange || contacts.length) {
						const before = getTenant(tx, row.tenantId)!;
						const result = updateTenant(
							inner,
							actor,
							row.tenantId,
							{
								...tenantInput(data, before),
								contacts: [...before.contacts.map(({ name, title, email, phone }) => ({ name, title, email, phone })), ...contacts]
							},
							now
						);
						if (!result.ok) throw new Error(`Business ID ${data.businessId} taken during import`);
						updated++;
					}
				}
			}
			const tenantId = ids.get(data.businessId)!;
			if (row.invites) {
				const roles = [data.personRole] as Role[];
				const result = invite(actor, { email: data.personEmail, name: data.personName, tenantId, roles }, now);
				if (!result.ok) throw new Error(`Could not invite ${data.personEmail}: ${result.reason}`);
				invitations.push({ email: normaliseEmail(data.personEmail), name: data.personName, tenantId, roles, token: result.token });
			}
		}
		return { ok: true, created, updated, invitations, leftOut: preview.counts.error } as const;
	});
}
