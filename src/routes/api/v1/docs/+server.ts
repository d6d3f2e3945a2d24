import type { RequestHandler } from './$types';
import { config } from '$lib/server/config';
import { openApiDocument } from '$lib/server/api/openapi';
import { renderApiReference } from '$lib/server/api/reference';

/** A readable reference, rendered from the same OpenAPI document; public like it. */
export const GET: RequestHandler = () =>
	new Response(renderApiReference(openApiDocument(config.origin)), {
		headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=300' }
	});
