/**
 * The network side of OpenID Connect, all through openid-client (discovery, PKCE, the code grant,
 * ID token checks of signature, issuer, audience, expiry, nonce and state). Nothing here touches the
 * database: the callers decide what a verified identity may do.
 */
import * as client from 'openid-client';
import type { OidcTransaction } from '../db/schema';
import { config } from '../config';
import { clientSecretOf, type OidcProvider } from './oidc-providers';

/** The one redirect URI to register at every provider (README, "Single sign-on"). */
export const oidcRedirectUri = () => `${config.origin}/oidc/callback`;

const discovered = new Map<string, Promise<client.Configuration>>();

/** Plain http is allowed only for a provider on this machine (tests, a local Keycloak). */
function isLocal(issuer: string): boolean {
	const host = new URL(issuer).hostname;
	return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** The provider's metadata, fetched once per process and fetched again after a failure. */
export function providerConfiguration(provider: OidcProvider): Promise<client.Configuration> {
	const key = `${provider.id}|${provider.issuer}|${provider.clientId}`;
	let found = discovered.get(key);
	if (!found) {
		found = client.discovery(new URL(provider.issuer), provider.clientId, clientSecretOf(provider), undefined, {
			execute: isLocal(provider.issuer) ? [client.allowInsecureRequests] : [],
			timeout: 10
		});
		found.catch(() => discovered.delete(key));
		discovered.set(key, found);
	}
	return found;
}

export interface AuthorizationOptions {
	/** Ask for a fresh authentication (signing): prompt=login, max_age=0 and the acr wanted. */
	fresh?: { acrValues: string };
	loginHint?: string;
}

export async function authorizationUrl(
	provider: OidcProvider,
	tx: OidcTransaction,
	redirectUri: string,
	options: AuthorizationOptions = {}
): Promise<URL> {
	const configuration = await providerConfiguration(provider);
	const params: Record<string, string> = {
		redirect_uri: redirectUri,
		scope: provider.scopes.join(' '),
		response_type: 'code',
		state: tx.state,
		nonce: tx.nonce,
		code_challenge: await client.calculatePKCECodeChallenge(tx.codeVerifier),
		code_challenge_method: 'S256'
	};
	if (options.fresh) Object.assign(params, { prompt: 'login', max_age: '0', acr_values: options.fresh.acrValues });
	if (options.loginHint) params.login_hint = options.loginHint;
	return client.buildAuthorizationUrl(configuration, params);
}

/** What the provider said about the person, after every check has passed. */
export interface VerifiedIdentity {
	provider: OidcProvider;
	subject: string;
	email: string | null;
	emailVerified: boolean;
	name: string | null;
	amr: string[];
	acr: string | null;
	authTime: Date | null;
	idToken: string;
}

export class OidcCallbackError extends Error {}

/** oauth4webapi names the failing check (state, nonce, iss, aud, …) somewhere down the error's causes. */
function failedCheck(e: unknown): string {
	for (let level = 0; level < 4 && e && typeof e === 'object'; level++) {
		const { claim, parameter, cause } = e as { claim?: unknown; parameter?: unknown; cause?: unknown };
		const check = claim ?? parameter;
		if (typeof check === 'string') return ` (${check})`;
		e = cause;
	}
	return '';
}

/**
 * Redeems the code in `callbackUrl` for tokens. Throws OidcCallbackError when the provider returned
 * an error, or state, nonce, PKCE or the ID token did not check out.
 */
export async function redeemCallback(
	provider: OidcProvider,
	tx: OidcTransaction,
	callbackUrl: URL,
	maxAge?: number
): Promise<VerifiedIdentity> {
	const configuration = await providerConfiguration(provider);
	let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
	try {
		tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
			pkceCodeVerifier: tx.codeVerifier,
			expectedState: tx.state,
			expectedNonce: tx.nonce,
			idTokenExpected: true,
			maxAge
		});
	} catch (e) {
		throw new OidcCallbackError(`${(e as Error).message}${failedCheck(e)}`);
	}
	const claims = tokens.claims();
	if (!claims || !tokens.id_token) throw new OidcCallbackError('no ID token');
	let email = typeof claims.email === 'string' ? claims.email : null;
	let emailVerified = claims.email_verified === true;
	let name = typeof claims.name === 'string' ? claims.name : null;
	// Some providers put e-mail and name only in the userinfo response.
	if (!email && tokens.access_token) {
		try {
			const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
			email = typeof info.email === 'string' ? info.email : null;
			emailVerified = info.email_verified === true;
			name ??= typeof info.name === 'string' ? info.name : null;
		} catch {
			// no userinfo: the account can still be found by its linked subject
		}
	}
	return {
		provider,
		subject: claims.sub,
		email,
		emailVerified,
		name,
		amr: Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [],
		acr: typeof claims.acr === 'string' ? claims.acr : null,
		authTime: typeof claims.auth_time === 'number' ? new Date(claims.auth_time * 1000) : null,
		idToken: tokens.id_token
	};
}

/** Where to send the browser to end the session at the provider too, when it offers that. */
export async function endSessionUrl(provider: OidcProvider, idToken: string | null, postLogoutRedirectUri: string): Promise<URL | null> {
	try {
		const configuration = await providerConfiguration(provider);
		if (!configuration.serverMetadata().end_session_endpoint) return null;
		const params: Record<string, string> = { post_logout_redirect_uri: postLogoutRedirectUri, client_id: provider.clientId };
		if (idToken) params.id_token_hint = idToken;
		return client.buildEndSessionUrl(configuration, params);
	} catch {
		return null;
	}
}
