/**
 * OpenID Connect providers, read from the JSON file named by LIITOS_OIDC_CONFIG (see README,
 * "Single sign-on"). The file is read again when it changes, so a provider can be added without a
 * restart. A file that does not validate gives no providers and a warning, never a failing page.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';

const businessId = z.string().regex(/^\d{7}-\d$/, 'a Finnish business ID such as 1234567-8');

export const providerSchema = z
	.object({
		/** Short name in URLs and the audit log; never change it once accounts are linked. */
		id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes'),
		displayName: z.string().trim().min(1).max(80),
		issuer: z.url(),
		clientId: z.string().min(1),
		/** The secret itself, or the name of the environment variable that holds it (keeps it out of the file). */
		clientSecret: z.string().min(1).optional(),
		clientSecretEnv: z.string().min(1).optional(),
		/** The main connector ('main') or the tenant with this business ID. */
		organisation: z.union([z.literal('main'), z.object({ businessId })]),
		scopes: z.array(z.string().regex(/^[\x21-\x7e]+$/)).default(['openid', 'email', 'profile']),
		/** acr values that count as multi-factor authentication, besides an `amr` claim saying so. */
		mfaAcrValues: z.array(z.string().min(1)).default([]),
		/**
		 * Accept `email` without `email_verified: true`: only for providers whose e-mail addresses the
		 * organisation itself manages (Entra ID sends no `email_verified`).
		 */
		trustEmail: z.boolean().default(false),
		/** acr values this provider can assert, weakest first: the order decides "at least" at signing. */
		acrLevels: z.array(z.string().min(1)).default([])
	})
	.refine((p) => p.clientSecret || p.clientSecretEnv, { message: 'clientSecret or clientSecretEnv is required', path: ['clientSecret'] });

export const providersFileSchema = z
	.object({ providers: z.array(providerSchema).max(20) })
	.refine((file) => new Set(file.providers.map((p) => p.id)).size === file.providers.length, {
		message: 'provider ids must be unique',
		path: ['providers']
	});

export type OidcProvider = z.infer<typeof providerSchema>;

/** The eIDAS levels of assurance, weakest first: the default order when a provider lists none. */
export const EIDAS_LEVELS = ['http://eidas.europa.eu/LoA/low', 'http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high'];

export function parseProviders(text: string): { providers: OidcProvider[]; problem?: string } {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (e) {
		return { providers: [], problem: `not JSON: ${(e as Error).message}` };
	}
	const parsed = providersFileSchema.safeParse(json);
	if (!parsed.success) return { providers: [], problem: z.prettifyError(parsed.error) };
	return { providers: parsed.data.providers };
}

let cache: { path: string; mtimeMs: number; providers: OidcProvider[] } | null = null;

/** The configured providers ([] when LIITOS_OIDC_CONFIG is unset or the file is missing or invalid). */
export function listProviders(path = process.env.LIITOS_OIDC_CONFIG): OidcProvider[] {
	if (!path) return [];
	let mtimeMs: number;
	try {
		mtimeMs = statSync(path).mtimeMs;
	} catch {
		cache = null;
		return [];
	}
	if (cache && cache.path === path && cache.mtimeMs === mtimeMs) return cache.providers;
	const { providers, problem } = parseProviders(readFileSync(path, 'utf8'));
	if (problem) console.warn(`LIITOS_OIDC_CONFIG (${path}) is not valid, so no provider is offered:\n${problem}`);
	cache = { path, mtimeMs, providers };
	return providers;
}

export function findProvider(id: string, path?: string): OidcProvider | undefined {
	return listProviders(path).find((p) => p.id === id);
}

export function clientSecretOf(provider: OidcProvider): string {
	return provider.clientSecret ?? process.env[provider.clientSecretEnv ?? ''] ?? '';
}

/** True when `acr` is `min` or stronger in the provider's order (an unknown acr is never enough). */
export function acrAtLeast(provider: OidcProvider, acr: string | undefined, min: string): boolean {
	if (!acr) return false;
	if (acr === min) return true;
	const levels = provider.acrLevels.length ? provider.acrLevels : EIDAS_LEVELS;
	const have = levels.indexOf(acr);
	const need = levels.indexOf(min);
	return have >= 0 && need >= 0 && have >= need;
}
