import { asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { kantaService, type KantaService } from '../db/schema';
import { audit, type Actor } from '../actor';

type ServiceSeed = Pick<KantaService, 'code' | 'nameFi' | 'nameSv' | 'nameEn' | 'needsReview' | 'selectable'>;

/**
 * The catalogue a new installation starts with (Annex 1 candidates). Names marked `needsReview`
 * include our own translations: no official name was found for them. The Swedish names of the
 * information management and will-expression services are those of Kela's model agreement.
 * The Pharmaceutical Database (a support service the main connector keeps current, agreement §3)
 * and Kelain (Kela's own web tool, not used through the main connector's system) are listed so
 * older tenant records stay readable, but they are never a tenant's choice.
 */
export const DEFAULT_KANTA_SERVICES: ServiceSeed[] = [
	{
		code: 'prescription',
		nameFi: 'Resepti',
		nameSv: 'Recepttjänsten',
		nameEn: 'Prescription Service',
		needsReview: false,
		selectable: true
	},
	{
		code: 'patient_data_repository',
		nameFi: 'Potilastiedon arkisto',
		nameSv: 'Patientdataarkivet',
		nameEn: 'Patient Data Repository',
		needsReview: false,
		selectable: true
	},
	{
		code: 'social_welfare_archive',
		nameFi: 'Sosiaalihuollon asiakastiedon arkisto',
		nameSv: 'Klientdataarkivet för socialvården',
		nameEn: 'Client Data Archive for Social Welfare',
		needsReview: false,
		selectable: true
	},
	{
		code: 'data_management_service',
		nameFi: 'Tiedonhallintapalvelu',
		nameSv: 'Informationshanteringstjänsten',
		nameEn: 'Patient Data Management Service',
		needsReview: true,
		selectable: true
	},
	{
		code: 'will_expression',
		nameFi: 'Tahdonilmaisupalvelu',
		nameSv: 'Viljeyttringstjänsten',
		nameEn: 'Will-expression Service',
		needsReview: true,
		selectable: true
	},
	{
		code: 'pharmaceutical_database',
		nameFi: 'Lääketietokanta',
		nameSv: 'Läkemedelsdatabasen',
		nameEn: 'Pharmaceutical Database',
		needsReview: false,
		selectable: false
	},
	{ code: 'kelain', nameFi: 'Kelain', nameSv: 'Kelain', nameEn: 'Kelain (web prescribing)', needsReview: false, selectable: false },
	{
		code: 'imaging_archive',
		nameFi: 'Kuva-aineistojen arkistointi',
		nameSv: 'Arkivering av bildmaterial',
		nameEn: 'Imaging data archiving',
		needsReview: true,
		selectable: true
	},
	{
		code: 'certificates_and_statements',
		nameFi: 'Todistusten ja lausuntojen arkistointi ja välitys',
		nameSv: 'Arkivering och förmedling av intyg och utlåtanden',
		nameEn: 'Certificates and statements',
		needsReview: true,
		selectable: true
	},
	{
		code: 'legacy_patient_data',
		nameFi: 'Vanhojen potilastietojen arkistointi',
		nameSv: 'Arkivering av äldre patientuppgifter',
		nameEn: 'Archiving of old patient data',
		needsReview: true,
		selectable: true
	},
	{
		code: 'purchased_service_authorisation',
		nameFi: 'Ostopalvelun valtuutus',
		nameSv: 'Fullmakt för köpta tjänster',
		nameEn: 'Purchased-service authorisation',
		needsReview: true,
		selectable: true
	}
];

export function seedDefaultServices(tx: DbOrTx): void {
	tx.insert(kantaService)
		.values(DEFAULT_KANTA_SERVICES.map((s, i) => ({ ...s, id: crypto.randomUUID(), sortOrder: (i + 1) * 10 })))
		.onConflictDoNothing()
		.run();
}

export function listServices(db: DbOrTx): KantaService[] {
	return db.select().from(kantaService).orderBy(asc(kantaService.sortOrder), asc(kantaService.code)).all();
}

/** The services a tenant may choose for Annex 1 of a new agreement. */
export function listSelectableServices(db: DbOrTx): KantaService[] {
	return listServices(db).filter((service) => service.selectable);
}

/** The service's name in the reader's language. */
export function serviceName(service: Pick<KantaService, 'nameFi' | 'nameSv' | 'nameEn'>, locale: string): string {
	return locale === 'sv' ? service.nameSv : locale === 'en' ? service.nameEn : service.nameFi;
}

export type ServiceInput = Pick<KantaService, 'code' | 'nameFi' | 'nameSv' | 'nameEn' | 'needsReview'>;

export function addService(db: Db, actor: Actor, input: ServiceInput): { ok: true; id: string } | { ok: false; reason: 'code_taken' } {
	return db.transaction((tx) => {
		if (tx.select().from(kantaService).where(eq(kantaService.code, input.code)).get()) return { ok: false, reason: 'code_taken' } as const;
		const last = listServices(tx).at(-1);
		const id = crypto.randomUUID();
		tx.insert(kantaService)
			.values({ ...input, id, sortOrder: (last?.sortOrder ?? 0) + 10 })
			.run();
		audit(tx, actor, { action: 'service.create', targetType: 'kanta_service', targetId: id, summary: input.code });
		return { ok: true, id } as const;
	});
}
