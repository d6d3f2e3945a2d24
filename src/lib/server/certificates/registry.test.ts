import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { certificate } from '../db/schema';
import { listAuditEntries } from '../audit/audit-log';
import { DEFAULT_SETTINGS, getSettings, saveSetting } from '../settings';
import {
	ADMIN_ACTOR,
	addManualCertificate,
	freshDb,
	insertTenantRow,
	insertUser,
	MAIN_CONNECTOR_HOLDER,
	personHolder
} from '../test-support';
import { parseCertificateFile, type ParsedCertificate } from './x509';
import {
	addCertificate,
	certificateExportChunks,
	countByBucket,
	expiryBucket,
	getCertificate,
	listCertificates,
	listExpiredUnreplaced,
	listToOrder,
	markRenewalOrdered,
	orderByDate,
	renewalChain,
	type Holder
} from './registry';

const DAY_MS = 86_400_000;

interface Generated {
	bytes: Buffer;
	parsed: ParsedCertificate;
	/** What openssl itself reports, to check the parser against. */
	fingerprint: string;
	serial: string;
}

let dir: string;
let first: Generated;
let second: Generated;

function generate(name: string, cn: string): Generated {
	const key = join(dir, `${name}.key.pem`);
	const cert = join(dir, `${name}.pem`);
	execFileSync(
		'openssl',
		['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${cn}/O=Liitos Test/C=FI`],
		{ stdio: 'ignore' }
	);
	const bytes = readFileSync(cert);
	const result = parseCertificateFile(bytes);
	if (!result.ok) throw new Error(`could not parse ${name}: ${result.reason}`);
	const fingerprint = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' })
		.trim()
		.split('=')[1];
	const serial = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-serial'], { encoding: 'utf8' }).trim().split('=')[1];
	return { bytes, parsed: result.certificates[0], fingerprint, serial };
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'liitos-registry-'));
	first = generate('first', 'palvelin.example.fi');
	second = generate('second', 'palvelin.example.fi');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let db: Db;
beforeEach(() => {
	db = freshDb();
});

const upload = (parsed: ParsedCertificate, holder: Holder = MAIN_CONNECTOR_HOLDER, now = new Date()) =>
	addCertificate(db, ADMIN_ACTOR, 'server', holder, { source: 'upload', parsed, reference: 'DVV-123' }, now);

describe('addCertificate from an uploaded file', () => {
	it('stores the parsed fields and only the public certificate', () => {
		const before = Date.now();
		const result = upload(first.parsed);
		expect(result).toEqual({ ok: true, id: expect.any(String), supersededId: null });
		if (!result.ok) return;
		const stored = getCertificate(db, result.id)!;
		expect(stored).toMatchObject({
			kind: 'server',
			holderType: 'main_connector',
			tenantId: null,
			holderUserId: null,
			holderName: MAIN_CONNECTOR_HOLDER.name,
			source: 'upload',
			reference: 'DVV-123',
			keyType: 'RSA',
			keySize: 2048,
			supersedesId: null,
			supersededAt: null,
			createdBy: ADMIN_ACTOR.label
		});
		expect(stored.subject).toContain('CN=palvelin.example.fi');
		expect(stored.issuer).toBe(stored.subject); // self-signed
		expect(stored.fingerprintSha256).toBe(first.fingerprint);
		expect(stored.serialNumber.replace(/^0+/, '')).toBe(first.serial.replace(/^0+/, '').toUpperCase());
		const validDays = (stored.validTo.getTime() - before) / DAY_MS;
		expect(validDays).toBeGreaterThan(29.9);
		expect(validDays).toBeLessThan(30.1);
		expect(stored.validFrom!.getTime()).toBeLessThanOrEqual(Date.now());
		expect(stored.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
		expect(stored.pem).not.toMatch(/PRIVATE KEY/);
		expect(listAuditEntries(db, { action: 'certificate.add', page: 1, pageSize: 10 }).entries.map((e) => e.targetId)).toEqual([result.id]);
	});

	it('refuses a file that carries the private key before anything is stored', () => {
		const withKey = Buffer.concat([readFileSync(join(dir, 'first.key.pem')), first.bytes]);
		expect(parseCertificateFile(withKey)).toEqual({ ok: false, reason: 'private_key' });
	});

	it('reports the same file again as a duplicate with the existing id', () => {
		const result = upload(first.parsed);
		if (!result.ok) throw new Error('first upload failed');
		const again = parseCertificateFile(first.bytes);
		if (!again.ok) throw new Error('parse failed');
		expect(upload(again.certificates[0])).toEqual({ ok: false, reason: 'duplicate', existingId: result.id });
		// Even filed under another holder.
		expect(upload(again.certificates[0], { type: 'tenant', tenantId: insertTenantRow(db), userId: null, name: 'T' })).toEqual({
			ok: false,
			reason: 'duplicate',
			existingId: result.id
		});
		expect(db.select().from(certificate).all()).toHaveLength(1);
		expect(getCertificate(db, result.id)!.supersededAt).toBeNull();
	});

	it('treats a second certificate for the same holder and kind as a renewal', () => {
		const t1 = new Date(Date.now() - 1000);
		const t2 = new Date();
		const old = upload(first.parsed, MAIN_CONNECTOR_HOLDER, t1);
		// Another kind for the same holder is not a renewal.
		const signature = addCertificate(db, ADMIN_ACTOR, 'system_signature', MAIN_CONNECTOR_HOLDER, {
			source: 'manual',
			validTo: new Date(Date.now() + 700 * DAY_MS),
			validFrom: null,
			reference: ''
		});
		const renewed = upload(second.parsed, MAIN_CONNECTOR_HOLDER, t2);
		if (!old.ok || !renewed.ok || !signature.ok) throw new Error('upload failed');
		expect(signature.supersededId).toBeNull();
		expect(renewed.supersededId).toBe(old.id);
		expect(getCertificate(db, old.id)!.supersededAt).toEqual(t2);
		expect(getCertificate(db, renewed.id)).toMatchObject({ supersedesId: old.id, supersededAt: null });
		expect(getCertificate(db, signature.id)!.supersededAt).toBeNull();
		expect(renewalChain(db, renewed.id).map((c) => c.id)).toEqual([old.id, renewed.id]);
		expect(renewalChain(db, old.id).map((c) => c.id)).toEqual([old.id, renewed.id]);
		expect(renewalChain(db, signature.id).map((c) => c.id)).toEqual([signature.id]);
		expect(listAuditEntries(db, { action: 'certificate.supersede', page: 1, pageSize: 10 }).entries.map((e) => e.targetId)).toEqual([
			old.id
		]);
		// A third in the chain.
		const third = addManualCertificate(db, ADMIN_ACTOR, 'server', MAIN_CONNECTOR_HOLDER, new Date(Date.now() + 365 * DAY_MS));
		expect(renewalChain(db, old.id).map((c) => c.id)).toEqual([old.id, renewed.id, third]);
	});
});

describe('manual card entry', () => {
	it('stores a card without file details, one chain per person', () => {
		const tenantId = insertTenantRow(db);
		const anna = insertUser(db, { tenantId, name: 'Anna', roles: ['tenant_staff'] });
		const bert = insertUser(db, { tenantId, name: 'Bert', roles: ['tenant_staff'] });
		const validTo = new Date('2027-05-31T21:00:00Z');
		const validFrom = new Date('2022-06-01T00:00:00Z');
		const result = addCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(anna), {
			source: 'manual',
			validTo,
			validFrom,
			reference: 'Kortti 123'
		});
		const other = addCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(bert), {
			source: 'manual',
			validTo,
			validFrom: null,
			reference: 'Kortti 456'
		});
		if (!result.ok || !other.ok) throw new Error('manual entry failed');
		expect(other.supersededId).toBeNull();
		expect(getCertificate(db, result.id)).toMatchObject({
			kind: 'professional_card',
			holderType: 'person',
			tenantId,
			holderUserId: anna.id,
			holderName: 'Anna',
			source: 'manual',
			reference: 'Kortti 123',
			validTo,
			validFrom,
			pem: null,
			fingerprintSha256: null,
			subject: ''
		});
		// Anna's next card replaces hers only.
		const next = addCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(anna), {
			source: 'manual',
			validTo: new Date('2032-05-31T21:00:00Z'),
			validFrom: null,
			reference: 'Kortti 789'
		});
		expect(next).toMatchObject({ ok: true, supersededId: result.id });
		expect(getCertificate(db, other.id)!.supersededAt).toBeNull();
	});
});

describe('expiryBucket', () => {
	const now = new Date('2025-03-15T10:00:00Z');
	const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
	it.each([
		[-10, 'expired'],
		[0, 'expired'],
		[1 / 86_400_000, 'within_30'],
		[1, 'within_30'],
		[30, 'within_30'],
		[30.5, 'within_60'],
		[60, 'within_60'],
		[60.01, 'within_90'],
		[90, 'within_90'],
		[90.01, 'later'],
		[400, 'later']
	] as const)('%s days ahead is %s', (days, bucket) => {
		expect(expiryBucket(at(days), now)).toBe(bucket);
	});
});

describe('orderByDate', () => {
	const validTo = new Date('2025-12-31T22:00:00Z');
	it('takes the lead days of the kind from the settings', () => {
		expect(orderByDate(validTo, 'server', getSettings(db))).toEqual(new Date(validTo.getTime() - 30 * DAY_MS));
		expect(orderByDate(validTo, 'professional_card', getSettings(db))).toEqual(new Date(validTo.getTime() - 45 * DAY_MS));
		expect(orderByDate(validTo, 'security_assessment', getSettings(db))).toEqual(new Date(validTo.getTime() - 120 * DAY_MS));
	});

	it('follows a changed setting and keeps the defaults of the kinds not changed', () => {
		saveSetting(db, ADMIN_ACTOR, 'orderLeadDays', { ...DEFAULT_SETTINGS.orderLeadDays, server: 60 });
		expect(orderByDate(validTo, 'server', getSettings(db))).toEqual(new Date(validTo.getTime() - 60 * DAY_MS));
		expect(orderByDate(validTo, 'system_signature', getSettings(db))).toEqual(new Date(validTo.getTime() - 30 * DAY_MS));
		// A partial value stored by an older version still merges with the defaults.
		saveSetting(db, ADMIN_ACTOR, 'orderLeadDays', { server: 10 } as typeof DEFAULT_SETTINGS.orderLeadDays);
		expect(getSettings(db).orderLeadDays).toEqual({ ...DEFAULT_SETTINGS.orderLeadDays, server: 10 });
		expect(listAuditEntries(db, { action: 'settings.update', page: 1, pageSize: 10 }).total).toBe(2);
	});
});

describe('listing', () => {
	const now = new Date('2025-03-15T10:00:00Z');
	const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
	let tenantA: string;
	let tenantB: string;
	let ids: Record<string, string>;

	beforeEach(() => {
		tenantA = insertTenantRow(db, crypto.randomUUID(), '2617416-4');
		tenantB = insertTenantRow(db, crypto.randomUUID(), '1572860-0');
		const anna = insertUser(db, { tenantId: tenantA, name: 'Anna Ahonen', roles: ['tenant_staff'] });
		const bo = insertUser(db, { tenantId: tenantB, name: 'Bo Öberg', roles: ['tenant_staff'] });
		const add = (kind: Parameters<typeof addManualCertificate>[2], holder: Holder, days: number) =>
			addManualCertificate(db, ADMIN_ACTOR, kind, holder, at(days), now);
		const oldServer = add('server', MAIN_CONNECTOR_HOLDER, -5); // expired, then renewed
		ids = {
			oldServer,
			server: add('server', MAIN_CONNECTOR_HOLDER, 35),
			signature: add('system_signature', MAIN_CONNECTOR_HOLDER, 500),
			expiredTest: add('server_test', MAIN_CONNECTOR_HOLDER, -1),
			anna: add('professional_card', personHolder(anna), 20),
			bo: add('professional_card', personHolder(bo), 75),
			tenantB: add('security_assessment', { type: 'tenant', tenantId: tenantB, userId: null, name: 'Tenant B' }, 45)
		};
	});

	const page = { page: 1, pageSize: 50 };

	it('lists current certificates soonest first with bucket and order-by date; superseded only on request', () => {
		const { rows, total } = listCertificates(db, page, now);
		expect(total).toBe(6);
		expect(rows.map((r) => r.id)).toEqual([ids.expiredTest, ids.anna, ids.server, ids.tenantB, ids.bo, ids.signature]);
		const server = rows.find((r) => r.id === ids.server)!;
		expect(server).toMatchObject({ bucket: 'within_60', tenantName: null, orderBy: at(5) });
		expect(rows.find((r) => r.id === ids.tenantB)!.tenantName).toBe(`Tenant ${tenantB.slice(0, 4)}`);
		expect(listCertificates(db, { ...page, includeSuperseded: true }, now).total).toBe(7);
		expect(listCertificates(db, { page: 2, pageSize: 4 }, now).rows.map((r) => r.id)).toEqual([ids.bo, ids.signature]);
	});

	it('exports the same rows in parts, each part starting after the last, up to the cap', () => {
		const all = listCertificates(db, page, now).rows;
		const parts = [...certificateExportChunks(db, {}, { chunk: 2, max: 100 }, now)];
		expect(parts.map((p) => p.length)).toEqual([2, 2, 2]);
		expect(parts.flat().map((r) => r.id)).toEqual(all.map((r) => r.id));
		expect(parts.flat()[2]).toMatchObject({ id: ids.server, tenantName: null, orderBy: at(5) });
		expect([...certificateExportChunks(db, {}, { chunk: 4, max: 5 }, now)].map((p) => p.length)).toEqual([4, 1]);
		expect([...certificateExportChunks(db, { kind: 'professional_card' }, { chunk: 1, max: 100 }, now)].flat().map((r) => r.id)).toEqual([
			ids.anna,
			ids.bo
		]);
	});

	it('filters by bucket, kind, tenant, holder type and text', () => {
		const idsOf = (filter: Partial<Parameters<typeof listCertificates>[1]>) =>
			listCertificates(db, { ...page, ...filter }, now).rows.map((r) => r.id);
		expect(idsOf({ bucket: 'expired' })).toEqual([ids.expiredTest]);
		expect(idsOf({ bucket: 'within_30' })).toEqual([ids.anna]);
		expect(idsOf({ bucket: 'within_60' })).toEqual([ids.server, ids.tenantB]);
		expect(idsOf({ bucket: 'within_90' })).toEqual([ids.bo]);
		expect(idsOf({ bucket: 'later' })).toEqual([ids.signature]);
		expect(idsOf({ kind: 'professional_card' })).toEqual([ids.anna, ids.bo]);
		expect(idsOf({ kind: 'server' })).toEqual([ids.server]);
		expect(idsOf({ kind: 'server', includeSuperseded: true })).toEqual([ids.oldServer, ids.server]);
		expect(idsOf({ holderType: 'main_connector' })).toEqual([ids.expiredTest, ids.server, ids.signature]);
		expect(idsOf({ query: 'BERG' })).toEqual([ids.bo]);
		// Case is ignored in every letter, not only in ASCII ones as SQLite's LIKE would.
		expect(idsOf({ query: 'ÖBERG' })).toEqual([ids.bo]);
		expect(idsOf({ query: 'bo öberg' })).toEqual([ids.bo]);
		expect(idsOf({ query: '%' })).toEqual([]);
		expect(idsOf({ kind: 'professional_card', bucket: 'within_90' })).toEqual([ids.bo]);
		expect(listCertificates(db, { ...page, bucket: 'within_60' }, now).total).toBe(2);
	});

	it('scopes to one tenant’s certificates (its own and its staff’s)', () => {
		const rowsA = listCertificates(db, { ...page, tenantId: tenantA }, now).rows;
		expect(rowsA.map((r) => r.id)).toEqual([ids.anna]);
		expect(rowsA.every((r) => r.tenantId === tenantA)).toBe(true);
		expect(listCertificates(db, { ...page, tenantId: tenantB }, now).rows.map((r) => r.id)).toEqual([ids.tenantB, ids.bo]);
		expect(countByBucket(db, { tenantId: tenantB }, now)).toEqual({ expired: 0, within_30: 0, within_60: 1, within_90: 1, later: 0 });
	});

	it('counts current certificates by bucket', () => {
		expect(countByBucket(db, {}, now)).toEqual({ expired: 1, within_30: 1, within_60: 2, within_90: 1, later: 1 });
		expect(countByBucket(db, { includeSuperseded: true }, now)).toEqual({ expired: 2, within_30: 1, within_60: 2, within_90: 1, later: 1 });
		expect(countByBucket(db, { kind: 'professional_card' }, now)).toEqual({
			expired: 0,
			within_30: 1,
			within_60: 0,
			within_90: 1,
			later: 0
		});
	});

	it('lists what must be ordered within 7 days until the renewal is marked ordered', () => {
		// server: expires in 35 days, lead 30 → order by day 5. Anna's card: 20 - 45 → already late.
		// Bo's card: 75 - 45 = day 30; tenant B's assessment: 45 - 120 → late. The expired test one is past
		// ordering: it belongs to the expired list, not to "order this week".
		expect(listToOrder(db, now).map((r) => r.id)).toEqual([ids.anna, ids.server, ids.tenantB]);
		expect(listToOrder(db, at(23)).map((r) => r.id)).toContain(ids.bo);
		expect(listToOrder(db, at(22)).map((r) => r.id)).not.toContain(ids.bo);
		expect(markRenewalOrdered(db, ADMIN_ACTOR, ids.server, 'Tilattu DVV:ltä', now)).toBe(true);
		expect(getCertificate(db, ids.server)).toMatchObject({ renewalOrderedAt: now, renewalNote: 'Tilattu DVV:ltä' });
		expect(listToOrder(db, now).map((r) => r.id)).not.toContain(ids.server);
		// A superseded certificate cannot be marked, nor is it listed.
		expect(markRenewalOrdered(db, ADMIN_ACTOR, ids.oldServer, 'x', now)).toBe(false);
		expect(markRenewalOrdered(db, ADMIN_ACTOR, 'no-such-id', 'x', now)).toBe(false);
		expect(listToOrder(db, now).map((r) => r.id)).not.toContain(ids.oldServer);
		expect(listAuditEntries(db, { action: 'certificate.renewal_ordered', page: 1, pageSize: 10 }).entries.map((e) => e.targetId)).toEqual([
			ids.server
		]);
		// A longer lead time brings a certificate into the list.
		saveSetting(db, ADMIN_ACTOR, 'orderLeadDays', { ...DEFAULT_SETTINGS.orderLeadDays, system_signature: 495 });
		expect(listToOrder(db, now).map((r) => r.id)).toContain(ids.signature);
		expect(listToOrder(db, now, 7, 2)).toHaveLength(2);
	});

	it('lists expired certificates that nothing replaced apart from those to order, and drops them once renewed', () => {
		expect(listExpiredUnreplaced(db, now)).toMatchObject({ total: 1, rows: [{ id: ids.expiredTest }] });
		// Anna's card expires on day 20: from then on it is expired, no longer to order.
		expect(listExpiredUnreplaced(db, at(21)).rows.map((r) => r.id)).toEqual([ids.anna, ids.expiredTest]);
		expect(listToOrder(db, at(21)).map((r) => r.id)).not.toContain(ids.anna);
		// A renewal (a new certificate for the same holder and kind) supersedes the expired one.
		addManualCertificate(db, ADMIN_ACTOR, 'server_test', MAIN_CONNECTOR_HOLDER, at(365), now);
		expect(listExpiredUnreplaced(db, now)).toEqual({ total: 0, rows: [] });
	});
});

describe('the dashboard’s “to order this week” on a fixed day', () => {
	it('lists a certificate that expired ten days ago as expired, never as to order (seen on the demo data)', () => {
		const fresh = freshDb();
		const today = new Date('2026-12-06T08:00:00Z');
		const expired = addManualCertificate(fresh, ADMIN_ACTOR, 'server', MAIN_CONNECTOR_HOLDER, new Date('2026-11-26T21:59:59Z'), today);
		const dueSoon = addManualCertificate(fresh, ADMIN_ACTOR, 'server_test', MAIN_CONNECTOR_HOLDER, new Date('2026-12-20T21:59:59Z'), today);
		expect(listToOrder(fresh, today).map((r) => r.id)).toEqual([dueSoon]);
		expect(listExpiredUnreplaced(fresh, today)).toMatchObject({ total: 1, rows: [{ id: expired }] });
	});
});

describe('the certificate list filtered by month (where the dashboard chart leads)', () => {
	it('lists the current certificates expiring in that Finnish calendar month', () => {
		const fresh = freshDb();
		const today = new Date('2026-12-06T08:00:00Z');
		const december = addManualCertificate(fresh, ADMIN_ACTOR, 'server', MAIN_CONNECTOR_HOLDER, new Date('2026-12-31T21:30:00Z'), today);
		// 00:30 on 1 January in Finland.
		const january = addManualCertificate(
			fresh,
			ADMIN_ACTOR,
			'system_signature',
			MAIN_CONNECTOR_HOLDER,
			new Date('2026-12-31T22:30:00Z'),
			today
		);
		const ids = (month: string) => listCertificates(fresh, { month, page: 1, pageSize: 10 }, today).rows.map((r) => r.id);
		expect(ids('2026-12')).toEqual([december]);
		expect(ids('2027-01')).toEqual([january]);
		expect(countByBucket(fresh, { month: '2027-01' }, today)).toMatchObject({ expired: 0, within_30: 1 });
	});
});
