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
import { redeemToken } from '../src/lib/server/auth/email-links';
import { invitePerson } from '../src/lib/server/people/people';
import { createTenant, setTenantStage, type TenantInput } from '../src/lib/server/tenants/tenants';
import { listServices } from '../src/lib/server/services/kanta-services';
import type { Role, TenantStage } from '../src/lib/domain';
import type { Actor } from '../src/lib/server/actor';
import { config as appConfig } from '../src/lib/server/config';
import { syncBundledTemplates, defaultTemplate } from '../src/lib/server/agreements/templates-store';
import { createDraft, sendForSignature, signAgreement, updateDraft } from '../src/lib/server/agreements/agreements';
import { carryOutAgreementFollowUp } from '../src/lib/server/agreements/follow-up';
import { findUserByEmail } from '../src/lib/server/auth/accounts';
import { toSessionUser } from '../src/lib/server/auth/session';
import forge from 'node-forge';
import { parseCertificateFile } from '../src/lib/server/certificates/x509';
import { addCertificate } from '../src/lib/server/certificates/registry';
import {
	getChecklist,
	planItem,
	recordEvidenceFile,
	returnItem,
	submitItem,
	verifyItem,
	type ItemRef
} from '../src/lib/server/prerequisites/checklist';
import { saveInformationSystem } from '../src/lib/server/information-systems/registry';
import { storeFile } from '../src/lib/server/evidence/file-store';
import { DAY_MS, todayInHelsinki } from '../src/lib/time';
import { seedInstructions } from './demo-instructions';
import { seedIncidents } from './demo-incidents';
import { seedSecurityPlan, seedTenantSecurityPlan } from './demo-security-plan';
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS } from './demo-accounts';
import { audit } from '../src/lib/server/actor';
import { twoFactor } from '../src/lib/server/db/schema';

const DEMO_ORGANISATION = 'Demo Terveys Oy';
const DEMO_EMAIL = /(^|\.)demo\.test$/;

function holdsOnlyDemoData(db: Db): boolean {
	const organisation = db.select().from(mainConnector).get();
	if (!organisation) return db.select().from(user).all().length === 0;
	if (organisation.name !== DEMO_ORGANISATION) return false;
	return db
		.select({ email: user.email })
		.from(user)
		.all()
		.every((u) => DEMO_EMAIL.test(u.email.split('@')[1] ?? ''));
}

/**
 * Empties every table (children first) so the seed starts from nothing. The search indexes
 * (`search_*`, full-text tables and their own storage) follow the tables through their triggers.
 */
function clear(db: Db): void {
	const tables = db.all<{ name: string }>(
		sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' and name not like 'search\\_%' escape '\\'`
	);
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
		services: ['patient_data_repository', 'data_management_service'],
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
		services: ['prescription', 'patient_data_repository', 'data_management_service', 'will_expression'],
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
	addDesignatedPerson(db, admin, {
		role: 'disturbance_contact',
		name: 'Hannu Häiriö',
		title: 'Palvelupäällikkö',
		email: 'hairiot@demo.test',
		phone: '09 123 4500'
	});
	addDesignatedPerson(db, admin, {
		role: 'archivist',
		name: 'Arja Arkisto',
		title: 'Arkistonhoitaja',
		email: 'arkisto@demo.test',
		phone: ''
	});
	addDesignatedPerson(db, admin, {
		role: 'data_protection_officer',
		name: 'Tiina Tietosuoja',
		title: 'Tietosuojavastaava',
		email: 'tietosuoja@demo.test',
		phone: '09 123 4501'
	});
	addDesignatedPerson(db, admin, {
		role: 'responsible_physician',
		name: 'Lauri Lääkäri',
		title: 'Vastaava lääkäri',
		email: 'laakari@demo.test',
		phone: ''
	});

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
	await seedPrerequisitesAndCertificates(db, admin, tenantIds);
	await seedInstructions(db, admin);
	await seedIncidents(db, admin);
	seedSecurityPlan(db, admin);
	seedTenantSecurityPlan(db, tenantIds[1]);
	// Last, so the signatures above needed no code.
	enableDemoAuthenticators(db, admin);
}

/**
 * Turns on two-step sign-in with the published demo keys. Written directly: the portal itself
 * only ever enables a key that the person proved with a code from their own app.
 */
function enableDemoAuthenticators(db: Db, actor: Actor) {
	db.transaction((tx) => {
		for (const [email, secret] of Object.entries(DEMO_TOTP_SECRETS)) {
			const person = findUserByEmail(tx, email)!;
			tx.insert(twoFactor).values({ userId: person.id, secret, enabledAt: new Date() }).run();
			audit(tx, actor, { tenantId: null, action: 'auth.two_factor_enabled', targetType: 'user', targetId: person.id, summary: 'demo key' });
		}
	});
}

/** A real self-signed X.509 certificate (public part only), so the registry shows parsed details. */
function demoCertificatePem(commonName: string, validDays: number, now: Date): Uint8Array {
	const keys = forge.pki.rsa.generateKeyPair(2048);
	const cert = forge.pki.createCertificate();
	cert.publicKey = keys.publicKey;
	cert.serialNumber = forge.util.bytesToHex(forge.random.getBytesSync(8));
	cert.validity.notBefore = new Date(now.getTime() - (365 - validDays) * DAY_MS);
	cert.validity.notAfter = new Date(now.getTime() + validDays * DAY_MS);
	const subject = [
		{ name: 'commonName', value: commonName },
		{ name: 'organizationName', value: 'Demo Terveys Oy' },
		{ name: 'countryName', value: 'FI' }
	];
	cert.setSubject(subject);
	cert.setIssuer([
		{ name: 'commonName', value: 'Demo CA (not DVV)' },
		{ name: 'countryName', value: 'FI' }
	]);
	cert.sign(keys.privateKey, forge.md.sha256.create());
	return new TextEncoder().encode(forge.pki.certificateToPem(cert));
}

/**
 * Checklists in several states, the main connector's server and system signature certificates
 * (one expiring within 30 days), staff cards (one expired, one within 14 days), and evidence.
 */
async function seedPrerequisitesAndCertificates(db: Db, admin: Actor, [first, second, third]: string[]) {
	const now = new Date();
	const upload = (kind: 'server' | 'system_signature', commonName: string, days: number) => {
		const parsed = parseCertificateFile(demoCertificatePem(commonName, days, now));
		if (!parsed.ok) throw new Error('Demo certificate did not parse');
		addCertificate(
			db,
			admin,
			kind,
			{ type: 'main_connector', tenantId: null, userId: null, name: 'Demo Terveys Oy' },
			{ source: 'upload', parsed: parsed.certificates[0], reference: 'DVV demo order' }
		);
	};
	upload('server', 'kanta.demo-terveys.test', 21);
	upload('system_signature', 'Demo Terveys Oy system signature', 400);

	const card = (email: string, tenantId: string, days: number, reference: string) => {
		const person = findUserByEmail(db, email)!;
		addCertificate(
			db,
			admin,
			'professional_card',
			{ type: 'person', tenantId, userId: person.id, name: person.name },
			{ source: 'manual', validTo: new Date(now.getTime() + days * DAY_MS), validFrom: null, reference }
		);
	};
	card('staff1@tenant1.demo.test', first, 900, 'Card 0001');
	card('staff2@tenant1.demo.test', first, -10, 'Card 0002');
	card('staff1@tenant2.demo.test', second, 10, 'Card 0003');
	card('staff2@tenant2.demo.test', second, 700, 'Card 0004');

	const items = (tenantId: string) => new Map(getChecklist(db, tenantId, now).entries.map((e) => [e.type.code, e]));
	const tenantAdmin = (n: number): Actor => ({
		id: findUserByEmail(db, `admin@tenant${n}.demo.test`)!.id,
		label: `admin@tenant${n}.demo.test`,
		ipAddress: ''
	});
	const ref = (item: { id: string; tenantId: string }): ItemRef => ({ tenantId: item.tenantId, itemId: item.id });
	const evidence = (actorOf: Actor, code: string, tenantId: string, name: string, text: string) => {
		const entry = items(tenantId).get(code)!;
		const bytes = new TextEncoder().encode(text);
		const stored = storeFile(appConfig.dataDir, 'evidence', bytes);
		recordEvidenceFile(db, actorOf, entry.item, {
			fileName: name,
			mimeType: 'text/plain',
			size: stored.size,
			sha256: stored.sha256,
			storagePath: stored.storagePath
		});
	};
	const submit = (actorOf: Actor, code: string, tenantId: string, reference = '', date: string | null = null) => {
		const entry = items(tenantId).get(code)!;
		const result = submitItem(db, actorOf, ref(entry.item), { reference, date, link: '' });
		if (!result.ok) throw new Error(`Demo submit ${code}: ${result.reason}`);
	};
	const verify = (code: string, tenantId: string) => verifyItem(db, admin, ref(items(tenantId).get(code)!.item));
	const today = todayInHelsinki(now);
	const daysFromToday = (days: number) => todayInHelsinki(new Date(now.getTime() + days * DAY_MS));

	// Tenant 1: in production, everything handed in and verified. (The two information-security plan
	// items follow the plan workspace, where the demo plan is not yet approved: see demo-security-plan.ts.)
	const t1 = tenantAdmin(1);
	evidence(t1, 'self_monitoring_plan', first, 'self_monitoring_plan.txt', 'Omavalvontasuunnitelma v3');
	submit(t1, 'self_monitoring_plan', first);
	verify('self_monitoring_plan', first);
	for (const [code, reference] of [
		['sote_organisation_register', '1.2.246.10.12345671.10.1'],
		['soteri_registration', 'SOTERI-2025-0141']
	] as const) {
		submit(t1, code, first, reference);
		verify(code, first);
	}
	submit(t1, 'operating_models', first, '', today);
	verify('operating_models', first);

	// Tenant 2: on its way — one item waiting for verification, one returned, one overdue.
	const t2 = tenantAdmin(2);
	evidence(t2, 'self_monitoring_plan', second, 'omavalvonta.txt', 'Omavalvontasuunnitelma, luonnos');
	submit(t2, 'self_monitoring_plan', second);
	submit(t2, 'soteri_registration', second, 'SOTERI-2024-0877');
	returnItem(db, admin, ref(items(second).get('soteri_registration')!.item), 'Numero ei täsmää Soterin tietoihin; tarkista.');
	planItem(db, admin, ref(items(second).get('operating_models')!.item), { ownerId: t2.id, dueDate: daysFromToday(-3) });

	// Tenant 3: just invited, with first due dates set.
	planItem(db, admin, ref(items(third).get('sote_organisation_register')!.item), { ownerId: null, dueDate: daysFromToday(21) });
	planItem(db, admin, ref(items(third).get('soteri_registration')!.item), { ownerId: null, dueDate: daysFromToday(21) });

	// The shared items are the main connector's own.
	// The certified system is a patient data system: the social welfare tenant's checklist shows why
	// that does not do for the Client Data Archive.
	saveInformationSystem(
		db,
		admin,
		{
			name: 'Demo Potilas',
			systemClass: 'A2',
			purpose: 'patient_data',
			certificateValidUntil: daysFromToday(900),
			certificateReference: 'Tietoturva-arvio 2025/17'
		},
		null,
		now
	);
	for (const tenantId of [first, second]) {
		submit(admin, 'kela_customer_relationship', tenantId, '', '2025-11-03');
		verify('kela_customer_relationship', tenantId);
	}
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

	const awaiting = draft(second, 'fi');
	sendForSignature(db, admin, awaiting);
	await signAs('signer@tenant2.demo.test', 'Tenant 2 Signer', 'Toimitusjohtaja', awaiting);

	draft(third, 'sv');
	// The seal of the agreement in force and the mails of every step, as the portal would have done them.
	await carryOutAgreementFollowUp(db);
}

async function main() {
	const db = openDatabase(config.databasePath);
	try {
		await seedDemo(db);
		console.log(`Demo data written to ${config.databasePath}. Every demo password is ${DEMO_PASSWORD}.`);
		for (const [email, secret] of Object.entries(DEMO_TOTP_SECRETS))
			console.log(`${email} signs in with an authenticator code; its key is ${secret}.`);
	} catch (error) {
		console.error((error as Error).message);
		process.exitCode = 1;
	} finally {
		db.$client.close();
	}
}

await main();
