import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import {
	designatedPerson,
	kantaService,
	tenant as tenantTable,
	tenantService,
	type Agreement,
	type DesignatedRole,
	type KantaService,
	type MainConnector,
	type Tenant
} from '../db/schema';
import { getMainConnector } from '../organisation/organisation';
import { serviceName } from '../services/kanta-services';
import type { TemplateValues } from './template';
import { formatLongDate } from '../../i18n/format';

/** What an agreement prints: the template's values and the Annex 1 rows, in its language. */
export interface AgreementContent {
	values: TemplateValues;
	annex1: string[];
}

const join = (...parts: (string | null | undefined)[]) => parts.filter((p) => p && p.trim()).join(', ');

/** Everyone designated in the role (the model allows several, e.g. data protection officers). */
function designated(db: DbOrTx, role: DesignatedRole): string {
	const persons = db
		.select()
		.from(designatedPerson)
		.where(eq(designatedPerson.role, role))
		.orderBy(asc(designatedPerson.createdAt), asc(designatedPerson.name))
		.all();
	return persons.map((person) => join(person.name, person.title, person.email, person.phone)).join('; ');
}

/** What every agreement of the installation shares: the main connector and the persons it designated. */
export interface SharedValues {
	main: MainConnector | undefined;
	disturbance: string;
	archivist: string;
	dpo: string;
	physician: string;
}

/** Read once for many drafts (a campaign), or once per agreement. */
export function sharedValues(db: DbOrTx): SharedValues {
	return {
		main: getMainConnector(db),
		disturbance: designated(db, 'disturbance_contact'),
		archivist: designated(db, 'archivist'),
		dpo: designated(db, 'data_protection_officer'),
		physician: designated(db, 'responsible_physician')
	};
}

/**
 * The values as they are now in the tenant and organisation records. They are frozen into the
 * agreement when it is sent for signature, so later record changes never alter what was signed.
 */
export function currentContent(db: DbOrTx, draft: Agreement, now: Date, shared: SharedValues = sharedValues(db)): AgreementContent {
	const tenant = db.select().from(tenantTable).where(eq(tenantTable.id, draft.tenantId)).get();
	if (!tenant) throw new Error('The agreement has no parties');
	const services = db
		.select({ code: kantaService.code, nameFi: kantaService.nameFi, nameSv: kantaService.nameSv, nameEn: kantaService.nameEn })
		.from(tenantService)
		.innerJoin(kantaService, eq(tenantService.serviceId, kantaService.id))
		// A service no longer offered (e.g. Kelain) stays in older tenant records but not in new agreements.
		.where(and(eq(tenantService.tenantId, tenant.id), eq(kantaService.selectable, true)))
		.orderBy(asc(kantaService.sortOrder))
		.all();
	return contentOf(draft, tenant, services, now, shared);
}

export type ContentService = Pick<KantaService, 'code' | 'nameFi' | 'nameSv' | 'nameEn'>;

/**
 * The content of a draft from the records already read: the tenant and its selectable services in
 * their order. For many drafts at once (a campaign), read in a few queries rather than per draft.
 */
export function contentOf(
	draft: Pick<Agreement, 'noticeMonths' | 'renewalsForwarded' | 'serviceAgreementReference' | 'place' | 'language'>,
	tenant: Tenant,
	services: ContentService[],
	now: Date,
	shared: SharedValues
): AgreementContent {
	const main = shared.main;
	if (!main) throw new Error('The agreement has no parties');
	const values: TemplateValues = {
		'main.name': main.name,
		'main.businessId': main.businessId,
		'main.address': join(main.streetAddress, `${main.postalCode} ${main.city}`),
		'main.soteri': main.soteriRegistration,
		'main.oid': main.oid,
		'tenant.name': tenant.name,
		'tenant.businessId': tenant.businessId,
		'tenant.address': join(tenant.streetAddress, `${tenant.postalCode} ${tenant.city}`),
		'tenant.soteri': tenant.soteriRegistration,
		'tenant.oid': tenant.oid,
		'contact.disturbance': shared.disturbance,
		'contact.archivist': shared.archivist,
		'contact.dpo': shared.dpo,
		'contact.physician': shared.physician,
		'notice.months': String(draft.noticeMonths),
		'notice.custom': draft.noticeMonths !== 1,
		'renewals.forwarded': draft.renewalsForwarded,
		'serviceAgreement.reference': draft.serviceAgreementReference,
		place: draft.place,
		date: formatLongDate(now, draft.language)
	};
	for (const service of services) values[`uses.${service.code}`] = true;
	return { values, annex1: services.map((s) => serviceName(s, draft.language)) };
}

/** The frozen content once sent for signature; the live one while it is still a draft. */
export function agreementContent(db: DbOrTx, agreement: Agreement, now = new Date()): AgreementContent {
	return agreement.valuesSnapshot ? (JSON.parse(agreement.valuesSnapshot) as AgreementContent) : currentContent(db, agreement, now);
}
