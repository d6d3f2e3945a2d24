import { z } from 'zod';
import type { ApiScope } from '../../domain';
import {
	agreementOut,
	certificateCreateBody,
	certificateListQuery,
	certificateOut,
	incidentCreateBody,
	incidentOut,
	checklistOut,
	instructionOut,
	pageOut,
	pageQuery,
	personOut,
	securityPlanStatusOut,
	problemOut,
	tenantListQuery,
	tenantOut
} from './schemas';
import { DOCUMENTED_WEBHOOK_EVENTS, WEBHOOK_EVENT_DOCS, webhookBody } from './webhook-events';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with (zod 4's
 * own `z.toJSONSchema`; OpenAPI 3.1 schemas are JSON Schema 2020-12). `API_OPERATIONS` is the list
 * of routes; a unit test checks it against the route files under src/routes/api/v1.
 */

export interface ApiOperation {
	method: 'get' | 'post';
	/** OpenAPI form: `/tenants/{id}`. */
	path: string;
	summary: string;
	scope: ApiScope;
	query?: z.ZodObject;
	body?: z.ZodType;
	/** A JSON schema, or a file's media type. */
	response: z.ZodType | { mediaType: string };
	/** Status of success (200 unless given). */
	status?: number;
}

export const API_OPERATIONS: ApiOperation[] = [
	{
		method: 'get',
		path: '/tenants',
		summary: "Tenants by name, filtered by stage, search text or archived. A tenant's token lists only its own tenant.",
		scope: 'tenants:read',
		query: tenantListQuery,
		response: pageOut(tenantOut)
	},
	{ method: 'get', path: '/tenants/{id}', summary: 'One tenant.', scope: 'tenants:read', response: tenantOut },
	{
		method: 'get',
		path: '/tenants/{id}/people',
		summary: "The tenant's people by name, with roles and status.",
		scope: 'people:read',
		query: pageQuery,
		response: pageOut(personOut)
	},
	{
		method: 'get',
		path: '/tenants/{id}/checklist',
		summary: "The tenant's prerequisite checklist: readiness, progress and each item's status.",
		scope: 'checklists:read',
		response: checklistOut
	},
	{
		method: 'get',
		path: '/tenants/{id}/agreements',
		summary: "The tenant's agreements with their status.",
		scope: 'agreements:read',
		query: pageQuery,
		response: pageOut(agreementOut)
	},
	{ method: 'get', path: '/agreements/{id}', summary: "One agreement's status.", scope: 'agreements:read', response: agreementOut },
	{
		method: 'get',
		path: '/agreements/{id}/pdf',
		summary: 'The sealed agreement PDF (404 until it is sealed). The ETag is its SHA-256.',
		scope: 'agreements:read',
		response: { mediaType: 'application/pdf' }
	},
	{
		method: 'get',
		path: '/certificates',
		summary: 'Current certificates, soonest expiry first; `expiringWithinDays` lists those running out.',
		scope: 'certificates:read',
		query: certificateListQuery,
		response: pageOut(certificateOut)
	},
	{
		method: 'post',
		path: '/certificates',
		summary:
			'Adds a certificate from its file (PEM or DER), with the same checks as the upload form: a private key is refused (422), a certificate already recorded is 409, a renewal supersedes the holder’s current one.',
		scope: 'certificates:write',
		body: certificateCreateBody,
		response: certificateOut,
		status: 201
	},
	{ method: 'get', path: '/certificates/{id}', summary: 'One certificate.', scope: 'certificates:read', response: certificateOut },
	{
		method: 'post',
		path: '/incidents',
		summary:
			'Reports an incident; the same people are told as when it is reported in the portal. Filed in the name of the token’s creator.',
		scope: 'incidents:write',
		body: incidentCreateBody,
		response: incidentOut,
		status: 201
	},
	{
		method: 'get',
		path: '/instructions',
		summary: 'Current instructions with acknowledgement coverage.',
		scope: 'instructions:read',
		query: pageQuery,
		response: pageOut(instructionOut)
	},
	{
		method: 'get',
		path: '/security-plan',
		summary:
			"How far the main connector's information-security plan is (THL 3/2024): progress and requirement counts per chapter, and how many are due for review; never its text. The main connector's tokens only.",
		scope: 'security_plan:read',
		response: securityPlanStatusOut
	}
];

type Json = Record<string, unknown>;

/** A zod schema as an OpenAPI 3.1 schema; named parts (`.meta({ id })`) go to `components`. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, Json>): Json {
	const {
		$schema: _dialect,
		$defs,
		...json
	} = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json & {
		$defs?: Record<string, Json>;
	};
	const relink = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'));
	for (const [name, def] of Object.entries($defs ?? {})) components[name] = relink(def);
	if (typeof json.id === 'string') {
		const { id, ...rest } = json;
		components[id] = relink(rest);
		return { $ref: `#/components/schemas/${id}` };
	}
	return relink(json);
}

function queryParameters(query: z.ZodObject, components: Record<string, Json>): Json[] {
	const schema = toSchema(query, 'input', components) as { properties?: Record<string, Json>; required?: string[] };
	return Object.entries(schema.properties ?? {}).map(([name, property]) => {
		const { description, ...rest } = property;
		return { name, in: 'query', required: schema.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
	});
}

const problem = (description: string) => ({
	description,
	content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }
});

export function openApiDocument(serverUrl: string): Json {
	const components: Record<string, Json> = {};
	toSchema(problemOut, 'output', components);
	const paths: Record<string, Record<string, Json>> = {};
	for (const op of API_OPERATIONS) {
		const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
			name,
			in: 'path',
			required: true,
			schema: { type: 'string', format: 'uuid' }
		}));
		const content =
			'mediaType' in op.response
				? { [op.response.mediaType]: { schema: { type: 'string', contentMediaType: op.response.mediaType } } }
				: { 'application/json': { schema: toSchema(op.response, 'output', components) } };
		paths[op.path] ??= {};
		paths[op.path][op.method] = {
			operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By$1').replace(/(^|\/)(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
			summary: op.summary,
			security: [{ bearer: [op.scope] }],
			'x-scope': op.scope,
			parameters: [...pathParams, ...(op.query ? queryParameters(op.query, components) : [])],
			...(op.body
				? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body, 'input', components) } } } }
				: {}),
			responses: {
				[String(op.status ?? 200)]: { description: 'Success', content },
				'400': problem('Malformed input; `errors` lists the fields.'),
				'401': problem('No token, or an unknown, revoked or expired one.'),
				'403': problem('The token lacks the scope, or its organisation may not do this.'),
				'404': problem("No such resource, or another organisation's."),
				...(op.body
					? {
							'409': problem('Conflicts with what is recorded (e.g. the certificate exists).'),
							'413': problem('The body is too large.'),
							'415': problem('The body is not application/json.'),
							'422': problem('Well-formed, but refused (e.g. a private key, an unknown holder).')
						}
					: {}),
				'429': {
					...problem('Too many requests with this token.'),
					headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } }
				}
			}
		};
	}
	// Webhooks (OpenAPI 3.1's own section): what Liitos POSTs to a registered endpoint.
	const webhooks: Record<string, Json> = {};
	for (const event of DOCUMENTED_WEBHOOK_EVENTS) {
		webhooks[event] = {
			post: {
				operationId: `webhook_${event.replace('.', '_')}`,
				summary: WEBHOOK_EVENT_DOCS[event].summary,
				description:
					'Signed per Standard Webhooks: headers `webhook-id`, `webhook-timestamp`, `webhook-signature` (HMAC-SHA256 with the endpoint secret).',
				requestBody: { required: true, content: { 'application/json': { schema: toSchema(webhookBody(event), 'output', components) } } },
				responses: { '2XX': { description: 'Received; any other answer is retried with backoff for about a day.' } }
			}
		};
	}
	return {
		openapi: '3.1.0',
		info: {
			title: 'Liitos integration API',
			version: '1.0.0',
			description:
				"Read a main connector's tenants, people, checklists, certificates, agreements and instructions with a token made under Administration → API tokens. Send it as `Authorization: Bearer <token>`. Lists are paged with `cursor` and `limit`; errors are RFC 9457 problem details."
		},
		servers: [{ url: `${serverUrl}/api/v1` }],
		security: [{ bearer: [] }],
		paths,
		webhooks,
		components: {
			schemas: components,
			securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (liitos_…).' } }
		}
	};
}
