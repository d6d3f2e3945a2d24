import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { cachedCalendarFor, calendarOwner, FEED_CACHE_MS } from '$lib/server/calendar/feed';

/**
 * The subscribed calendar: `/calendar/<token>.ics`. Calendar apps cannot sign in, so the secret
 * token stands for the person; what the feed shows is still decided by `can()` for that person.
 */
export const GET: RequestHandler = ({ params }) => {
	const token = params.token.replace(/\.ics$/, '');
	const owner = /^[a-z2-7]{32}$/.test(token) ? calendarOwner(db(), token) : null;
	if (!owner || !can(owner, 'account.manage')) error(404, 'Not found');
	// Made at most every five minutes per token (see FEED_CACHE_MS); the owner is checked above every time.
	// A calendar app may keep it as long as the server does, no longer: a change shows within five minutes.
	return new Response(cachedCalendarFor(db(), token, owner, owner.locale), {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'inline; filename="liitos.ics"',
			'cache-control': `private, max-age=${FEED_CACHE_MS / 1000}`
		}
	});
};
