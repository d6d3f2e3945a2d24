import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index';
import { certificate, tenant, trainingRecord, type CertificateKind, type Role, type TenantStage } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit/audit-log';
import { acknowledge, createInstruction, currentVersion } from '../instructions/instructions';
import {
	ADMIN_ACTOR,
	addManualCertificate,
	freshDb,
	insertTenantRow,
	insertUser,
	MAIN_CONNECTOR_HOLDER,
	personHolder
} from '../test-support';
import {
	addTrainingRecord,
	anyoneMissingTraining,
	countPeopleMissingTraining,
	listModules,
	peopleMissingTraining,
	seedDefaultTrainingModules
} from '../training/training';
import { getChecklist, syncChecklist } from '../prerequisites/checklist';
import { addMissingDefaults } from '../prerequisites/catalogue';
import {
	certificateExpiriesByMonth,
	dashboardAggregates,
	instructionCoverageSummary,
	tenantGlance,
	tenantPeopleGlance,
	tenantStagesByMonth,
	type CardState
} from './overview';

let db: Db;
beforeEach(() => {
	db = freshDb();
});

// 6 December 2026, in the morning in Finland.
const today = new Date('2026-12-06T08:00:00Z');
const at = (iso: string) => new Date(iso);

describe('certificateExpiriesByMonth', () => {
	it('counts current certificates per Finnish month by series, expired ones apart', () => {
		const person = insertUser(db, { tenantId: insertTenantRow(db), roles: ['tenant_staff'] });
		// Expired ten days ago: overdue, never in a month column.
		addManualCertificate(db, ADMIN_ACTOR, 'server', MAIN_CONNECTOR_HOLDER, at('2026-11-26T21:59:59Z'), today);
		// Later this month, and on the last evening of December in Finland (still December there).
		addManualCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(person), at('2026-12-20T10:00:00Z'), today);
		addManualCertificate(db, ADMIN_ACTOR, 'server_test', MAIN_CONNECTOR_HOLDER, at('2026-12-31T21:30:00Z'), today);
		// 1 January 00:30 in Finland is January.
		addManualCertificate(db, ADMIN_ACTOR, 'system_signature', MAIN_CONNECTOR_HOLDER, at('2026-12-31T22:30:00Z'), today);
		addManualCertificate(db, ADMIN_ACTOR, 'security_assessment', MAIN_CONNECTOR_HOLDER, at('2027-11-15T10:00:00Z'), today);
		// Beyond the twelve months: not counted.
		addManualCertificate(db, ADMIN_ACTOR, 'system_signature_test', MAIN_CONNECTOR_HOLDER, at('2027-12-02T10:00:00Z'), today);

		const result = certificateExpiriesByMonth(db, today);
		expect(result.overdue).toEqual({ server: 1, signature: 0, card: 0, assessment: 0 });
		expect(result.months.map((m) => m.month)).toEqual([
			'2026-12-01',
			'2027-01-01',
			'2027-02-01',
			'2027-03-01',
			'2027-04-01',
			'2027-05-01',
			'2027-06-01',
			'2027-07-01',
			'2027-08-01',
			'2027-09-01',
			'2027-10-01',
			'2027-11-01'
		]);
		expect(result.months[0].counts).toEqual({ server: 1, signature: 0, card: 1, assessment: 0 });
		expect(result.months[1].counts).toEqual({ server: 0, signature: 1, card: 0, assessment: 0 });
		expect(result.months[11].counts).toEqual({ server: 0, signature: 0, card: 0, assessment: 1 });
		const total = result.months.reduce((sum, m) => sum + Object.values(m.counts).reduce((a, b) => a + b, 0), 0);
		expect(total).toBe(4);
	});

	it('leaves out superseded certificates', () => {
		addManualCertificate(db, ADMIN_ACTOR, 'server', MAIN_CONNECTOR_HOLDER, at('2026-12-20T10:00:00Z'), today);
		// The renewal supersedes the first one.
		addManualCertificate(db, ADMIN_ACTOR, 'server', MAIN_CONNECTOR_HOLDER, at('2027-12-20T10:00:00Z'), today);
		const result = certificateExpiriesByMonth(db, today);
		expect(result.months[0].counts.server).toBe(0);
		expect(db.select().from(certificate).all()).toHaveLength(2);
	});
});

describe('tenantStagesByMonth', () => {
	function tenantSince(createdAt: string, stage: TenantStage, businessId: string): string {
		const id = insertTenantRow(db, crypto.randomUUID(), businessId);
		db.update(tenant)
			.set({ createdAt: at(createdAt), stage })
			.where(eq(tenant.id, id))
			.run();
		return id;
	}
	const changed = (tenantId: string, when: string, from: TenantStage, to: TenantStage, suffix = '') =>
		recordAudit(db, {
			actor: { id: null, label: 'admin@example.fi' },
			tenantId,
			action: 'tenant.stage_change',
			targetType: 'tenant',
			targetId: tenantId,
			summary: `${from} → ${to}${suffix}`,
			at: at(when)
		});

	it('counts each month’s tenants by the stage they were in at its end, walking back through the audit log', () => {
		// A: invited in Jan 2026, onboarding in March, agreement signed in October.
		const a = tenantSince('2026-01-10T10:00:00Z', 'agreement_signed', '2617416-4');
		changed(a, '2026-03-15T10:00:00Z', 'invited', 'onboarding');
		changed(a, '2026-10-05T10:00:00Z', 'onboarding', 'agreement_signed', ' (agreement)');
		// B: created in August, still invited.
		tenantSince('2026-08-20T10:00:00Z', 'invited', '1572860-0');
		// C: created long ago, archived in May 2026.
		const c = tenantSince('2025-01-10T10:00:00Z', 'onboarding', '0737546-2');
		db.update(tenant)
			.set({ archivedAt: at('2026-05-10T10:00:00Z') })
			.where(eq(tenant.id, c))
			.run();

		const { months } = tenantStagesByMonth(db, today);
		expect(months).toHaveLength(12);
		expect(months[0].month).toBe('2026-01-01');
		expect(months.at(-1)!.month).toBe('2026-12-01');
		const byMonth = Object.fromEntries(months.map((m) => [m.month, m.counts]));
		// End of January: A invited, C onboarding.
		expect(byMonth['2026-01-01']).toMatchObject({ invited: 1, onboarding: 1, agreement_signed: 0 });
		// End of March: A onboarding, C onboarding.
		expect(byMonth['2026-03-01']).toMatchObject({ invited: 0, onboarding: 2 });
		// End of May: C archived.
		expect(byMonth['2026-05-01']).toMatchObject({ invited: 0, onboarding: 1 });
		// End of August: B arrives.
		expect(byMonth['2026-08-01']).toMatchObject({ invited: 1, onboarding: 1 });
		// End of October and now: A signed.
		expect(byMonth['2026-10-01']).toMatchObject({ invited: 1, onboarding: 0, agreement_signed: 1 });
		expect(byMonth['2026-12-01']).toMatchObject({ invited: 1, onboarding: 0, agreement_signed: 1 });
	});

	it('counts the current month afresh while the past months are kept for the day', () => {
		const a = tenantSince('2026-01-10T10:00:00Z', 'invited', '2617416-4');
		expect(tenantStagesByMonth(db, today).months.at(-1)!.counts.invited).toBe(1);
		db.update(tenant).set({ stage: 'onboarding' }).where(eq(tenant.id, a)).run();
		changed(a, '2026-12-06T09:00:00Z', 'invited', 'onboarding');
		const later = new Date('2026-12-06T10:00:00Z');
		const { months } = tenantStagesByMonth(db, later);
		expect(months.at(-1)!.counts).toMatchObject({ invited: 0, onboarding: 1 });
		expect(months.at(-2)!.counts).toMatchObject({ invited: 1, onboarding: 0 });
	});
});

describe('instructionCoverageSummary', () => {
	it('gives acknowledged and total people for each instruction in use that asks for acknowledgement', () => {
		const tenantId = insertTenantRow(db);
		const people = [0, 1, 2].map(() => insertUser(db, { tenantId, roles: ['tenant_staff'] }));
		const content = { titleFi: 'Korttien käsittely', titleSv: 'Korthantering', bodyFi: 'x', bodySv: 'x', titleEn: null, bodyEn: null };
		const settings = {
			category: 'card_handling' as const,
			allTenants: true,
			tenantIds: [],
			audience: 'all_staff' as const,
			requiresAck: true
		};
		const id = createInstruction(db, ADMIN_ACTOR, settings, content);
		createInstruction(db, ADMIN_ACTOR, { ...settings, requiresAck: false }, { ...content, titleFi: 'Tiedoksi' });
		const version = currentVersion(db, id)!;
		const reader: SessionUser = { id: people[0].id, email: people[0].email, name: people[0].name, tenantId, roles: ['tenant_staff'] };
		acknowledge(db, reader, id, version.id, 'fi', { ipAddress: '', userAgent: '' });
		const t0 = new Date('2026-12-06T08:00:00Z');
		expect(instructionCoverageSummary(db, 8, t0).bars).toEqual([
			{ id, titles: { fi: 'Korttien käsittely', sv: 'Korthantering', en: null }, acknowledged: 1, total: 3 }
		]);
		// Kept for a minute, then counted again.
		const second: SessionUser = { ...reader, id: people[1].id, email: people[1].email };
		acknowledge(db, second, id, version.id, 'fi', { ipAddress: '', userAgent: '' });
		expect(instructionCoverageSummary(db, 8, new Date(t0.getTime() + 30_000)).bars[0].acknowledged).toBe(1);
		expect(instructionCoverageSummary(db, 8, new Date(t0.getTime() + 61_000)).bars[0].acknowledged).toBe(2);
	});
});

describe('dashboardAggregates', () => {
	it('gives the expiry chart and the tenants needing attention, kept for a minute, then counted again', () => {
		const t0 = new Date('2026-12-06T08:00:00Z');
		addManualCertificate(db, ADMIN_ACTOR, 'server', MAIN_CONNECTOR_HOLDER, at('2026-12-20T10:00:00Z'), t0);
		const first = dashboardAggregates(db, t0);
		expect(first).toEqual({ expiries: certificateExpiriesByMonth(db, t0), attention: [], countedAt: t0 });
		expect(first.expiries.months[0].counts.server).toBe(1);
		addManualCertificate(db, ADMIN_ACTOR, 'server_test', MAIN_CONNECTOR_HOLDER, at('2026-12-21T10:00:00Z'), t0);
		const soon = dashboardAggregates(db, new Date(t0.getTime() + 30_000));
		expect(soon.countedAt).toEqual(t0);
		expect(soon.expiries.months[0].counts.server).toBe(1);
		const later = new Date(t0.getTime() + 61_000);
		expect(dashboardAggregates(db, later)).toEqual({ expiries: certificateExpiriesByMonth(db, later), attention: [], countedAt: later });
		expect(dashboardAggregates(db, later).expiries.months[0].counts.server).toBe(2);
	});
});

describe('tenantPeopleGlance', () => {
	it('gives each active person’s required training held and the validity of their newest card', () => {
		if (listModules(db).length === 0) seedDefaultTrainingModules(db);
		const tenantId = insertTenantRow(db);
		const other = insertTenantRow(db, crypto.randomUUID(), '1572860-0');
		const anna = insertUser(db, { name: 'Anna', tenantId, roles: ['tenant_staff'] });
		const bo = insertUser(db, { name: 'Bo', tenantId, roles: ['tenant_staff'] });
		const cecilia = insertUser(db, { name: 'Cecilia', tenantId, roles: ['tenant_staff'] });
		insertUser(db, { name: 'Gone', tenantId, roles: ['tenant_staff'], status: 'deactivated' });
		const stranger = insertUser(db, { name: 'Stranger', tenantId: other, roles: ['tenant_staff'] });
		const modules = listModules(db).filter((mod) => mod.requiredForRoles.includes('tenant_staff'));
		for (const mod of modules)
			addTrainingRecord(db, ADMIN_ACTOR, { moduleId: mod.id, userId: anna.id, completedOn: '2026-11-01' }, true, today);
		addTrainingRecord(db, ADMIN_ACTOR, { moduleId: modules[0].id, userId: bo.id, completedOn: '2026-11-01' }, false, today);
		addManualCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(anna), at('2029-01-01T10:00:00Z'), today);
		addManualCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(bo), at('2027-01-15T10:00:00Z'), today);
		addManualCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(cecilia), at('2026-11-26T10:00:00Z'), today);
		addManualCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(stranger), at('2029-01-01T10:00:00Z'), today);

		const glance = tenantPeopleGlance(db, tenantId, today);
		expect(glance.map((p) => p.name).sort()).toEqual(['Anna', 'Bo', 'Cecilia']);
		const byName = Object.fromEntries(glance.map((p) => [p.name, p]));
		expect(byName.Anna.training).toEqual({ required: modules.length, valid: modules.length, awaiting: 0 });
		expect(byName.Bo.training).toEqual({ required: modules.length, valid: 0, awaiting: 1 });
		expect(byName.Anna.card.state).toBe('valid');
		expect(byName.Bo.card.state).toBe('expiring');
		expect(byName.Cecilia.card).toEqual({ state: 'expired', validTo: at('2026-11-26T10:00:00Z') });
	});
});

describe('tenantGlance', () => {
	/** A small deterministic generator (mulberry32), so a failing case can be run again. */
	function random(seed: number) {
		return () => {
			seed = (seed + 0x6d2b79f5) | 0;
			let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
			t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
	}

	it('counts in SQL what the glance of everyone gives person by person, and names the same first rows', () => {
		const metSeen: boolean[] = [];
		for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
			db = freshDb();
			if (listModules(db).length === 0) seedDefaultTrainingModules(db);
			addMissingDefaults(db);
			const modules = listModules(db);
			const rnd = random(seed);
			const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
			const tenantId = insertTenantRow(db);
			const other = insertTenantRow(db, crypto.randomUUID(), '1572860-0');
			syncChecklist(db, tenantId);
			const roleSets: Role[][] = [['tenant_staff'], ['tenant_admin'], ['tenant_staff', 'tenant_admin'], []];
			// Every third tenant small and diligent (everyone trained and carded, so its items are met).
			const diligent = seed % 3 === 0;
			const rolesOf: Role[][] = [];
			const people = Array.from({ length: diligent ? 1 + Math.floor(rnd() * 4) : 12 + Math.floor(rnd() * 30) }, (_, i) =>
				insertUser(db, {
					// Repeated names: the order falls back on the id, as the page's does.
					name: `Person ${String(Math.floor(rnd() * 20)).padStart(2, '0')} ${i % 3 === 0 ? 'A' : ''}`,
					tenantId: rnd() < 0.9 ? tenantId : other,
					status: pick(['active', 'active', 'active', 'invited', 'deactivated'] as const),
					roles: (rolesOf[i] = pick(roleSets))
				})
			);
			const days = ['2024-01-01', '2026-12-05', '2026-12-06', '2026-12-07', '2027-06-01', null];
			for (const [i, person] of people.entries()) {
				for (const module of modules) {
					const n = Math.floor(rnd() * 3);
					for (let k = 0; k < n; k++)
						db.insert(trainingRecord)
							.values({
								id: crypto.randomUUID(),
								moduleId: module.id,
								userId: person.id,
								// Now and then a record kept under another tenant: neither form counts it.
								tenantId: rnd() < 0.9 ? person.tenantId : other,
								completedOn: '2024-01-01',
								validUntil: pick(days),
								confirmed: rnd() < 0.7,
								createdBy: 'test'
							})
							.run();
				}
				if (diligent) {
					for (const module of modules)
						addTrainingRecord(db, ADMIN_ACTOR, { moduleId: module.id, userId: person.id, completedOn: '2026-11-01' }, true, today);
					// Cards are asked of professionals only: an administrator without one changes nothing.
					if (rolesOf[i].includes('tenant_staff'))
						addManualCertificate(db, ADMIN_ACTOR, 'staff_card', personHolder(person), at('2029-01-01T10:00:00Z'), today);
					continue;
				}
				const kinds: CertificateKind[] = ['professional_card', 'staff_card', 'replacement_card', 'server'];
				const cards = Math.floor(rnd() * 3);
				for (let k = 0; k < cards; k++) {
					const validTo = new Date(today.getTime() + Math.floor((rnd() - 0.3) * 400) * 86_400_000 + Math.floor(rnd() * 3) * 3_600_000);
					const id = addManualCertificate(db, ADMIN_ACTOR, pick(kinds), personHolder(person), validTo, today);
					if (rnd() < 0.2) db.update(certificate).set({ supersededAt: today }).where(eq(certificate.id, id)).run();
				}
			}

			const everyone = tenantPeopleGlance(db, tenantId, today);
			const cards: Record<CardState, number> = { valid: 0, expiring: 0, expired: 0, none: 0 };
			for (const p of everyone) cards[p.card.state]++;
			for (const rows of [1, 5, 25]) {
				const glance = tenantGlance(db, tenantId, rows, today);
				expect(glance.people).toEqual(everyone.slice(0, rows));
				expect(glance.summary).toEqual({
					people: everyone.length,
					trained: everyone.filter((p) => p.training.valid >= p.training.required).length,
					cards
				});
			}
			// The checklist's derived items: whether met, in SQL, as the lists of people missing something say.
			const missing = peopleMissingTraining(db, tenantId, today);
			expect(countPeopleMissingTraining(db, tenantId, today)).toBe(missing.length);
			expect(anyoneMissingTraining(db, tenantId, today)).toBe(missing.length > 0);
			const full = getChecklist(db, tenantId, today);
			const quick = getChecklist(db, tenantId, today, { detail: false });
			expect(quick.progress).toEqual(full.progress);
			expect(quick.ready).toBe(full.ready);
			expect(quick.entries.map((e) => [e.type.code, e.status, e.derived?.met])).toEqual(
				full.entries.map((e) => [e.type.code, e.status, e.derived?.met])
			);
			for (const rule of ['staff_trained', 'staff_cards_valid']) expect(full.entries.some((e) => e.type.derivedRule === rule)).toBe(true);
			metSeen.push(
				...full.entries
					.filter((e) => e.type.derivedRule === 'staff_trained' || e.type.derivedRule === 'staff_cards_valid')
					.map((e) => e.derived!.met)
			);
		}
		// Both answers came up, so the comparison above was not of one kind only.
		expect(new Set(metSeen)).toEqual(new Set([true, false]));
		// Twelve fresh databases: about 2 s alone, past vitest's 5 s default on a busy machine.
	}, 60_000);
});
