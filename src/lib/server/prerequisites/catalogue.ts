import { asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { prerequisiteType, type PrerequisiteType, type Tenant } from '../db/schema';
import { audit, type Actor } from '../actor';

export type PrerequisiteInput = Omit<PrerequisiteType, 'id' | 'createdAt'>;

type Seed = Omit<PrerequisiteInput, 'sortOrder' | 'active'>;

const t = (nameFi: string, nameSv: string, nameEn: string, guidanceFi: string, guidanceSv: string, guidanceEn: string) => ({ nameFi, nameSv, nameEn, guidanceFi, guidanceSv, guidanceEn });

/**
 * What a tenant needs before Kanta production (domain.md "Onboarding prerequisites"), written in
 * our own words. Administrators edit and extend this list in the portal.
 */
export const DEFAULT_PREREQUISITES: Seed[] = [
	{
		code: 'agreement_in_force',
		...t('Liittymissopimus voimassa', 'Anslutningsavtalet i kraft', 'Connection agreement in force', 'Sopimus on allekirjoitettu Liitoksessa ja on voimassa.', 'Avtalet har undertecknats i Liitos och är i kraft.', 'The agreement has been signed in Liitos and is in force.'),
		category: 'system_and_agreement', responsibleParty: 'main_connector', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'derived', derivedRule: 'agreement_in_force', renewalMonths: null, required: true
	},
	{
		code: 'server_certificates',
		...t('Palvelin- ja järjestelmäallekirjoitusvarmenteet voimassa', 'Server- och systemsignaturcertifikat giltiga', 'Server and system signature certificates valid', 'Pääliittyjän DVV:n palvelinvarmenne (enintään 1 vuosi) ja järjestelmäallekirjoitusvarmenne (enintään 2 vuotta) ovat voimassa varmennerekisterissä.', 'Huvudanslutarens servercertifikat (högst 1 år) och systemsignaturcertifikat (högst 2 år) från DVV är giltiga i certifikatregistret.', "The main connector's DVV server certificate (at most 1 year) and system signature certificate (at most 2 years) are valid in the certificate registry."),
		category: 'certificates', responsibleParty: 'main_connector', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'derived', derivedRule: 'server_certificates_valid', renewalMonths: null, required: true
	},
	{
		code: 'professional_cards',
		...t('Ammattikortit kaikilla ammattilaisilla', 'Yrkeskort för alla yrkesutbildade', 'Certificate cards for all professionals', 'Jokaisella vuokralaisen ammattihenkilöllä on voimassa oleva DVV:n ammattikortti (tai korvaava kortti) rekisterissä.', 'Varje yrkesutbildad person hos hyresgästen har ett giltigt yrkeskort (eller ersättande kort) från DVV i registret.', "Every professional of the tenant holds a valid DVV professional card (or replacement card) in the registry."),
		category: 'certificates', responsibleParty: 'tenant', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'derived', derivedRule: 'staff_cards_valid', renewalMonths: null, required: true
	},
	{
		code: 'sote_organisation_register',
		...t('SOTE-organisaatiorekisteri', 'SOTE-organisationsregistret', 'SOTE organisation register', 'Vuokralainen ja sen palveluyksiköt on merkitty THL:n SOTE-organisaatiorekisteriin. Kirjaa OID-tunnukset tai rekisteriotteen viite.', 'Hyresgästen och dess serviceenheter finns i THL:s SOTE-organisationsregister. Ange OID-koderna eller en hänvisning till registerutdraget.', "The tenant and its service units are in THL's SOTE organisation register. Record the OIDs or a reference to the register extract."),
		category: 'organisation_register', responsibleParty: 'tenant', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'reference', derivedRule: null, renewalMonths: null, required: true
	},
	{
		code: 'soteri_registration',
		...t('Rekisteröinti Soteriin', 'Registrering i Soteri', 'Registered in Soteri', 'Vuokralainen on Valviran palveluntuottajarekisterissä (Soteri). Kirjaa rekisteröintinumero.', 'Hyresgästen finns i Valviras register över tjänsteproducenter (Soteri). Ange registreringsnumret.', "The tenant is in Valvira's register of service providers (Soteri). Record the registration number."),
		category: 'organisation_register', responsibleParty: 'tenant', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'reference', derivedRule: null, renewalMonths: null, required: true
	},
	{
		code: 'social_welfare_data_valvira',
		...t('Yksityisen sosiaalihuollon tiedot Valviran rekisterissä', 'Uppgifter om privat socialvård i Valviras register', 'Private social welfare data in Valvira’s register', 'Yksityisen sosiaalihuollon palveluyksikön tiedot on ilmoitettu Valviran rekisteriin (Soteri korvasi Valverin).', 'Uppgifterna om den privata socialvårdens serviceenhet har anmälts till Valviras register (Soteri ersatte Valveri).', "The private social welfare service unit's data has been notified to Valvira's register (Soteri replaced Valveri)."),
		category: 'organisation_register', responsibleParty: 'tenant', sectors: ['social_welfare'], providerTypes: ['private'], serviceCodes: [],
		evidenceKind: 'reference', derivedRule: null, renewalMonths: null, required: true
	},
	{
		code: 'staff_training',
		...t('Henkilöstö koulutettu', 'Personalen utbildad', 'Staff trained', 'Jokaisella aktiivisella henkilöllä on voimassa oleva suoritus jokaisesta hänen roolinsa edellyttämästä koulutuksesta (Kanta-palvelujen käyttö, tietosuoja ja tietoturva). Seurataan koulutusrekisterissä.', 'Varje aktiv person har en giltig genomförd utbildning i varje modul som rollen kräver (användning av Kanta-tjänsterna, dataskydd och informationssäkerhet). Följs upp i utbildningsregistret.', "Every active person holds a valid completion of each training their role requires (using the Kanta services, data protection and information security). Followed in the training records."),
		category: 'training', responsibleParty: 'tenant', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'derived', derivedRule: 'staff_trained', renewalMonths: null, required: true
	},
	{
		code: 'self_monitoring_plan',
		...t('Omavalvontasuunnitelma päivitetty', 'Egenkontrollplanen uppdaterad', 'Self-monitoring plan updated', 'Omavalvontasuunnitelma on päivitetty kattamaan Kanta-palvelujen käytön. Tarkistetaan vuosittain.', 'Egenkontrollplanen har uppdaterats så att den omfattar användningen av Kanta-tjänsterna. Granskas årligen.', 'The self-monitoring plan has been updated to cover the use of the Kanta services. Reviewed yearly.'),
		category: 'plan_update', responsibleParty: 'tenant', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'file', derivedRule: null, renewalMonths: 12, required: true
	},
	{
		code: 'security_plan',
		...t('Tietoturvasuunnitelma käytössä', 'Informationssäkerhetsplanen i bruk', 'Information security plan in place', 'Tietoturvasuunnitelma (THL 3/2024, luvut 6.1–6.12) on laadittu, sitä noudatetaan ja se tarkistetaan säännöllisesti.', 'Informationssäkerhetsplanen (THL 3/2024, kapitel 6.1–6.12) har upprättats, följs och granskas regelbundet.', 'The information security plan (THL 3/2024, chapters 6.1–6.12) is in place, followed and reviewed regularly.'),
		category: 'plan_update', responsibleParty: 'tenant', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'file', derivedRule: null, renewalMonths: 12, required: true
	},
	{
		code: 'system_certification',
		...t('Tietojärjestelmä sertifioitu', 'Informationssystemet certifierat', 'Information system certified', 'Pääliittyjän A-luokan järjestelmä on sertifioitu, tietoturvallisuuden arviointitodistus on voimassa (uusitaan vähintään 3 vuoden välein) ja järjestelmä on Valviran rekisterissä.', 'Huvudanslutarens system i klass A är certifierat, intyget om informationssäkerhetsbedömning är giltigt (förnyas minst vart tredje år) och systemet finns i Valviras register.', "The main connector's class A system is certified, its security assessment certificate is valid (renewed at least every 3 years) and it is in Valvira's register."),
		category: 'system_and_agreement', responsibleParty: 'main_connector', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'reference', derivedRule: null, renewalMonths: 36, required: true
	},
	{
		code: 'kela_customer_relationship',
		...t('Kelan asiakkuuden hallinnolliset toimet', 'Administrativa åtgärder för FPA-kundrelationen', 'Kela customer relationship set up', 'Kelan asiakkuuteen liittyvät hallinnolliset toimet on tehty pääliittyjän liittymishakemuksen yhteydessä.', 'De administrativa åtgärderna för kundrelationen med FPA har gjorts i samband med huvudanslutarens ansökan.', "The administrative steps of the Kela customer relationship have been completed with the main connector's application."),
		category: 'system_and_agreement', responsibleParty: 'main_connector', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'date', derivedRule: null, renewalMonths: null, required: true
	},
	{
		code: 'operating_models',
		...t('Toimintamallit sovittu', 'Verksamhetsmodellerna överenskomna', 'Operating models agreed', 'Kansalliset toimintamallit on otettu käyttöön ja tuotannon aikaiset toimintatavat sovittu pääliittyjän kanssa.', 'De nationella verksamhetsmodellerna har tagits i bruk och arbetssätten under produktion har avtalats med huvudanslutaren.', 'The national operating models have been adopted and the ways of working in production agreed with the main connector.'),
		category: 'other', responsibleParty: 'tenant', sectors: [], providerTypes: [], serviceCodes: [],
		evidenceKind: 'date', derivedRule: null, renewalMonths: null, required: true
	}
];

export function seedDefaultPrerequisites(tx: DbOrTx): void {
	tx.insert(prerequisiteType)
		.values(DEFAULT_PREREQUISITES.map((seed, i) => ({ ...seed, id: crypto.randomUUID(), sortOrder: (i + 1) * 10, active: true })))
		.onConflictDoNothing()
		.run();
}

export function listPrerequisiteTypes(db: DbOrTx, includeInactive = false): PrerequisiteType[] {
	const rows = db.select().from(prerequisiteType).orderBy(asc(prerequisiteType.sortOrder), asc(prerequisiteType.code)).all();
	return includeInactive ? rows : rows.filter((row) => row.active);
}

export function getPrerequisiteType(db: DbOrTx, id: string): PrerequisiteType | undefined {
	return db.select().from(prerequisiteType).where(eq(prerequisiteType.id, id)).get();
}

/** Whether a prerequisite concerns this tenant (its sector, provider type and Kanta services). */
export function appliesTo(type: PrerequisiteType, tenant: Pick<Tenant, 'serviceSector' | 'providerType'>, serviceCodes: string[]): boolean {
	if (!type.active) return false;
	if (type.sectors.length && !type.sectors.includes(tenant.serviceSector)) return false;
	if (type.providerTypes.length && !type.providerTypes.includes(tenant.providerType)) return false;
	if (type.serviceCodes.length && !type.serviceCodes.some((code) => serviceCodes.includes(code))) return false;
	return true;
}

export function prerequisiteName(type: Pick<PrerequisiteType, 'nameFi' | 'nameSv' | 'nameEn'>, locale: string): string {
	return locale === 'sv' ? type.nameSv : locale === 'en' ? type.nameEn : type.nameFi;
}

export function prerequisiteGuidance(type: Pick<PrerequisiteType, 'guidanceFi' | 'guidanceSv' | 'guidanceEn'>, locale: string): string {
	return locale === 'sv' ? type.guidanceSv : locale === 'en' ? type.guidanceEn : type.guidanceFi;
}

export type SaveTypeResult = { ok: true; id: string } | { ok: false; reason: 'code_taken' };

/** Adds or changes a catalogue entry; the caller then brings every tenant's checklist up to date. */
export function savePrerequisiteType(db: Db, actor: Actor, input: Omit<PrerequisiteInput, 'sortOrder'>, id?: string): SaveTypeResult {
	return db.transaction((tx) => {
		const sameCode = tx.select({ id: prerequisiteType.id }).from(prerequisiteType).where(eq(prerequisiteType.code, input.code)).get();
		if (sameCode && sameCode.id !== id) return { ok: false, reason: 'code_taken' } as const;
		if (id) {
			tx.update(prerequisiteType).set(input).where(eq(prerequisiteType.id, id)).run();
			audit(tx, actor, { action: 'prerequisite_type.update', targetType: 'prerequisite_type', targetId: id, summary: input.code });
			return { ok: true, id } as const;
		}
		const newId = crypto.randomUUID();
		const last = listPrerequisiteTypes(tx, true).at(-1);
		tx.insert(prerequisiteType).values({ ...input, id: newId, sortOrder: (last?.sortOrder ?? 0) + 10 }).run();
		audit(tx, actor, { action: 'prerequisite_type.create', targetType: 'prerequisite_type', targetId: newId, summary: input.code });
		return { ok: true, id: newId } as const;
	});
}

/** Installations set up before the catalogue existed get the defaults once. */
export function ensureCatalogue(db: Db): boolean {
	if (db.select({ id: prerequisiteType.id }).from(prerequisiteType).get()) return false;
	db.transaction((tx) => seedDefaultPrerequisites(tx));
	return true;
}
