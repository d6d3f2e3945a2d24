/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a localhost port, for unit and
 * browser tests. Who signs in, and with which `amr`/`acr`, is set by the test (`nextLogin`); there is
 * no login form, the interaction finishes at once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
	sub: string;
	email: string;
	emailVerified?: boolean;
	name?: string;
}

export interface TestLogin {
	sub: string;
	amr?: string[];
	acr?: string;
	/** When the person authenticated (seconds since the epoch); now when unset. */
	authTime?: number;
}

export interface TestProvider {
	issuer: string;
	clientId: string;
	clientSecret: string;
	accounts: Map<string, TestAccount>;
	nextLogin: TestLogin | null;
	/** The authorization requests seen, newest last (to assert prompt, max_age, acr_values). */
	requests: URLSearchParams[];
	close(): Promise<void>;
}

export async function startTestProvider(options: {
	port?: number;
	redirectUris: string[];
	postLogoutRedirectUris?: string[];
}): Promise<TestProvider> {
	let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
	const server: Server = createServer((req, res) => handler?.(req, res));
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	const issuer = `http://localhost:${port}`;
	const harness: TestProvider = {
		issuer,
		clientId: 'liitos-test',
		clientSecret: 'liitos-test-secret-that-is-long-enough-for-hs256',
		accounts: new Map(),
		nextLogin: null,
		requests: [],
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: harness.clientId,
				client_secret: harness.clientSecret,
				redirect_uris: options.redirectUris,
				post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
				grant_types: ['authorization_code'],
				response_types: ['code'],
				token_endpoint_auth_method: 'client_secret_post'
			}
		],
		cookies: { keys: ['oidc-test-provider-cookie-key'] },
		claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'] },
		// Real providers (Entra ID, Google, Keycloak) put these claims in the ID token too.
		conformIdTokenClaims: false,
		acrValues: ['http://eidas.europa.eu/LoA/low', 'http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high'],
		features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
		interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
		async findAccount(_ctx, id) {
			const account = harness.accounts.get(id);
			if (!account) return undefined;
			return {
				accountId: id,
				claims: () => ({
					sub: id,
					email: account.email,
					email_verified: account.emailVerified ?? true,
					name: account.name ?? account.email
				})
			};
		}
	});
	const callback = provider.callback();
	handler = async (req, res) => {
		const url = new URL(req.url ?? '/', issuer);
		if (url.pathname === '/auth') harness.requests.push(url.searchParams);
		if (!url.pathname.startsWith('/interaction/')) return callback(req, res);
		try {
			const details = await provider.interactionDetails(req, res);
			const login = harness.nextLogin;
			if (!login) {
				await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'no test login set' });
				return;
			}
			const grant = new provider.Grant({ accountId: login.sub, clientId: String(details.params.client_id) });
			grant.addOIDCScope(String(details.params.scope));
			const grantId = await grant.save();
			await provider.interactionFinished(
				req,
				res,
				{ login: { accountId: login.sub, amr: login.amr, acr: login.acr, ts: login.authTime }, consent: { grantId } },
				{ mergeWithLastSubmission: false }
			);
		} catch (e) {
			res.statusCode = 500;
			res.end(String(e));
		}
	};
	return harness;
}

/**
 * Follows the provider's redirects the way a browser would (keeping its cookies) until it points
 * back at `redirectUri`; returns that callback URL.
 */
export async function followToCallback(authorizationUrl: URL, redirectUri: string): Promise<URL> {
	const jar = new Map<string, string>();
	let next = authorizationUrl.href;
	for (let i = 0; i < 10; i++) {
		if (next.startsWith(redirectUri)) return new URL(next);
		const res = await fetch(next, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
		for (const set of res.headers.getSetCookie()) {
			const [pair] = set.split(';');
			const eq = pair.indexOf('=');
			jar.set(pair.slice(0, eq), pair.slice(eq + 1));
		}
		const location = res.headers.get('location');
		if (!location) throw new Error(`provider answered ${res.status} without a redirect: ${await res.text()}`);
		next = new URL(location, next).href;
	}
	throw new Error('too many redirects');
}
