import type { RequestHandler } from './$types';
import { problemResponse } from '$lib/server/http/api';

/** Anything else under /api/v1 answers as a problem, not with the portal's HTML error page. */
export const fallback: RequestHandler = () => problemResponse(404, 'No such API route.');
