import { z } from 'zod';
import {
	AGREEMENT_STATUSES,
	CERTIFICATE_KINDS,
	CHECKLIST_STATUSES,
	FILE_CERTIFICATE_KINDS,
	HOLDER_TYPES,
	INCIDENT_KINDS,
	INCIDENT_STATUSES,
	JOINT_CONTROL_SERVICES,
	INSTRUCTION_AUDIENCES,
	INSTRUCTION_CATEGORIES,
	PREREQUISITE_CATEGORIES,
	ROLES,
	SECURITY_PLAN_CHAPTERS,
	SECURITY_REQUIREMENT_STATUSES,
	TENANT_STAGES,
	USER_STATUSES
} from '../../domain';

/**
 * The integration API's inputs and outputs. Routes parse with the input schemas; the OpenAPI
 * document is generated from all of them (openapi.ts), so what is documented is what is checked.
 */

const cursor = z.string().max(500).optional().meta({ description: 'The `nextCursor` of the previous page; leave out for the first.' });
const limit = z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Items per page, 1–200 (default 50).' });
export const pageQuery = z.strictObject({ cursor, limit });

export const tenantListQuery = z.strictObject({
	cursor,
	limit,
	stage: z.enum(TENANT_STAGES).optional(),
	q: z.string().trim().max(100).optional().meta({ description: 'Part of the name, business ID or city.' }),
	archived: z.enum(['true', 'false']).default('false').meta({ description: 'Archived tenants instead of current ones.' })
});

export const certificateListQuery = z.strictObject({
	cursor,
	limit,
	tenantId: z.uuid().optional().meta({ description: "One tenant's certificates (a tenant's own token always sees only its own)." }),
	kind: z.enum(CERTIFICATE_KINDS).optional(),
	holderType: z.enum(HOLDER_TYPES).optional(),
	expiringWithinDays: z.coerce
		.number()
		.int()
		.min(0)
		.max(3650)
		.optional()
		.meta({ description: 'Only certificates that expire within this many days (0: already expired).' })
});

export const idParam = z.uuid();

const dateTime = z.iso.datetime().meta({ description: 'ISO 8601, UTC' });
const nullableDateTime = dateTime.nullable();
const isoDate = z.iso.date();

export const tenantOut = z
	.object({
		id: z.uuid(),
		name: z.string(),
		businessId: z.string(),
		oid: z.string(),
		city: z.string(),
		serviceSector: z.string(),
		providerType: z.string(),
		agreementLanguage: z.string(),
		stage: z.enum(TENANT_STAGES),
		archived: z.boolean(),
		createdAt: dateTime,
		updatedAt: nullableDateTime
	})
	.meta({ id: 'Tenant' });

export const personOut = z
	.object({
		id: z.uuid(),
		name: z.string(),
		email: z.string(),
		status: z.enum(USER_STATUSES),
		roles: z.array(z.enum(ROLES)),
		createdAt: dateTime,
		deactivatedAt: nullableDateTime
	})
	.meta({ id: 'Person' });

export const checklistOut = z
	.object({
		tenantId: z.uuid(),
		ready: z.boolean().meta({ description: 'Every required item verified.' }),
		progress: z.object({ done: z.number().int(), total: z.number().int(), percent: z.number().int() }),
		items: z.array(
			z.object({
				id: z.uuid(),
				code: z.string(),
				name: z.string(),
				category: z.enum(PREREQUISITE_CATEGORIES),
				required: z.boolean(),
				status: z.enum(CHECKLIST_STATUSES),
				done: z.boolean(),
				overdue: z.boolean(),
				dueDate: isoDate.nullable()
			})
		)
	})
	.meta({ id: 'Checklist' });

export const certificateOut = z
	.object({
		id: z.uuid(),
		kind: z.enum(CERTIFICATE_KINDS),
		holderType: z.enum(HOLDER_TYPES),
		tenantId: z.uuid().nullable(),
		holderName: z.string(),
		subject: z.string(),
		issuer: z.string(),
		serialNumber: z.string(),
		fingerprintSha256: z.string().nullable(),
		validFrom: nullableDateTime,
		validTo: dateTime,
		reference: z.string(),
		supersededAt: nullableDateTime,
		renewalOrderedAt: nullableDateTime
	})
	.meta({ id: 'Certificate' });

export const agreementOut = z
	.object({
		id: z.uuid(),
		tenantId: z.uuid(),
		status: z.enum(AGREEMENT_STATUSES),
		language: z.enum(['fi', 'sv', 'en']),
		inForceAt: nullableDateTime,
		endDate: isoDate.nullable(),
		endedAt: nullableDateTime,
		sealedAt: nullableDateTime,
		sealedSha256: z.string().nullable().meta({ description: 'SHA-256 of the sealed PDF.' }),
		createdAt: dateTime
	})
	.meta({ id: 'Agreement' });

export const instructionOut = z
	.object({
		id: z.uuid(),
		title: z.string(),
		category: z.enum(INSTRUCTION_CATEGORIES),
		audience: z.enum(INSTRUCTION_AUDIENCES),
		requiresAcknowledgement: z.boolean(),
		version: z.number().int().nullable(),
		coverage: z
			.object({ acknowledged: z.number().int(), total: z.number().int() })
			.meta({ description: "People who hold a current acknowledgement, of those it is meant for (a tenant's token: its own people)." })
	})
	.meta({ id: 'Instruction' });

const requirementCounts = z
	.object(
		Object.fromEntries(SECURITY_REQUIREMENT_STATUSES.map((status) => [status, z.number().int()])) as Record<
			(typeof SECURITY_REQUIREMENT_STATUSES)[number],
			z.ZodNumber
		>
	)
	.meta({ id: 'RequirementCounts', description: 'Requirements by status.' });

/** How far the main connector's information-security plan is: counts only, never its (confidential) text. */
export const securityPlanStatusOut = z
	.object({
		framework: z
			.object({ key: z.string(), version: z.number().int() })
			.nullable()
			.meta({ description: 'Null until a framework is loaded.' }),
		started: z.boolean().meta({ description: 'Whether anything has been recorded in the plan.' }),
		progress: z.number().int().meta({ description: 'Share of requirements implemented or verified, 0–100.' }),
		counts: requirementCounts,
		dueForReview: z.number().int().meta({ description: 'Requirements whose review date has come.' }),
		sections: z.array(z.object({ chapter: z.enum(SECURITY_PLAN_CHAPTERS), progress: z.number().int(), counts: requirementCounts }))
	})
	.meta({ id: 'SecurityPlanStatus' });

/** A certificate file, PEM text or DER in base64; the same checks as the upload form (a private key is refused). */
export const certificateCreateBody = z
	.strictObject({
		kind: z.enum(FILE_CERTIFICATE_KINDS),
		holder: z.discriminatedUnion('type', [
			z.strictObject({ type: z.literal('main_connector') }),
			z.strictObject({ type: z.literal('tenant'), tenantId: z.uuid() }),
			z.strictObject({ type: z.literal('person'), tenantId: z.uuid(), userId: z.uuid() })
		]),
		reference: z.string().trim().max(200).default(''),
		pem: z.string().max(200_000).optional().meta({ description: 'The certificate in PEM form (chain allowed: the first is stored).' }),
		der: z.base64().max(200_000).optional().meta({ description: 'The certificate in DER form, base64-encoded.' })
	})
	.refine((body) => (body.pem === undefined) !== (body.der === undefined), { error: 'Give exactly one of pem and der.', path: ['pem'] })
	.meta({ id: 'CertificateCreate' });

export const incidentCreateBody = z
	.strictObject({
		kind: z.enum(INCIDENT_KINDS),
		noticedAt: z.iso.datetime({ offset: true }).meta({ description: 'When it was noticed (ISO 8601 with offset); not in the future.' }),
		description: z.string().trim().min(1).max(4000),
		affected: z.string().trim().max(2000).default(''),
		reporterName: z.string().trim().min(1).max(200),
		reporterContact: z.string().trim().min(1).max(300),
		tenantIds: z.array(z.uuid()).max(5000).default([]).meta({ description: 'Tenants it concerns.' }),
		mainConnector: z.boolean().default(false).meta({ description: "Whether it concerns the main connector's own activity." }),
		jointServices: z
			.array(z.enum(JOINT_CONTROL_SERVICES))
			.default([])
			.meta({ description: 'For a data breach: jointly controlled services touched.' })
	})
	.refine((body) => Date.parse(body.noticedAt) <= Date.now() + 5 * 60_000, { error: 'Must not be in the future.', path: ['noticedAt'] })
	.meta({ id: 'IncidentCreate' });

export const incidentOut = z
	.object({ id: z.uuid(), kind: z.enum(INCIDENT_KINDS), status: z.enum(INCIDENT_STATUSES), noticedAt: dateTime, createdAt: dateTime })
	.meta({ id: 'Incident' });

export const pageOut = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const problemOut = z
	.object({
		type: z.string(),
		title: z.string(),
		status: z.number().int(),
		detail: z.string().optional(),
		errors: z.array(z.object({ path: z.string(), message: z.string() })).optional()
	})
	.meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
