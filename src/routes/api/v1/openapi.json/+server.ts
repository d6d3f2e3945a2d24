import type { RequestHandler } from './$types';
import { config } from '$lib/server/config';
import { openApiDocument } from '$lib/server/api/openapi';

/** The OpenAPI 3.1 description; public (it describes the API, it holds no data). */
export const GET: RequestHandler = () =>
	Response.json(openApiDocument(config.origin), {
		headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }
	});
