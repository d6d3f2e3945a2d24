import type { RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { db } from '$lib/server/db';
import type { Action, Resource } from '$lib/server/auth/authorize';
import { ACTION_SCOPES, apiCan, recordApiCall, resolveApiToken, type ApiCaller } from '$lib/server/api-tokens/tokens';
import { createRateLimiter } from '$lib/server/api/rate-limit';
import { decodeCursor, type SortKey } from '$lib/server/api/cursor';
import { etagOf, matchesIfNoneMatch } from '$lib/server/api/etag';
import { clientOf } from './guard';

/**
 * The integration API's request handling: bearer token → rate limit → the route → one audit entry.
 * Cookies are never read here (hooks.server.ts skips sessions under /api/), so there is no
 * cross-site request to forge. Every failure is an RFC 9457 problem; malformed input is 400.
 */

const REASONS: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	409: 'Conflict',
	413: 'Content Too Large',
	415: 'Unsupported Media Type',
	422: 'Unprocessable Content',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable'
};

export interface FieldError {
	path: string;
	message: string;
}

/** Thrown by routes and helpers; becomes a problem response. */
export class ApiProblem extends Error {
	constructor(
		readonly status: number,
		readonly detail?: string,
		readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; type?: string } = {}
	) {
		super(detail ?? REASONS[status] ?? 'Error');
	}
}

export function problemResponse(status: number, detail?: string, extra: ApiProblem['extra'] = {}): Response {
	const body = {
		type: extra.type ?? 'about:blank',
		title: REASONS[status] ?? 'Error',
		status,
		...(detail ? { detail } : {}),
		...(extra.errors ? { errors: extra.errors } : {})
	};
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...extra.headers }
	});
}

function fieldErrors(error: z.ZodError): FieldError[] {
	return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
}

/** Parses with a schema or throws 400 with the field errors. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, detail = 'The request is not valid.'): z.output<S> {
	const result = schema.safeParse(value);
	if (!result.success) throw new ApiProblem(400, detail, { errors: fieldErrors(result.error) });
	return result.data;
}

const limiter = createRateLimiter();

export interface ApiContext {
	event: RequestEvent;
	caller: ApiCaller;
	/**
	 * The gate for each route, as `authorize()` is for pages: a scope the token lacks is 403; data of
	 * another organisation is 404, so its existence is not revealed.
	 */
	authorize(action: Action, resource?: Resource): void;
	/** Query string through a schema (400 on unknown or malformed parameters). */
	query<S extends z.ZodType>(schema: S): z.output<S>;
	/** A path id (400 unless a UUID). */
	id(name: string): string;
	/** A cursor's key (400 unless one of ours). */
	cursor(value: string | undefined, length: number): SortKey | null;
	/** The JSON body through a schema (415 unless JSON, 400 if malformed or invalid). */
	json<S extends z.ZodType>(schema: S, maxBytes?: number): Promise<z.output<S>>;
}

function context(event: RequestEvent, caller: ApiCaller): ApiContext {
	return {
		event,
		caller,
		authorize(action, resource) {
			const scope = ACTION_SCOPES[action];
			if (!scope || !caller.token.scopes.includes(scope))
				throw new ApiProblem(403, `The token lacks the scope ${scope ?? action}.`, {
					headers: { 'www-authenticate': `Bearer error="insufficient_scope"` }
				});
			if (!apiCan(caller, action, resource)) {
				if (resource?.tenantId !== undefined) throw new ApiProblem(404, 'No such resource.');
				throw new ApiProblem(403, "The token's organisation may not do this.");
			}
		},
		query(schema) {
			return parseOr400(schema, Object.fromEntries(event.url.searchParams), 'The query parameters are not valid.');
		},
		id(name) {
			return parseOr400(z.uuid(), event.params[name as keyof typeof event.params], `The ${name} in the path is not a UUID.`);
		},
		cursor(value, length) {
			if (value === undefined) return null;
			const key = decodeCursor(value, length);
			if (!key)
				throw new ApiProblem(400, 'The cursor is not one this API issued.', { errors: [{ path: 'cursor', message: 'Invalid cursor' }] });
			return key;
		},
		async json(schema, maxBytes = 256 * 1024) {
			if (!(event.request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json'))
				throw new ApiProblem(415, 'Send the body as application/json.');
			const text = await event.request.text();
			if (text.length > maxBytes) throw new ApiProblem(413, `The body is larger than ${maxBytes} bytes.`);
			let value: unknown;
			try {
				value = JSON.parse(text);
			} catch {
				throw new ApiProblem(400, 'The body is not valid JSON.');
			}
			return parseOr400(schema, value);
		}
	};
}

function bearerOf(request: Request): string | null {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
	return match ? match[1] : null;
}

const UNAUTHENTICATED = { 'www-authenticate': 'Bearer realm="liitos"' };

/**
 * A JSON answer. A GET carries an ETag over its body and answers 304 to a matching If-None-Match;
 * `no-cache` (rather than `no-store`) lets a client keep the copy and revalidate it that way.
 */
function jsonResponse(event: RequestEvent, result: unknown): Response {
	const body = JSON.stringify(result);
	if (event.request.method !== 'GET')
		return new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': 'private, no-store' } });
	const etag = etagOf(body);
	const headers = { etag, 'cache-control': 'private, no-cache', vary: 'authorization' };
	if (matchesIfNoneMatch(event.request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
	return new Response(body, { headers: { ...headers, 'content-type': 'application/json' } });
}

/** Wraps an API route: what it returns is sent as JSON (a Response is sent as it is). */
export function apiRoute(handler: (ctx: ApiContext) => unknown | Promise<unknown>) {
	return async (event: RequestEvent): Promise<Response> => {
		const token = bearerOf(event.request);
		if (!token) return problemResponse(401, 'Send an API token: Authorization: Bearer <token>.', { headers: UNAUTHENTICATED });
		const { ipAddress } = clientOf(event);
		const caller = resolveApiToken(db(), token, ipAddress);
		if (!caller)
			return problemResponse(401, 'The token is unknown, revoked or expired.', {
				headers: { 'www-authenticate': 'Bearer realm="liitos", error="invalid_token"' }
			});
		const allowed = limiter.take(caller.token.id);
		// Refused before any work, and not audited: a flood must not turn into a flood of writes.
		if (!allowed.ok)
			return problemResponse(429, 'Too many requests with this token; try again later.', {
				headers: { 'retry-after': String(allowed.retryAfterSeconds) }
			});
		let response: Response;
		try {
			const result = await handler(context(event, caller));
			response = result instanceof Response ? result : jsonResponse(event, result);
		} catch (error) {
			if (error instanceof ApiProblem) response = problemResponse(error.status, error.detail, error.extra);
			else {
				console.error('API', event.request.method, event.url.pathname, error);
				response = problemResponse(500, 'Something went wrong on our side.');
			}
		}
		recordApiCall(db(), caller, { method: event.request.method, path: event.url.pathname, status: response.status });
		return response;
	};
}
