import { z } from 'zod';

/** The header search box (GET /search?q=…): anything typed is a search, too long is cut, never an error page. */
export const searchQuerySchema = z.object({
	q: z
		.string()
		.trim()
		.catch('')
		.transform((q) => q.slice(0, 100))
});
