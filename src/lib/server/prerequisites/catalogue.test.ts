import { readdirSync, readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index';
import { checklistItem, prerequisiteType } from '../db/schema';
import type { Actor } from '../actor';
import { listAuditEntries } from '../audit/audit-log';
import { addTenant, freshDb, setUpMainConnector } from '../test-support';
import { DEFAULT_PREREQUISITES, ensureCatalogue, listPrerequisiteTypes } from './catalogue';
import { getChecklist, syncAllChecklists } from './checklist';

const T0 = new Date('2025-03-15T10:00:00Z');

let db: Db;
let admin: Actor;

beforeEach(() => {
	db = freshDb();
	admin = setUpMainConnector(db);
});

const seed = (code: string) => DEFAULT_PREREQUISITES.find((p) => p.code === code)!;

describe('the prerequisites the seeds require', () => {
	it('has the processing agreement, national specifications, deployment test, log monitoring and user register', () => {
		expect(seed('client_data_processing_agreement')).toMatchObject({ responsibleParty: 'tenant', evidenceKind: 'file', sectors: [] });
		expect(seed('client_data_processing_agreement').guidanceEn).toMatch(/Client Data Act 14 §.*agreement §14.*chapter 3/);
		expect(seed('national_specifications_health')).toMatchObject({ sectors: ['health_care'], evidenceKind: 'date' });
		expect(seed('national_specifications_social')).toMatchObject({ sectors: ['social_welfare'], evidenceKind: 'date' });
		expect(seed('national_specifications_social').guidanceSv).toContain('Sosmeta');
		// The deployment test is done with the archivist, so it concerns the archive services.
		expect(seed('deployment_test')).toMatchObject({
			responsibleParty: 'main_connector',
			evidenceKind: 'date',
			serviceCodes: ['patient_data_repository', 'social_welfare_archive']
		});
		expect(seed('deployment_test').nameFi).toBe('Käyttöönottokoe tehty');
		expect(seed('deployment_test').nameSv).toBe('Ibruktagningsprovet genomfört');
		expect(seed('log_monitoring')).toMatchObject({ responsibleParty: 'main_connector', evidenceKind: 'file', renewalMonths: 12 });
		expect(seed('log_monitoring').guidanceEn).toContain('25 §');
		expect(seed('user_access_register')).toMatchObject({
			responsibleParty: 'tenant',
			evidenceKind: 'derived',
			derivedRule: 'access_register_current'
		});
		expect(seed('user_access_register').guidanceEn).toContain('15 § 3 mom.');
	});

	it('gives the security plan to the main connector and the tenant the duty to follow it, both followed in the plan workspace', () => {
		expect(seed('security_plan')).toMatchObject({
			responsibleParty: 'main_connector',
			category: 'plan_update',
			evidenceKind: 'derived',
			derivedRule: 'security_plan_in_place',
			renewalMonths: null
		});
		expect(seed('security_plan_followed')).toMatchObject({
			responsibleParty: 'tenant',
			category: 'plan_update',
			evidenceKind: 'derived',
			derivedRule: 'security_plan_acknowledged',
			renewalMonths: null
		});
		// The rule is stated to the people who read the item.
		expect(seed('security_plan').guidanceEn).toMatch(/approved a version.*unaltered.*review date/);
		expect(seed('security_plan_followed').guidanceSv).toContain('senaste godkända versionen');
	});

	it('derives "system certified" from the registry instead of a renewal timer', () => {
		expect(seed('system_certification')).toMatchObject({ evidenceKind: 'derived', derivedRule: 'system_certified', renewalMonths: null });
	});

	it('names the supervisory authority as it is since 2026, and Valvira only as its former name', () => {
		for (const entry of DEFAULT_PREREQUISITES) {
			for (const text of [entry.nameFi, entry.guidanceFi, entry.nameSv, entry.guidanceSv, entry.nameEn, entry.guidanceEn]) {
				const mentions = text.match(/Valvira/g)?.length ?? 0;
				const asFormerName = text.match(/(aiemmin|tidigare|formerly) Valvira\b/g)?.length ?? 0;
				expect(mentions, `${entry.code}: ${text}`).toBe(asFormerName);
			}
		}
		expect(seed('soteri_registration').guidanceFi).toContain('Lupa- ja valvontavirasto');
		expect(seed('soteri_registration').guidanceSv).toContain('Tillstånds- och tillsynsverket');
		expect(seed('soteri_registration').guidanceEn).toContain('Finnish Supervisory Agency');
	});
});

describe('ensureCatalogue on an existing installation', () => {
	it('adds the entries an older catalogue lacks, and syncing gives existing tenants the new items without touching the others', () => {
		const tenantId = addTenant(db, admin, {}, T0);
		// An installation from before this change: no new entries, and an item the tenant has worked on.
		const newCodes = ['client_data_processing_agreement', 'log_monitoring', 'security_plan_followed', 'user_access_register'];
		const newIds = listPrerequisiteTypes(db, true)
			.filter((t) => newCodes.includes(t.code))
			.map((t) => t.id);
		for (const id of newIds) {
			db.delete(checklistItem).where(eq(checklistItem.typeId, id)).run();
			db.delete(prerequisiteType).where(eq(prerequisiteType.id, id)).run();
		}
		const plan = getChecklist(db, tenantId, T0).entries.find((e) => e.type.code === 'self_monitoring_plan')!;
		db.update(checklistItem)
			.set({ status: 'verified', evidenceReference: 'v3', validUntil: '2026-03-15' })
			.where(eq(checklistItem.id, plan.item.id))
			.run();

		expect(ensureCatalogue(db)).toBe(4);
		expect(listAuditEntries(db, { action: 'prerequisite_type.create', page: 1, pageSize: 5 }).entries[0].summary).toBe(
			newCodes
				.sort((a, b) => DEFAULT_PREREQUISITES.findIndex((p) => p.code === a) - DEFAULT_PREREQUISITES.findIndex((p) => p.code === b))
				.join(', ')
		);
		expect(syncAllChecklists(db)).toBe(4);
		const codes = getChecklist(db, tenantId, T0).entries.map((e) => e.type.code);
		expect(codes).toEqual(expect.arrayContaining(newCodes));
		// New entries sort after the existing ones.
		expect(codes.slice(-4).sort()).toEqual([...newCodes].sort());
		expect(getChecklist(db, tenantId, T0).entries.find((e) => e.type.code === 'self_monitoring_plan')!.item).toMatchObject({
			id: plan.item.id,
			status: 'verified',
			evidenceReference: 'v3'
		});
		// A second start changes nothing.
		expect(ensureCatalogue(db)).toBe(0);
	});

	it('upgrades entries whose meaning changed, keeping an administrator’s own wording (migration 0011)', () => {
		const migration = readFileSync(new URL('../../../../drizzle/0011_prerequisites_systems_leavers.sql', import.meta.url), 'utf8');
		const backfill = migration.slice(migration.indexOf('-- Custom SQL')).split('--> statement-breakpoint');
		// Put two entries back as the old defaults had them; one with an administrator's own name.
		db.update(prerequisiteType)
			.set({
				evidenceKind: 'reference',
				derivedRule: null,
				renewalMonths: 36,
				nameEn: 'Information system certified',
				guidanceEn:
					"The main connector's class A system is certified, its security assessment certificate is valid (renewed at least every 3 years) and it is in Valvira's register."
			})
			.where(eq(prerequisiteType.code, 'system_certification'))
			.run();
		db.update(prerequisiteType)
			.set({ responsibleParty: 'tenant', nameFi: 'Oma nimi tietoturvasuunnitelmalle', nameEn: 'Information security plan in place' })
			.where(eq(prerequisiteType.code, 'security_plan'))
			.run();
		const tenantId = addTenant(db, admin, {}, T0);
		const certified = getChecklist(db, tenantId, T0).entries.find((e) => e.type.code === 'system_certification')!;
		db.update(checklistItem)
			.set({ status: 'expired', validUntil: '2025-03-01', evidenceReference: 'A2, 2028' })
			.where(eq(checklistItem.id, certified.item.id))
			.run();

		for (const statement of backfill) db.$client.exec(statement);

		const types = new Map(listPrerequisiteTypes(db, true).map((t) => [t.code, t]));
		expect(types.get('system_certification')).toMatchObject({
			evidenceKind: 'derived',
			derivedRule: 'system_certified',
			renewalMonths: null,
			guidanceEn: seed('system_certification').guidanceEn
		});
		expect(types.get('security_plan')).toMatchObject({
			responsibleParty: 'main_connector',
			nameFi: 'Oma nimi tietoturvasuunnitelmalle',
			nameEn: seed('security_plan').nameEn
		});
		expect(db.select().from(checklistItem).where(eq(checklistItem.id, certified.item.id)).get()).toMatchObject({
			status: 'not_started',
			validUntil: null,
			evidenceReference: 'A2, 2028'
		});
	});

	it('makes the two information-security plan items follow the plan on an existing installation, keeping their evidence', () => {
		// Found by name: migrations are renumbered when branches meet.
		const dir = new URL('../../../../drizzle/', import.meta.url);
		const file = readdirSync(dir).find((name) => name.endsWith('_security_plan_items_derived.sql'))!;
		const migration = readFileSync(new URL(file, dir), 'utf8');
		const backfill = migration.slice(migration.indexOf('-- Custom SQL')).split('--> statement-breakpoint');
		// As an older installation has them: evidence by file and by date, and one administrator's own guidance.
		db.update(prerequisiteType)
			.set({
				evidenceKind: 'file',
				derivedRule: null,
				renewalMonths: 12,
				guidanceEn:
					'The main connector has made the information security plan (THL 3/2024, chapters 6.1–6.12), keeps it current and reviews it regularly (agreement §2).'
			})
			.where(eq(prerequisiteType.code, 'security_plan'))
			.run();
		db.update(prerequisiteType)
			.set({ evidenceKind: 'date', derivedRule: null, renewalMonths: 12, guidanceFi: 'Oma ohjeemme henkilöstön perehdytyksestä.' })
			.where(eq(prerequisiteType.code, 'security_plan_followed'))
			.run();
		const tenantId = addTenant(db, admin, {}, T0);
		const itemOf = (code: string) => getChecklist(db, tenantId, T0).entries.find((e) => e.type.code === code)!.item.id;
		const planItem = itemOf('security_plan');
		const followedItem = itemOf('security_plan_followed');
		db.update(checklistItem)
			.set({ status: 'verified', validUntil: '2026-03-15', evidenceReference: 'Tietoturvasuunnitelma 2025', verifiedBy: 'admin' })
			.where(eq(checklistItem.id, planItem))
			.run();
		db.update(checklistItem)
			.set({ status: 'expired', validUntil: '2025-03-01', evidenceDate: '2024-03-01' })
			.where(eq(checklistItem.id, followedItem))
			.run();

		for (const statement of backfill) db.$client.exec(statement);

		const types = new Map(listPrerequisiteTypes(db, true).map((t) => [t.code, t]));
		expect(types.get('security_plan')).toMatchObject({
			evidenceKind: 'derived',
			derivedRule: 'security_plan_in_place',
			renewalMonths: null,
			guidanceEn: seed('security_plan').guidanceEn
		});
		expect(types.get('security_plan_followed')).toMatchObject({
			evidenceKind: 'derived',
			derivedRule: 'security_plan_acknowledged',
			renewalMonths: null,
			guidanceFi: 'Oma ohjeemme henkilöstön perehdytyksestä.',
			guidanceEn: seed('security_plan_followed').guidanceEn
		});
		// History kept; nothing left that would expire them or count them as sent back.
		expect(db.select().from(checklistItem).where(eq(checklistItem.id, planItem)).get()).toMatchObject({
			status: 'verified',
			validUntil: null,
			evidenceReference: 'Tietoturvasuunnitelma 2025',
			verifiedBy: 'admin'
		});
		expect(db.select().from(checklistItem).where(eq(checklistItem.id, followedItem)).get()).toMatchObject({
			status: 'not_started',
			validUntil: null,
			evidenceDate: '2024-03-01'
		});
		// What the checklist shows now follows the plan (none approved here), not the stored status.
		expect(getChecklist(db, tenantId, T0).entries.find((e) => e.item.id === planItem)).toMatchObject({
			done: false,
			derived: { problem: 'plan_not_approved' }
		});
	});
});
