/**
 * Fills the database at DATABASE_PATH with the demo organisation, people and tenants
 * (`npm run demo:seed`). Run again, it replaces earlier demo data; it refuses a database that
 * holds anything else, so it can never wipe real records.
 */
import { sql } from 'drizzle-orm';
import { config } from '../src/lib/server/config';
import { openDatabase, type Db } from '../src/lib/server/db';
import { mainConnector, user } from '../src/lib/server/db/schema';
import { hashPassword } from '../src/lib/server/auth/password';
import { completeSetup } from '../src/lib/server/organisation/organisation';
import { addDesignatedPerson } from '../src/lib/server/organisation/organisation';
import { invitePerson, redeemToken } from '../src/lib/server/people/people';
import { createTenant, setTenantStage, type TenantInput } from '../src/lib/server/tenants/tenants';
import { listServices } from '../src/lib/server/services/kanta-services';
import type { Role, TenantStage } from '../src/lib/domain';
import type { Actor } from '../src/lib/server/actor';
import { config as appConfig } from '../src/lib/server/config';
import { syncBundledTemplates, defaultTemplate } from '../src/lib/server/agreements/templates-store';
import { createDraft, sendForSignature, signAgreement, updateDraft } from '../src/lib/server/agreements/agreements';
import { sealAgreement } from '../src/lib/server/agreements/sealing';
import { findUserByEmail } from '../src/lib/server/people/people';
import { toSessionUser } from '../src/lib/server/auth/session';

export const DEMO_PASSWORD = 'liitos-demo-2026';
const DEMO_ORGANISATION = 'Demo Terveys Oy';
const DEMO_EMAIL = /(^|\.)demo\.test$/;

function holdsOnlyDemoData(db: Db): boolean {
	const organisation = db.select().from(mainConnector).get();
	if (!organisation) return db.select().from(user).all().length === 0;
	if (organisation.name !== DEMO_ORGANISATION) return false;
	return db.select({ email: user.email }).from(user).all().every((u) => DEMO_EMAIL.test(u.email.split('@')[1] ?? ''));
}

/** Empties every table (children first) so the seed starts from nothing. */
function clear(db: Db): void {
	const tables = db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`);
	db.$client.pragma('foreign_keys = OFF');
	db.transaction((tx) => {
		for (const { name } of tables) tx.run(sql.raw(`delete from "${name}"`));
		tx.run(sql`delete from sqlite_sequence`);
	});
	db.$client.pragma('foreign_keys = ON');
}

interface DemoTenant {
	n: number;
	stage: TenantStage;
	input: Omit<TenantInput, 'serviceIds'>;
	services: string[];
}

const TENANTS: DemoTenant[] = [
	{
		n: 1,
		stage: 'in_production',
		services: ['patient_data_repository', 'pharmaceutical_database'],
		input: {
			name: 'Fysioterapia Lahtinen',
			businessId: '1234567-1',
			oid: '1.2.246.10.12345671',
			streetAddress: 'Kauppakatu 12',
			postalCode: '40100',
			city: 'Jyväskylä',
			soteriRegistration: 'SOTERI-2025-0141',
			serviceSector: 'health_care',
			providerType: 'private',
			agreementLanguage: 'fi',
			serviceUnits: [{ name: 'Fysioterapia Lahtinen, Jyväskylä', oid: '1.2.246.10.12345671.10.1' }],
			contacts: [{ name: 'Laura Lahtinen', title: 'Yrittäjä', email: 'laura@tenant1.demo.test', phone: '040 123 4567' }]
		}
	},
	{
		n: 2,
		stage: 'onboarding',
		services: ['social_welfare_archive'],
		input: {
			name: 'Kotihoito Aalto Oy',
			businessId: '2345678-0',
			oid: '1.2.246.10.23456780',
			streetAddress: 'Hämeenkatu 5 B',
			postalCode: '33100',
			city: 'Tampere',
			soteriRegistration: 'SOTERI-2024-0877',
			serviceSector: 'social_welfare',
			providerType: 'private',
			agreementLanguage: 'fi',
			serviceUnits: [
				{ name: 'Kotihoito Aalto, Tampere', oid: '1.2.246.10.23456780.10.1' },
				{ name: 'Kotihoito Aalto, Nokia', oid: '1.2.246.10.23456780.10.2' }
			],
			contacts: [{ name: 'Mikko Aalto', title: 'Toimitusjohtaja', email: 'mikko@tenant2.demo.test', phone: '050 765 4321' }]
		}
	},
	{
		n: 3,
		stage: 'invited',
		services: ['prescription', 'patient_data_repository', 'pharmaceutical_database', 'kelain'],
		input: {
			name: 'Läkarmottagning Berg Ab',
			businessId: '7654321-2',
			oid: '1.2.246.10.76543212',
			streetAddress: 'Storgatan 8',
			postalCode: '65100',
			city: 'Vasa',
			soteriRegistration: 'SOTERI-2023-0412',
			serviceSector: 'health_care',
			providerType: 'public_on_behalf',
			agreementLanguage: 'sv',
			serviceUnits: [{ name: 'Läkarmottagning Berg, Vasa', oid: '1.2.246.10.76543212.10.1' }],
			contacts: [{ name: 'Anna Berg', title: 'Överläkare', email: 'anna@tenant3.demo.test', phone: '044 222 3344' }]
		}
	}
];

function addPerson(db: Db, actor: Actor, passwordHash: string, email: string, name: string, tenantId: string | null, roles: Role[]) {
	const invited = invitePerson(db, actor, { email, name, tenantId, roles });
	if (!invited.ok) throw new Error(`Could not add ${email}`);
	redeemToken(db, invited.token, 'invitation', passwordHash, { ipAddress: '' });
}

export async function seedDemo(db: Db): Promise<void> {
	if (!holdsOnlyDemoData(db)) {
		throw new Error('The database holds data that is not demo data; refusing to overwrite it. Point DATABASE_PATH at a new file.');
	}
	clear(db);
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const setup = completeSetup(
		db,
		{
			organisation: {
				name: DEMO_ORGANISATION,
				businessId: '2617416-4',
				oid: '1.2.246.10.26174164',
				streetAddress: 'Mannerheimintie 100',
				postalCode: '00250',
				city: 'Helsinki',
				contactEmail: 'kanta@demo.test',
				soteriRegistration: 'SOTERI-2021-0001'
			},
			admin: { name: 'Aino Admin', email: 'admin@demo.test', passwordHash }
		},
		{ ipAddress: '' }
	);
	if (!setup) throw new Error('Setup had already been done');
	const admin: Actor = { id: setup.userId, label: 'admin@demo.test', ipAddress: '' };

	addPerson(db, admin, passwordHash, 'signer@demo.test', 'Sakari Signer', null, ['mc_signatory']);
	addPerson(db, admin, passwordHash, 'certs@demo.test', 'Ceija Certs', null, ['mc_cert_admin']);
	addDesignatedPerson(db, admin, { role: 'disturbance_contact', name: 'Hannu Häiriö', title: 'Palvelupäällikkö', email: 'hairiot@demo.test', phone: '09 123 4500' });
	addDesignatedPerson(db, admin, { role: 'archivist', name: 'Arja Arkisto', title: 'Arkistonhoitaja', email: 'arkisto@demo.test', phone: '' });
	addDesignatedPerson(db, admin, { role: 'data_protection_officer', name: 'Tiina Tietosuoja', title: 'Tietosuojavastaava', email: 'tietosuoja@demo.test', phone: '09 123 4501' });
	addDesignatedPerson(db, admin, { role: 'responsible_physician', name: 'Lauri Lääkäri', title: 'Vastaava lääkäri', email: 'laakari@demo.test', phone: '' });

	const serviceIdByCode = new Map(listServices(db).map((s) => [s.code, s.id]));
	const tenantIds: string[] = [];
	for (const demo of TENANTS) {
		const created = createTenant(db, admin, { ...demo.input, serviceIds: demo.services.map((code) => serviceIdByCode.get(code)!) });
		if (!created.ok) throw new Error(`Could not create ${demo.input.name}`);
		setTenantStage(db, admin, created.id, demo.stage);
		tenantIds.push(created.id);
		const domain = `tenant${demo.n}.demo.test`;
		addPerson(db, admin, passwordHash, `admin@${domain}`, `Tenant ${demo.n} Admin`, created.id, ['tenant_admin']);
		addPerson(db, admin, passwordHash, `signer@${domain}`, `Tenant ${demo.n} Signer`, created.id, ['tenant_signatory']);
		addPerson(db, admin, passwordHash, `staff1@${domain}`, `Tenant ${demo.n} Staff One`, created.id, ['tenant_staff']);
		addPerson(db, admin, passwordHash, `staff2@${domain}`, `Tenant ${demo.n} Staff Two`, created.id, ['tenant_staff']);
	}
	await seedAgreements(db, admin, tenantIds);
}

/** Tenant 1: in force and sealed; tenant 2: awaiting the countersignature; tenant 3: a draft. */
async function seedAgreements(db: Db, admin: Actor, [first, second, third]: string[]) {
	syncBundledTemplates(db, appConfig.templatesDir);
	const signer = (email: string) => toSessionUser(db, findUserByEmail(db, email)!);
	const client = { ipAddress: '', userAgent: 'demo-seed' };
	const draft = (tenantId: string, language: 'fi' | 'sv') => {
		const template = defaultTemplate(db, language);
		const created = template && createDraft(db, admin, { tenantId, templateId: template.id });
		if (!created?.ok) throw new Error('Could not create a demo agreement');
		updateDraft(db, admin, created.id, { place: 'Helsinki', noticeMonths: 1, renewalsForwarded: false, serviceAgreementReference: '' });
		return created.id;
	};
	const signAs = async (email: string, name: string, title: string, id: string) => {
		const result = await signAgreement(db, signer(email), id, { typedName: name, title, password: DEMO_PASSWORD }, client);
		if (!result.ok) throw new Error(`Demo signature failed: ${result.reason}`);
	};

	const inForce = draft(first, 'fi');
	sendForSignature(db, admin, inForce);
	await signAs('signer@tenant1.demo.test', 'Tenant 1 Signer', 'Yrittäjä', inForce);
	await signAs('signer@demo.test', 'Sakari Signer', 'Toimitusjohtaja', inForce);
	await sealAgreement(db, inForce);

	const awaiting = draft(second, 'fi');
	sendForSignature(db, admin, awaiting);
	await signAs('signer@tenant2.demo.test', 'Tenant 2 Signer', 'Toimitusjohtaja', awaiting);

	draft(third, 'sv');
}

async function main() {
	const db = openDatabase(config.databasePath);
	try {
		await seedDemo(db);
		console.log(`Demo data written to ${config.databasePath}. Every demo password is ${DEMO_PASSWORD}.`);
	} catch (error) {
		console.error((error as Error).message);
		process.exitCode = 1;
	} finally {
		db.$client.close();
	}
}

await main();
