import { asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { prerequisiteType, type PrerequisiteType, type Tenant } from '../db/schema';
import { audit, SYSTEM_ACTOR, type Actor } from '../actor';

export type PrerequisiteInput = Omit<PrerequisiteType, 'id' | 'createdAt'>;

type Seed = Omit<PrerequisiteInput, 'sortOrder' | 'active'>;

const t = (nameFi: string, nameSv: string, nameEn: string, guidanceFi: string, guidanceSv: string, guidanceEn: string) => ({
	nameFi,
	nameSv,
	nameEn,
	guidanceFi,
	guidanceSv,
	guidanceEn
});

/**
 * What a tenant needs before Kanta production (domain.md "Onboarding prerequisites"), written in
 * our own words. Administrators edit and extend this list in the portal.
 */
export const DEFAULT_PREREQUISITES: Seed[] = [
	{
		code: 'agreement_in_force',
		...t(
			'Liittymissopimus voimassa',
			'Anslutningsavtalet i kraft',
			'Connection agreement in force',
			'Sopimus on allekirjoitettu Liitoksessa ja on voimassa.',
			'Avtalet har undertecknats i Liitos och är i kraft.',
			'The agreement has been signed in Liitos and is in force.'
		),
		category: 'system_and_agreement',
		responsibleParty: 'main_connector',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'derived',
		derivedRule: 'agreement_in_force',
		renewalMonths: null,
		required: true
	},
	{
		// The tenant is the controller of its clients' data and the main connector processes it, so the
		// processing needs an agreement of its own beside the connection agreement.
		code: 'client_data_processing_agreement',
		...t(
			'Sopimus asiakastietojen käsittelystä',
			'Avtal om behandling av klientuppgifter',
			'Agreement on processing client data',
			'Liittymissopimuksen lisäksi osapuolet ovat sopineet erikseen, miten pääliittyjä käsittelee vuokralaisen asiakastietoja (asiakastietolaki 14 §, liittymissopimuksen 14 §, THL:n määräyksen luku 3). Liitä allekirjoitettu sopimus.',
			'Utöver anslutningsavtalet har parterna i ett separat avtal kommit överens om hur huvudanslutaren behandlar hyresgästens klientuppgifter (kunduppgiftslagen 14 §, anslutningsavtalets 14 §, kapitel 3 i THL:s föreskrift). Bifoga det undertecknade avtalet.',
			"Besides the connection agreement, the parties have agreed separately how the main connector processes the tenant's client data (Client Data Act 14 §, agreement §14, chapter 3 of THL's regulation). Attach the signed agreement."
		),
		category: 'system_and_agreement',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'file',
		derivedRule: null,
		renewalMonths: null,
		required: true
	},
	{
		code: 'server_certificates',
		...t(
			'Palvelin- ja järjestelmäallekirjoitusvarmenteet voimassa',
			'Server- och systemsignaturcertifikat giltiga',
			'Server and system signature certificates valid',
			'Pääliittyjän DVV:n palvelinvarmenne (enintään 1 vuosi) ja järjestelmäallekirjoitusvarmenne (enintään 2 vuotta) ovat voimassa varmennerekisterissä.',
			'Huvudanslutarens servercertifikat (högst 1 år) och systemsignaturcertifikat (högst 2 år) från DVV är giltiga i certifikatregistret.',
			"The main connector's DVV server certificate (at most 1 year) and system signature certificate (at most 2 years) are valid in the certificate registry."
		),
		category: 'certificates',
		responsibleParty: 'main_connector',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'derived',
		derivedRule: 'server_certificates_valid',
		renewalMonths: null,
		required: true
	},
	{
		code: 'professional_cards',
		...t(
			'Ammattikortit kaikilla ammattilaisilla',
			'Yrkeskort för alla yrkesutbildade',
			'Certificate cards for all professionals',
			'Jokaisella vuokralaisen ammattihenkilöllä on voimassa oleva DVV:n ammattikortti (tai korvaava kortti) rekisterissä.',
			'Varje yrkesutbildad person hos hyresgästen har ett giltigt yrkeskort (eller ersättande kort) från DVV i registret.',
			'Every professional of the tenant holds a valid DVV professional card (or replacement card) in the registry.'
		),
		category: 'certificates',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'derived',
		derivedRule: 'staff_cards_valid',
		renewalMonths: null,
		required: true
	},
	{
		code: 'sote_organisation_register',
		...t(
			'SOTE-organisaatiorekisteri',
			'SOTE-organisationsregistret',
			'SOTE organisation register',
			'Vuokralainen ja sen palveluyksiköt on merkitty THL:n SOTE-organisaatiorekisteriin. Kirjaa OID-tunnukset tai rekisteriotteen viite.',
			'Hyresgästen och dess serviceenheter finns i THL:s SOTE-organisationsregister. Ange OID-koderna eller en hänvisning till registerutdraget.',
			"The tenant and its service units are in THL's SOTE organisation register. Record the OIDs or a reference to the register extract."
		),
		category: 'organisation_register',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'reference',
		derivedRule: null,
		renewalMonths: null,
		required: true
	},
	{
		code: 'soteri_registration',
		...t(
			'Rekisteröinti Soteriin',
			'Registrering i Soteri',
			'Registered in Soteri',
			'Vuokralainen on palveluntuottajien rekisterissä (Soteri), jota pitää Lupa- ja valvontavirasto (aiemmin Valvira). Kirjaa rekisteröintinumero.',
			'Hyresgästen finns i registret över tjänsteproducenter (Soteri), som förs av Tillstånds- och tillsynsverket (tidigare Valvira). Ange registreringsnumret.',
			'The tenant is in the register of service providers (Soteri), kept by the Finnish Supervisory Agency (formerly Valvira). Record the registration number.'
		),
		category: 'organisation_register',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'reference',
		derivedRule: null,
		renewalMonths: null,
		required: true
	},
	{
		// What gates Kanta here is not a second Soteri entry but the unit reaching THL's code service.
		code: 'social_welfare_data_valvira',
		...t(
			'Sosiaalihuollon palveluyksikkö THL:n koodistopalvelussa',
			'Socialvårdens serviceenhet i THL:s kodtjänst',
			"Social welfare unit in THL's code service",
			'Yksityisen sosiaalihuollon palveluyksikön tiedot kulkevat Soterista (Lupa- ja valvontavirasto, aiemmin Valvira; Soteri korvasi Valverin) THL:n koodistopalveluun, ja Kanta tunnistaa yksikön sieltä saadusta OID-tunnuksesta. Kohta täyttyy, kun vuokralaisella on vähintään yksi palveluyksikkö ja jokaisen OID on vuokralaisen juuritunnuksen alla.',
			'Uppgifterna om den privata socialvårdens serviceenhet går från Soteri (Tillstånds- och tillsynsverket, tidigare Valvira; Soteri ersatte Valveri) till THL:s kodtjänst, och Kanta känner igen enheten på den OID som kommer därifrån. Punkten uppfylls när hyresgästen har minst en serviceenhet och varje enhets OID ligger under hyresgästens rot-OID.',
			"The private social welfare unit's data passes from Soteri (Finnish Supervisory Agency, formerly Valvira; Soteri replaced Valveri) to THL's code service, and Kanta knows the unit by the OID it gets there. Met when the tenant has at least one service unit and each unit's OID lies below the tenant's root OID."
		),
		category: 'organisation_register',
		responsibleParty: 'tenant',
		sectors: ['social_welfare'],
		providerTypes: ['private'],
		serviceCodes: [],
		evidenceKind: 'derived',
		derivedRule: 'unit_in_code_service',
		renewalMonths: null,
		required: true
	},
	{
		code: 'staff_training',
		...t(
			'Henkilöstö koulutettu',
			'Personalen utbildad',
			'Staff trained',
			'Jokaisella aktiivisella henkilöllä on voimassa oleva suoritus jokaisesta hänen roolinsa edellyttämästä koulutuksesta (Kanta-palvelujen käyttö, tietosuoja ja tietoturva). Seurataan koulutusrekisterissä.',
			'Varje aktiv person har en giltig genomförd utbildning i varje modul som rollen kräver (användning av Kanta-tjänsterna, dataskydd och informationssäkerhet). Följs upp i utbildningsregistret.',
			'Every active person holds a valid completion of each training their role requires (using the Kanta services, data protection and information security). Followed in the training records.'
		),
		category: 'training',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'derived',
		derivedRule: 'staff_trained',
		renewalMonths: null,
		required: true
	},
	{
		code: 'user_access_register',
		...t(
			'Käyttäjä- ja käyttöoikeusrekisteri ajan tasalla',
			'Registret över användare och behörigheter aktuellt',
			'Register of users and access rights up to date',
			'Vuokralaisen henkilöt ja roolit Liitoksessa ovat sen rekisteri asiakastietojärjestelmän käyttäjistä ja heidän oikeuksistaan (asiakastietolaki 15 § 3 mom.). Lopettanut henkilö poistetaan käytöstä täällä, ja kohta täyttyy, kun pääliittyjä on poistanut jokaisen lopettaneen oikeudet tietojärjestelmästä.',
			'Hyresgästens personer och roller i Liitos är dess register över användarna av klientdatasystemet och deras behörigheter (kunduppgiftslagen 15 § 3 mom.). Den som slutar inaktiveras här, och punkten uppfylls när huvudanslutaren har tagit bort varje avgången persons behörigheter i informationssystemet.',
			"The tenant's people and roles in Liitos are its register of the client information system's users and their rights (Client Data Act 15 § 3 mom.). Someone who leaves is deactivated here; the item is met once the main connector has removed every leaver's rights from the information system."
		),
		category: 'other',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'derived',
		derivedRule: 'access_register_current',
		renewalMonths: null,
		required: true
	},
	{
		// Agreement §17 and §1: the main connector keeps the log register and monitors it.
		code: 'log_monitoring',
		...t(
			'Lokivalvonta järjestetty',
			'Loggövervakningen ordnad',
			'Log monitoring in place',
			'Asiakastietojen käytöstä ja luovutuksista kertyy rekisterikohtainen loki, ja sen säännöllinen valvonta on kuvattu ja käytössä (asiakastietolaki 25 §, liittymissopimuksen 17 §). Liitä kuvaus valvontatavasta. Tarkistetaan vuosittain.',
			'Användning och utlämnande av klientuppgifter loggas per register, och loggarna övervakas regelbundet enligt en beskriven rutin (kunduppgiftslagen 25 §, anslutningsavtalets 17 §). Bifoga beskrivningen av rutinen. Granskas årligen.',
			'Every use and disclosure of client data is logged per register, and the logs are monitored regularly by a described routine (Client Data Act 25 §, agreement §17). Attach the description of the routine. Reviewed yearly.'
		),
		category: 'other',
		responsibleParty: 'main_connector',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'file',
		derivedRule: null,
		renewalMonths: 12,
		required: true
	},
	{
		code: 'self_monitoring_plan',
		...t(
			'Omavalvontasuunnitelma päivitetty',
			'Egenkontrollplanen uppdaterad',
			'Self-monitoring plan updated',
			'Omavalvontasuunnitelma on päivitetty kattamaan Kanta-palvelujen käytön. Tarkistetaan vuosittain.',
			'Egenkontrollplanen har uppdaterats så att den omfattar användningen av Kanta-tjänsterna. Granskas årligen.',
			'The self-monitoring plan has been updated to cover the use of the Kanta services. Reviewed yearly.'
		),
		category: 'plan_update',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'file',
		derivedRule: null,
		renewalMonths: 12,
		required: true
	},
	{
		// Agreement §2: the main connector makes the plan; the tenant's part is the next item. Both
		// follow the plan workspace (prerequisites/security-plan-state.ts says why these rules).
		code: 'security_plan',
		...t(
			'Pääliittyjän tietoturvasuunnitelma laadittu',
			'Huvudanslutarens informationssäkerhetsplan upprättad',
			"Main connector's information security plan in place",
			'Pääliittyjä laatii tietoturvasuunnitelman (THL 3/2024, luvut 6.1–6.12) Liitoksen suunnitelmatyötilassa ja pitää sen ajan tasalla (liittymissopimuksen 2 §). Kohta täyttyy, kun vastuullinen johtaja on hyväksynyt suunnitelmasta version, uusin hyväksytty versio on muuttumaton (sen sisältö vastaa hyväksynnässä otettua tiivistettä) eikä yhdenkään vaatimuksen tarkistuspäivä ole koittanut.',
			'Huvudanslutaren upprättar informationssäkerhetsplanen (THL 3/2024, kapitel 6.1–6.12) i planens arbetsyta i Liitos och håller den aktuell (anslutningsavtalets 2 §). Punkten uppfylls när den ansvariga föreståndaren har godkänt en version av planen, den senaste godkända versionen är oförändrad (innehållet stämmer med den hashsumma som togs vid godkännandet) och inget krav har nått sin granskningsdag.',
			'The main connector makes the information security plan (THL 3/2024, chapters 6.1–6.12) in the plan workspace in Liitos and keeps it current (agreement §2). Met when the responsible director has approved a version of the plan, the newest approved version is unaltered (its content matches the hash taken at approval), and no requirement has reached its review date.'
		),
		category: 'plan_update',
		responsibleParty: 'main_connector',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'derived',
		derivedRule: 'security_plan_in_place',
		renewalMonths: null,
		required: true
	},
	{
		code: 'security_plan_followed',
		...t(
			'Henkilöstö noudattaa tietoturvasuunnitelmaa',
			'Personalen följer informationssäkerhetsplanen',
			'Staff follow the information security plan',
			'Vuokralaisen ammattihenkilöt tuntevat pääliittyjän tietoturvasuunnitelman heitä sitovat osiot ja sitoutuvat noudattamaan niitä (liittymissopimuksen 2 ja 11 §). Kohta täyttyy, kun vuokralaisen pääkäyttäjä on kuitannut organisaation puolesta pääliittyjän suunnitelman uusimman hyväksytyn version sitovat osiot. Jokainen uusi hyväksytty versio kuitataan uudelleen.',
			'Hyresgästens yrkesutbildade personer känner till de avsnitt i huvudanslutarens informationssäkerhetsplan som binder dem och förbinder sig att följa dem (anslutningsavtalets 2 och 11 §). Punkten uppfylls när hyresgästens huvudanvändare för organisationens räkning har kvitterat de bindande avsnitten i den senaste godkända versionen av huvudanslutarens plan. Varje ny godkänd version kvitteras på nytt.',
			"The tenant's professionals know the sections of the main connector's information security plan that bind them and commit to following them (agreement §2 and §11). Met when the tenant's administrator has acknowledged, for the organisation, the binding sections of the newest approved version of the main connector's plan. Each new approved version is acknowledged again."
		),
		category: 'plan_update',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'derived',
		derivedRule: 'security_plan_acknowledged',
		renewalMonths: null,
		required: true
	},
	{
		code: 'system_certification',
		...t(
			'Tietojärjestelmä sertifioitu',
			'Informationssystemet certifierat',
			'Information system certified',
			'Pääliittyjällä on vuokralaisen toimialaan sopiva A2- tai A3-luokan järjestelmä (terveydenhuollossa potilastietojärjestelmä, sosiaalihuollossa sosiaalihuollon asiakastietojärjestelmä), ja sen tietoturvallisuuden arviointitodistus on voimassa (uusitaan vähintään 3 vuoden välein). Seurataan pääliittyjän tietojärjestelmärekisteristä: vanhentunut todistus estää tuotantokäytön.',
			'Huvudanslutaren har ett system i klass A2 eller A3 som passar hyresgästens verksamhet (patientdatasystem inom hälso- och sjukvården, klientdatasystem för socialvården inom socialvården), och dess intyg över bedömning av informationssäkerheten är giltigt (förnyas minst vart tredje år). Följs upp i huvudanslutarens register över informationssystem: ett utgånget intyg hindrar produktionsbruk.',
			"The main connector has a class A2 or A3 system suited to the tenant's field (a patient data system in health care, a social welfare client data system in social welfare) whose security assessment certificate is valid (renewed at least every 3 years). Followed in the main connector's information system registry: an expired certificate rules out production use."
		),
		category: 'system_and_agreement',
		responsibleParty: 'main_connector',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'derived',
		derivedRule: 'system_certified',
		renewalMonths: null,
		required: true
	},
	{
		code: 'deployment_test',
		...t(
			'Käyttöönottokoe tehty',
			'Ibruktagningsprovet genomfört',
			'Deployment test done',
			'Käyttöönottokoe on tehty yhdessä pääliittyjän arkistonhoitajan kanssa ennen tuotantokäyttöä (liittymissopimuksen 12 §). Kirjaa kokeen päivä.',
			'Ibruktagningsprovet har genomförts tillsammans med huvudanslutarens arkivarie före produktionsbruk (anslutningsavtalets 12 §). Ange datumet för provet.',
			"The deployment test has been carried out with the main connector's archivist before production use (agreement §12). Record the date of the test."
		),
		category: 'system_and_agreement',
		responsibleParty: 'main_connector',
		sectors: [],
		providerTypes: [],
		serviceCodes: ['patient_data_repository', 'social_welfare_archive'],
		evidenceKind: 'date',
		derivedRule: null,
		renewalMonths: null,
		required: true
	},
	{
		code: 'national_specifications_health',
		...t(
			'Kansalliset määritykset kirjaamisessa',
			'Nationella specifikationer i dokumentationen',
			'National specifications used in recording',
			'Potilastiedot kirjataan kansallisten rakenteiden sekä THL:n koodistopalvelun luokitusten ja koodistojen mukaisesti. Kirjaa päivä, josta alkaen näin on toimittu.',
			'Patientuppgifterna dokumenteras enligt de nationella strukturerna och klassifikationerna och kodlistorna i THL:s kodtjänst. Ange från vilket datum man har arbetat så.',
			"Patient data is recorded in the national structures, with the classifications and code lists of THL's code service. Record the date from which this has been done."
		),
		category: 'other',
		responsibleParty: 'tenant',
		sectors: ['health_care'],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'date',
		derivedRule: null,
		renewalMonths: null,
		required: true
	},
	{
		code: 'national_specifications_social',
		...t(
			'Kansalliset määritykset kirjaamisessa (Sosmeta)',
			'Nationella specifikationer i dokumentationen (Sosmeta)',
			'National specifications used in recording (Sosmeta)',
			'Sosiaalihuollon asiakastyö kirjataan kansallisten määritysten mukaisesti: asiakirjat Sosmetan (sosiaalihuollon asiakirjarakenteiden ja metatietojen palvelu) rakenteilla ja koodistot THL:n koodistopalvelusta. Kirjaa päivä, josta alkaen näin on toimittu.',
			'Klientarbetet inom socialvården dokumenteras enligt de nationella specifikationerna: handlingarna med strukturerna i Sosmeta (tjänsten för handlingsstrukturer och metadata inom socialvården) och kodlistorna ur THL:s kodtjänst. Ange från vilket datum man har arbetat så.',
			"Social welfare client work is recorded to the national specifications: documents in the Sosmeta structures (the service for social welfare document structures and metadata), code lists from THL's code service. Record the date from which this has been done."
		),
		category: 'other',
		responsibleParty: 'tenant',
		sectors: ['social_welfare'],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'date',
		derivedRule: null,
		renewalMonths: null,
		required: true
	},
	{
		code: 'kela_customer_relationship',
		...t(
			'Kelan asiakkuuden hallinnolliset toimet',
			'Administrativa åtgärder för FPA-kundrelationen',
			'Kela customer relationship set up',
			'Kelan asiakkuuteen liittyvät hallinnolliset toimet on tehty pääliittyjän liittymishakemuksen yhteydessä.',
			'De administrativa åtgärderna för kundrelationen med FPA har gjorts i samband med huvudanslutarens ansökan.',
			"The administrative steps of the Kela customer relationship have been completed with the main connector's application."
		),
		category: 'system_and_agreement',
		responsibleParty: 'main_connector',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'date',
		derivedRule: null,
		renewalMonths: null,
		required: true
	},
	{
		code: 'operating_models',
		...t(
			'Toimintamallit sovittu',
			'Verksamhetsmodellerna överenskomna',
			'Operating models agreed',
			'Kansalliset toimintamallit on otettu käyttöön ja tuotannon aikaiset toimintatavat sovittu pääliittyjän kanssa.',
			'De nationella verksamhetsmodellerna har tagits i bruk och arbetssätten under produktion har avtalats med huvudanslutaren.',
			'The national operating models have been adopted and the ways of working in production agreed with the main connector.'
		),
		category: 'other',
		responsibleParty: 'tenant',
		sectors: [],
		providerTypes: [],
		serviceCodes: [],
		evidenceKind: 'date',
		derivedRule: null,
		renewalMonths: null,
		required: true
	}
];

/**
 * Adds every default entry whose code the catalogue lacks, after the existing ones: at setup, all of
 * them; on an upgrade, the ones added since. Entries are never deleted (only deactivated), so a
 * missing code is a new one. Returns the codes added.
 */
export function addMissingDefaults(tx: DbOrTx): string[] {
	const existing = listPrerequisiteTypes(tx, true);
	const have = new Set(existing.map((type) => type.code));
	const missing = DEFAULT_PREREQUISITES.filter((seed) => !have.has(seed.code));
	const last = existing.at(-1)?.sortOrder ?? 0;
	if (missing.length)
		tx.insert(prerequisiteType)
			.values(missing.map((seed, i) => ({ ...seed, id: crypto.randomUUID(), sortOrder: last + (i + 1) * 10, active: true })))
			.run();
	return missing.map((seed) => seed.code);
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
		tx.insert(prerequisiteType)
			.values({ ...input, id: newId, sortOrder: (last?.sortOrder ?? 0) + 10 })
			.run();
		audit(tx, actor, { action: 'prerequisite_type.create', targetType: 'prerequisite_type', targetId: newId, summary: input.code });
		return { ok: true, id: newId } as const;
	});
}

/**
 * At start-up: installations set up before the catalogue existed, or before some default entries
 * were added, get the missing ones (the caller then syncs every checklist, which adds items and
 * keeps the existing ones as they are).
 */
export function ensureCatalogue(db: Db): number {
	return db.transaction((tx) => {
		const added = addMissingDefaults(tx);
		if (added.length)
			audit(tx, SYSTEM_ACTOR, { action: 'prerequisite_type.create', targetType: 'prerequisite_type', summary: added.join(', ') });
		return added.length;
	});
}
