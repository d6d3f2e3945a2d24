import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { isSetupComplete } from '$lib/server/organisation/organisation';
import { syncBundledTemplates } from '$lib/server/agreements/templates-store';
import { syncBundledFrameworks } from '$lib/server/security-plan/framework-store';
import { backfillBindingInstruction } from '$lib/server/security-plan/binding-instruction';
import { startScheduler } from '$lib/server/scheduler';
import { startWebhookDelivery } from '$lib/server/webhooks/delivery';
import { ensureCatalogue } from '$lib/server/prerequisites/catalogue';
import { syncAllChecklists } from '$lib/server/prerequisites/checklist';
import { validateSessionToken } from '$lib/server/auth/session';
import { keysSealedElsewhere, sealStoredKeys } from '$lib/server/auth/two-factor';
import { SESSION_COOKIE } from '$lib/server/http/cookies';
import { AsyncLocalStorage } from 'node:async_hooks';
import {
	cookieMaxAge,
	cookieName,
	extractLocaleFromRequestWithStrategies,
	overwriteServerAsyncLocalStorage,
	strategy,
	type Locale
} from '$lib/paraglide/runtime';

/** Migrations, shipped templates and the scheduler start once at start-up, never during `vite build`. */
export const init: ServerInit = () => {
	if (building) return;
	const { conflicts, invalid } = syncBundledTemplates(db(), config.templatesDir);
	for (const problem of invalid) console.warn(`templates/${problem}`);
	for (const file of conflicts)
		console.warn(`templates/${file}: this version is already stored with different text; give the file a new version number.`);
	const frameworks = syncBundledFrameworks(db(), config.securityFrameworksDir);
	for (const problem of frameworks.invalid) console.warn(`templates/security-plan/${problem}`);
	for (const file of frameworks.conflicts)
		console.warn(
			`templates/security-plan/${file}: this version is already stored with different text; give the file a new version number.`
		);
	if (isSetupComplete(db()) && ensureCatalogue(db()) > 0) syncAllChecklists(db());
	// Plans approved before their binding sections became an instruction: publish it once (idempotent).
	if (backfillBindingInstruction(db())) console.info('Published the binding sections of the approved security plan as an instruction.');
	const sealed = sealStoredKeys(db());
	if (sealed) console.info(`Sealed ${sealed} stored authenticator key(s) with LIITOS_SECRET_KEY.`);
	const unopenable = keysSealedElsewhere(db());
	if (unopenable)
		console.warn(
			`${unopenable} authenticator key(s) are sealed under another LIITOS_SECRET_KEY (or it is not set): those people cannot sign in until the right key is set or their two-step sign-in is reset.`
		);
	for (const problem of config.sessionLimits.problems) console.warn(problem);
	console.info(
		`Sessions end ${config.sessionLimits.absoluteMs / 60_000} min after sign-in, or after ${config.sessionLimits.idleMs / 60_000} min without use.`
	);
	if (!config.smtpUrl)
		console.warn(
			'SMTP_URL is not set: e-mail, including invitation and password-reset links, is only stored in the outbox. Production needs SMTP_URL (see README, "Running in production").'
		);
	if (config.schedulerEnabled) {
		startScheduler(db());
		startWebhookDelivery(db());
	}
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	headers.set('X-Frame-Options', 'DENY');
	headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	// CSP comes from kit.csp for pages; other responses (files, JSON) get a locked-down one.
	if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
	if (config.production && config.origin.startsWith('https:'))
		headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
	// What a signed-in person sees (people, certificates, breaches) stays out of shared and browser caches.
	if (event.locals.session && !headers.has('Cache-Control')) headers.set('Cache-Control', 'private, no-store');
	return response;
};

/** SvelteKit answers a form post to the reserved "?/default" name with a 500; it is bad input, so 400. */
const reservedAction: Handle = ({ event, resolve }) => {
	if (event.request.method === 'POST' && event.url.searchParams.has('/default')) return new Response('Bad request', { status: 400 });
	return resolve(event);
};

/** Where the server's getLocale() and messages read the request's language (paraglide's store). */
const localeStore = new AsyncLocalStorage<{ locale?: Locale; origin?: string; messageCalls?: Set<string> }>();
overwriteServerAsyncLocalStorage(localeStore);

/**
 * The request's language from the cookie, then Accept-Language, then Finnish, as paraglide's own
 * middleware decides it. That middleware also made two copies of every request (for its URL strategy,
 * which may rewrite the address; ours never does), a measurable share of each request under load.
 */
const i18n: Handle = ({ event, resolve }) => {
	const locale = extractLocaleFromRequestWithStrategies(event.request, strategy, event.url);
	return localeStore.run({ locale, origin: event.url.origin, messageCalls: new Set() }, () => {
		// The first visit follows Accept-Language; keeping the answer in the cookie makes it stick.
		if (!event.cookies.get(cookieName)) {
			event.cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax', secure: false });
		}
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
	});
};

const authentication: Handle = ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.pending = null;
	const token = event.cookies.get(SESSION_COOKIE.name);
	if (token) {
		const { session, user, secondFactor } = validateSessionToken(db(), token);
		if (session && user) {
			event.locals.session = session;
			if (secondFactor === 'done') event.locals.user = user;
			else event.locals.pending = { user, step: secondFactor };
		} else {
			event.cookies.delete(SESSION_COOKIE.name, { path: '/', secure: config.production });
		}
	}
	return resolve(event);
};

/** Paths a half-signed-in person may reach: the second-factor pages, signing out, the language switch. */
const SECOND_FACTOR_PATHS = ['/two-factor', '/two-factor/setup', '/logout', '/language', '/healthz'];

/** After the password, nothing but the second-factor step is reachable until it is done. */
const secondFactorGate: Handle = ({ event, resolve }) => {
	const pending = event.locals.pending;
	const path = event.url.pathname;
	if (!pending || SECOND_FACTOR_PATHS.includes(path) || path.startsWith('/_app/')) return resolve(event);
	const step = pending.step === 'verify' ? '/two-factor' : '/two-factor/setup';
	const next = event.request.method === 'GET' ? event.url.pathname + event.url.search : '/';
	return new Response(null, { status: 303, headers: { location: `${step}?next=${encodeURIComponent(next)}` } });
};

/** Until the main connector exists, every page leads to /setup; afterwards /setup is gone. */
let setupDone = false;
const setupGate: Handle = ({ event, resolve }) => {
	const path = event.url.pathname;
	if (!setupDone) setupDone = isSetupComplete(db());
	if (!setupDone && path !== '/setup' && path !== '/healthz' && !path.startsWith('/_app/') && path !== '/language') {
		// A plain response, not a thrown redirect, so the security headers still wrap it.
		return new Response(null, { status: 303, headers: { location: '/setup' } });
	}
	return resolve(event);
};

const portal = sequence(securityHeaders, reservedAction, i18n, setupGate, authentication, secondFactorGate);

/**
 * The integration API (/api/…) authenticates each request by its bearer token (see
 * $lib/server/http/api.ts). Session cookies are never read there, so a browser's cookies cannot
 * make a request on someone's behalf; it sets no language cookie and is not sent to /setup.
 */
const api = sequence(securityHeaders, ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.pending = null;
	return resolve(event);
});

export const handle: Handle = (input) => (input.event.url.pathname.startsWith('/api/') ? api(input) : portal(input));
