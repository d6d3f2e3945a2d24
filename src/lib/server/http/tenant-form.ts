import { redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { listSelectableServices, serviceName } from '$lib/server/services/kanta-services';
import { createTenant, updateTenant, type TenantDetails } from '$lib/server/tenants/tenants';
import { tenantSchema } from '$lib/schemas/tenant';
import { actorOf } from './guard';
import { invalid, parseForm } from './forms';

/** The services a tenant may choose, as the tenant form shows them. */
export function serviceOptions() {
	const locale = getLocale();
	return listSelectableServices(db()).map((s) => ({ id: s.id, name: serviceName(s, locale) }));
}

/** A stored tenant in the shape the form posts, so edit starts from what is saved. */
export function tenantFormValues(t: TenantDetails) {
	return {
		name: t.name,
		businessId: t.businessId,
		oid: t.oid,
		streetAddress: t.streetAddress,
		postalCode: t.postalCode,
		city: t.city,
		soteriRegistration: t.soteriRegistration,
		serviceSector: t.serviceSector,
		providerType: t.providerType,
		agreementLanguage: t.agreementLanguage,
		serviceIds: t.serviceIds,
		unitName: t.serviceUnits.map((u) => u.name),
		unitOid: t.serviceUnits.map((u) => u.oid),
		contactName: t.contacts.map((c) => c.name),
		contactTitle: t.contacts.map((c) => c.title),
		contactEmail: t.contacts.map((c) => c.email),
		contactPhone: t.contacts.map((c) => c.phone)
	};
}

/** Create (no `id`) or update a tenant from the posted form; the caller has authorised it. */
export async function saveTenantFromForm(event: RequestEvent, id?: string) {
	const parsed = parseForm(tenantSchema, await event.request.formData());
	if (!parsed.ok) return invalid(parsed.errors, parsed.values);
	const result = id ? updateTenant(db(), actorOf(event), id, parsed.data) : createTenant(db(), actorOf(event), parsed.data);
	if (!result.ok)
		return invalid(
			result.reason === 'service_not_offered' ? { serviceIds: m.error_invalid_value() } : { businessId: m.error_business_id_taken() },
			parsed.values
		);
	redirect(303, `/tenants/${result.id}?saved=1`);
}
