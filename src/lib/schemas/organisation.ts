import { z } from 'zod';
import { DESIGNATED_ROLES } from '$lib/domain';
import { businessId, email, oid, optionalText, password, phone, postalCode, requiredText } from './fields';

export const organisationSchema = z.object({
	name: requiredText(),
	businessId,
	oid,
	streetAddress: requiredText(),
	postalCode,
	city: requiredText(100),
	contactEmail: email,
	soteriRegistration: optionalText(100)
});

export const setupSchema = organisationSchema.extend({
	adminName: requiredText(),
	adminEmail: email,
	adminPassword: password,
	adminPasswordConfirm: z.string()
});

export const designatedPersonSchema = z.object({
	role: z.enum(DESIGNATED_ROLES, { error: 'error_choose_one' }),
	name: requiredText(),
	title: optionalText(),
	email,
	phone
});
