import { createHash } from 'node:crypto';

/**
 * ETags for JSON answers: a hash of the body as sent, which costs one SHA-256 over a page of at
 * most 200 rows and needs no version column. A client that sends it back in If-None-Match gets a
 * 304 with no body (the query still runs; the transfer and the client's parsing are saved).
 */
export function etagOf(body: string): string {
	return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Whether If-None-Match names this tag (weak comparison, as RFC 9110 asks for If-None-Match), or is `*`. */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
	if (!header) return false;
	const strip = (tag: string) => tag.trim().replace(/^W\//, '');
	return header.split(',').some((candidate) => candidate.trim() === '*' || strip(candidate) === strip(etag));
}
