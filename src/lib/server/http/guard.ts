import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { can, type Action, type Resource } from '$lib/server/auth/authorize';
import type { SessionUser } from '$lib/server/auth/session';
import type { Actor } from '$lib/server/actor';

/**
 * The gate every load, action and endpoint passes through. Signed-out people go to the login
 * page; a person asking for another tenant's data gets 404 so its existence is not revealed.
 */
export function authorize(event: Pick<RequestEvent, 'locals' | 'url'>, action: Action, resource?: Resource): SessionUser {
	const user = event.locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	if (!can(user, action, resource)) {
		if (resource?.tenantId !== undefined) error(404, 'Not found');
		error(403, 'Forbidden');
	}
	return user;
}

/**
 * The gate for rules that depend on whose record it is (see the ownership policies in authorize.ts).
 * Refusals are 404, like another tenant's data: the record's existence is not revealed.
 */
export function authorizeOwnership(event: Pick<RequestEvent, 'locals' | 'url'>, allowed: (user: SessionUser) => boolean): SessionUser {
	const user = event.locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	if (!allowed(user)) error(404, 'Not found');
	return user;
}

export function clientOf(event: Pick<RequestEvent, 'getClientAddress' | 'request'>) {
	let ipAddress = '';
	try {
		ipAddress = event.getClientAddress();
	} catch {
		// Behind some adapters the address is unknown; throttling by account still applies.
	}
	return { ipAddress, userAgent: event.request.headers.get('user-agent') ?? '' };
}

export function actorOf(event: Pick<RequestEvent, 'getClientAddress' | 'request' | 'locals'>): Actor {
	// Half-way through signing in (second factor), the person is known but not yet let in.
	const user = event.locals.user ?? event.locals.pending?.user;
	return { id: user?.id ?? null, label: user?.email ?? 'anonymous', ipAddress: clientOf(event).ipAddress };
}
