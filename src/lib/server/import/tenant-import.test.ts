import { verifyAuditChain } from '../audit/audit-log';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { auditEntry, emailToken, tenant, tenantContact, user } from '../db/schema';
import { ADMIN_ACTOR, freshDb, tenantInput } from '../test-support';
import { createTenant, getTenant } from '../tenants/tenants';
import { readTenantCsv, templateHeaders, type CsvRow } from './tenant-csv';
import { importTenants, previewTenantImport } from './tenant-import';

const T0 = new Date('2025-06-01T12:00:00Z');
const BOM = '\uFEFF';
const bytes = (text: string) => new TextEncoder().encode(text);

const FI_HEADER =
	'Nimi;Y-tunnus;OID;Soteri-numero;Katuosoite;Postinumero;Postitoimipaikka;Sektori;Palveluntuottajan tyyppi;Yhteyshenkilö;Yhteyshenkilön sähköposti;Kutsuttavan nimi;Kutsuttavan sähköposti;Kutsuttavan rooli';
const ROW_A =
	'Hammaslääkäri Virtanen;2617416-4;1.2.246.10.26174164;S-123;Mannerheimintie 1;00100;Helsinki;terveydenhuolto;yksityinen;Aino Virtanen;aino@virtanen.fi;Eero Virtanen;eero@virtanen.fi;tenant_admin';
const ROW_B = '"Hoivakoti Onni; Oy";1572860-0;1.2.246.10.15728600;;"Kauppakatu 2\nB-rappu";33100;Tampere;social_welfare;private;;;;;';
/** The Finnish Excel way: BOM, `;`, CRLF. */
const FI_FILE = BOM + [FI_HEADER, ROW_A, ROW_B].join('\r\n') + '\r\n';

function rowsOf(text: string): CsvRow[] {
	const read = readTenantCsv(bytes(text));
	if (!read.ok) throw new Error(JSON.stringify(read.problem));
	return read.rows;
}

let db: Db;
beforeEach(() => {
	db = freshDb();
});

describe('readTenantCsv', () => {
	it('reads `;` with a BOM and CRLF, quoted separators and quoted line breaks', () => {
		const read = readTenantCsv(bytes(FI_FILE));
		expect(read.ok && read.separator).toBe(';');
		if (!read.ok) return;
		expect(read.rows).toHaveLength(2);
		expect(read.rows[0].cells.name).toBe('Hammaslääkäri Virtanen');
		expect(read.rows[1].cells.name).toBe('Hoivakoti Onni; Oy');
		expect(read.rows[1].cells.streetAddress).toBe('Kauppakatu 2\nB-rappu');
	});

	it('reads a line break inside a cell as LF whether the file had CRLF or LF', () => {
		const crlf = readTenantCsv(bytes(FI_FILE.replace('2\nB-rappu', '2\r\nB-rappu')));
		expect(crlf.ok && crlf.rows[1].cells.streetAddress).toBe('Kauppakatu 2\nB-rappu');
	});

	it('reads `,` without a BOM, with English headers and quoted commas', () => {
		const text =
			'Name,Business ID,OID,Street address,Postal code,City,Sector,Provider type\n"Virtanen, Hammas",2617416-4,1.2.246.10.26174164,Street 1,00100,Helsinki,health_care,private\n';
		const read = readTenantCsv(bytes(text));
		expect(read.ok && read.separator).toBe(',');
		expect(read.ok && read.rows[0].cells.name).toBe('Virtanen, Hammas');
	});

	it('accepts the Swedish template headers', () => {
		const text = templateHeaders('sv').join(';') + '\r\n';
		const read = readTenantCsv(bytes(text + 'X;2617416-4;1.2.3;;Gata 1;00100;Helsingfors;health_care;private;;;;;;;\r\n'));
		expect(read.ok).toBe(true);
	});

	it('refuses too large files, too many rows, bad UTF-8, unknown and missing columns, broken quotes', () => {
		expect(readTenantCsv(bytes(FI_FILE), { bytes: 10, rows: 10 })).toEqual({ ok: false, problem: { code: 'too_large', limit: 10 } });
		const many = FI_HEADER + '\n' + Array.from({ length: 4 }, () => ROW_A).join('\n');
		expect(readTenantCsv(bytes(many), { bytes: 1e6, rows: 3 })).toEqual({ ok: false, problem: { code: 'too_many_rows', limit: 3 } });
		expect(readTenantCsv(new Uint8Array([0x4e, 0xff, 0xfe, 0x0a]))).toEqual({ ok: false, problem: { code: 'not_utf8' } });
		expect(readTenantCsv(bytes('Nimi;Kenkäkoko\nA;42\n'))).toMatchObject({
			ok: false,
			problem: { code: 'unknown_columns', columns: ['Kenkäkoko'] }
		});
		expect(readTenantCsv(bytes('Nimi;Y-tunnus\nA;2617416-4\n'))).toMatchObject({ ok: false, problem: { code: 'missing_columns' } });
		expect(readTenantCsv(bytes(FI_HEADER + '\n"unclosed;2617416-4\n'))).toMatchObject({ ok: false, problem: { code: 'malformed' } });
		expect(readTenantCsv(bytes(''))).toEqual({ ok: false, problem: { code: 'empty' } });
	});
});

describe('previewTenantImport', () => {
	it('marks new rows and stores nothing', () => {
		const preview = previewTenantImport(db, rowsOf(FI_FILE));
		expect(preview.counts).toEqual({ new: 2, change: 0, unchanged: 0, error: 0 });
		expect(preview.rows[0].data?.serviceSector).toBe('health_care');
		expect(preview.rows[0].data?.providerType).toBe('private');
		expect(db.select().from(tenant).all()).toHaveLength(0);
	});

	it('reports errors per cell: check digit, OID, e-mail, role, unknown sector', () => {
		const bad = 'Bad;2617416-5;not-an-oid;;Street 1;001;Helsinki;space;private;;;P;p@;mc_admin';
		const preview = previewTenantImport(db, rowsOf(FI_HEADER + '\r\n' + bad + '\r\n'));
		expect(preview.rows[0]).toMatchObject({
			status: 'error',
			line: 2,
			errors: {
				businessId: 'error_business_id_invalid',
				oid: 'error_oid_invalid',
				postalCode: 'error_postal_code_invalid',
				serviceSector: 'import_error_unknown_value',
				personEmail: 'error_email_invalid',
				personRole: 'import_error_role'
			}
		});
	});

	it('marks a business ID repeated with different tenant data as an error on the later row', () => {
		const preview = previewTenantImport(
			db,
			rowsOf([FI_HEADER, ROW_A, ROW_A.replace('eero@', 'toinen@').replace(';Helsinki;', ';Espoo;')].join('\n'))
		);
		expect(preview.rows.map((r) => r.status)).toEqual(['new', 'error']);
		expect(preview.rows[1].errors.city).toBe('import_error_duplicate_business_id');
	});

	it('takes a business ID repeated with the same data as another person of the same tenant', () => {
		const second = ROW_A.replace('Eero Virtanen;eero@', 'Toinen;toinen@').replace('Aino Virtanen;aino@', 'Bertta;bertta@');
		const outcome = importTenants(db, ADMIN_ACTOR, rowsOf([FI_HEADER, ROW_A, second].join('\n')), T0);
		expect(outcome).toMatchObject({ ok: true, created: 1 });
		expect(outcome.ok && outcome.invitations.map((i) => i.email)).toEqual(['eero@virtanen.fi', 'toinen@virtanen.fi']);
		expect(
			db
				.select()
				.from(tenantContact)
				.all()
				.map((c) => c.email)
				.sort()
		).toEqual(['aino@virtanen.fi', 'bertta@virtanen.fi']);
		expect(previewTenantImport(db, rowsOf([FI_HEADER, ROW_A, second].join('\n'))).counts).toMatchObject({ unchanged: 2 });
	});

	it('marks an e-mail repeated in the file as an error', () => {
		const preview = previewTenantImport(db, rowsOf([FI_HEADER, ROW_A, ROW_A].join('\n')));
		expect(preview.rows[1].errors.personEmail).toBe('import_error_duplicate_email');
	});

	it('shows a row matching a stored tenant by business ID as changes, old → new', () => {
		createTenant(db, ADMIN_ACTOR, tenantInput({ name: 'Vanha nimi', city: 'Espoo' }), T0);
		const preview = previewTenantImport(db, rowsOf([FI_HEADER, ROW_A].join('\n')));
		expect(preview.rows[0].status).toBe('change');
		expect(preview.rows[0].changes).toEqual(
			expect.arrayContaining([
				{ field: 'name', from: 'Vanha nimi', to: 'Hammaslääkäri Virtanen' },
				{ field: 'city', from: 'Espoo', to: 'Helsinki' },
				{ field: 'personEmail', from: '', to: 'eero@virtanen.fi' }
			])
		);
	});

	it('refuses a person e-mail that belongs to someone in another organisation', () => {
		db.insert(user).values({ id: 'u1', email: 'eero@virtanen.fi', name: 'Eero', tenantId: null, status: 'active', createdAt: T0 }).run();
		const preview = previewTenantImport(db, rowsOf([FI_HEADER, ROW_A].join('\n')));
		expect(preview.rows[0].errors.personEmail).toBe('error_email_taken');
	});
});

describe('importTenants', () => {
	it('creates tenants, contacts and invited people with audit entries, and returns the links to mail', () => {
		const outcome = importTenants(db, ADMIN_ACTOR, rowsOf(FI_FILE), T0);
		expect(outcome).toMatchObject({ ok: true, created: 2, updated: 0 });
		if (!outcome.ok) return;
		expect(outcome.invitations).toHaveLength(1);
		expect(outcome.invitations[0]).toMatchObject({ email: 'eero@virtanen.fi', roles: ['tenant_admin'] });
		expect(db.select().from(tenant).all()).toHaveLength(2);
		expect(db.select().from(tenantContact).all()).toHaveLength(1);
		expect(db.select().from(emailToken).all()).toHaveLength(1);
		const actions = db
			.select()
			.from(auditEntry)
			.all()
			.map((a) => a.action);
		expect(actions.filter((a) => a === 'tenant.create')).toHaveLength(2);
		expect(actions).toContain('person.invite');
		// The invitations' entries (prepared once for the batch) chain in between the tenants' own.
		expect(verifyAuditChain(db)).toEqual({ ok: true, count: actions.length });
	});

	it('re-importing the same file changes nothing', () => {
		importTenants(db, ADMIN_ACTOR, rowsOf(FI_FILE), T0);
		const auditBefore = db.select().from(auditEntry).all().length;
		expect(previewTenantImport(db, rowsOf(FI_FILE)).counts).toEqual({ new: 0, change: 0, unchanged: 2, error: 0 });
		const again = importTenants(db, ADMIN_ACTOR, rowsOf(FI_FILE), T0);
		expect(again).toMatchObject({ ok: true, created: 0, updated: 0, invitations: [] });
		expect(db.select().from(auditEntry).all()).toHaveLength(auditBefore);
	});

	it('updates a stored tenant keeping its services, units and contacts', () => {
		const created = createTenant(
			db,
			ADMIN_ACTOR,
			tenantInput({ name: 'Vanha', contacts: [{ name: 'K', title: '', email: 'k@x.fi', phone: '' }] }),
			T0
		);
		const outcome = importTenants(db, ADMIN_ACTOR, rowsOf([FI_HEADER, ROW_A].join('\n')), T0);
		expect(outcome).toMatchObject({ ok: true, created: 0, updated: 1 });
		const after = getTenant(db, created.ok ? created.id : '')!;
		expect(after.name).toBe('Hammaslääkäri Virtanen');
		expect(after.contacts.map((c) => c.email).sort()).toEqual(['aino@virtanen.fi', 'k@x.fi']);
	});

	it('stores nothing when any row has an error (all or nothing)', () => {
		const outcome = importTenants(db, ADMIN_ACTOR, rowsOf([FI_HEADER, ROW_A, ROW_A].join('\n')), T0);
		expect(outcome.ok).toBe(false);
		expect(db.select().from(tenant).all()).toHaveLength(0);
		expect(db.select().from(user).all()).toHaveLength(0);
	});
});

describe('in the untrusted-file worker', () => {
	it('reads the file in a worker thread', async () => {
		const { runUntrusted } = await import('../untrusted/sandbox');
		const result = await runUntrusted('tenantCsv', bytes(FI_FILE));
		expect(result.ok && result.value.ok && result.value.rows.length).toBe(2);
	});
});

describe('importTenants: the valid rows only, when the administrator chooses so', () => {
	const BAD_CHECK_DIGIT = 'Väärä;2617416-5;1.2.246.10.1;;Katu 1;00100;Helsinki;health_care;private;;;;;';
	const SAME_EMAIL = ROW_A.replace('Hammaslääkäri Virtanen;2617416-4', 'Toinen Oy;3100001-1').replace(
		'Aino Virtanen;aino@',
		'Bertta;bertta@'
	);
	const FILE = [FI_HEADER, ROW_A, BAD_CHECK_DIGIT, ROW_B, SAME_EMAIL].join('\r\n');

	it('stores only the rows without errors, with their audit entries; the default still refuses the file', () => {
		const rows = rowsOf(FILE);
		expect(importTenants(db, ADMIN_ACTOR, rows, T0)).toMatchObject({ ok: false, reason: 'has_errors' });
		expect(db.select().from(tenant).all()).toHaveLength(0);

		const outcome = importTenants(db, ADMIN_ACTOR, rows, T0, 'valid');
		expect(outcome).toMatchObject({ ok: true, created: 2, updated: 0, leftOut: 2 });
		expect(outcome.ok && outcome.invitations.map((i) => i.email)).toEqual(['eero@virtanen.fi']);
		expect(
			db
				.select()
				.from(tenant)
				.all()
				.map((t) => t.businessId)
				.sort()
		).toEqual(['1572860-0', '2617416-4']);
		expect(
			db
				.select()
				.from(tenantContact)
				.all()
				.map((c) => c.email)
		).toEqual(['aino@virtanen.fi']);
		const actions = db
			.select()
			.from(auditEntry)
			.all()
			.map((a) => a.action);
		expect(actions.filter((a) => a === 'tenant.create')).toHaveLength(2);
		expect(actions.filter((a) => a === 'person.invite')).toHaveLength(1);
		expect(verifyAuditChain(db)).toEqual({ ok: true, count: actions.length });
	});

	it('importing the same file again the same way changes nothing, and the rows left out stay errors', () => {
		importTenants(db, ADMIN_ACTOR, rowsOf(FILE), T0, 'valid');
		const auditBefore = db.select().from(auditEntry).all().length;
		const preview = previewTenantImport(db, rowsOf(FILE));
		expect(preview.counts).toEqual({ new: 0, change: 0, unchanged: 2, error: 2 });
		expect(preview.rows.filter((r) => r.status === 'error').map((r) => r.line)).toEqual([3, 5]);
		const again = importTenants(db, ADMIN_ACTOR, rowsOf(FILE), T0, 'valid');
		expect(again).toMatchObject({ ok: true, created: 0, updated: 0, invitations: [], leftOut: 2 });
		expect(db.select().from(auditEntry).all()).toHaveLength(auditBefore);
	});
});
