import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { acrAtLeast, clientSecretOf, listProviders, parseProviders, providerSchema } from './oidc-providers';

const valid = {
	id: 'entra',
	displayName: 'Microsoft',
	issuer: 'https://login.example/v2.0',
	clientId: 'abc',
	clientSecretEnv: 'TEST_OIDC_SECRET',
	organisation: 'main'
};
const dir = mkdtempSync(join(tmpdir(), 'liitos-oidc-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the providers file', () => {
	it('accepts the main connector or a tenant by business ID, with defaults for scopes and e-mail trust', () => {
		const { providers, problem } = parseProviders(
			JSON.stringify({ providers: [valid, { ...valid, id: 'kc', organisation: { businessId: '1234567-8' } }] })
		);
		expect(problem).toBeUndefined();
		expect(providers[0]).toMatchObject({ scopes: ['openid', 'email', 'profile'], trustEmail: false, mfaAcrValues: [] });
		expect(providers[1].organisation).toEqual({ businessId: '1234567-8' });
	});

	it.each([
		['not JSON', '{'],
		['a secret missing', JSON.stringify({ providers: [{ ...valid, clientSecretEnv: undefined }] })],
		['a bad business ID', JSON.stringify({ providers: [{ ...valid, organisation: { businessId: '123' } }] })],
		['an issuer that is no URL', JSON.stringify({ providers: [{ ...valid, issuer: 'login' }] })],
		['the same id twice', JSON.stringify({ providers: [valid, valid] })],
		['an id with capitals', JSON.stringify({ providers: [{ ...valid, id: 'Entra' }] })]
	])('refuses %s, offering no provider', (_what, text) => {
		const { providers, problem } = parseProviders(text);
		expect(providers).toEqual([]);
		expect(problem).toBeTruthy();
	});

	it('reads the file again when it changes, and offers nothing (with a warning) while it is invalid or missing', () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const file = join(dir, 'oidc.json');
		expect(listProviders(file)).toEqual([]);
		writeFileSync(file, JSON.stringify({ providers: [valid] }));
		expect(listProviders(file).map((p) => p.id)).toEqual(['entra']);
		writeFileSync(file, '{ "providers": 1 }');
		const later = new Date(Date.now() + 5000);
		// A new modification time, as an editor saving the file gives it.
		utimesSync(file, later, later);
		expect(listProviders(file)).toEqual([]);
		expect(warn).toHaveBeenCalled();
		warn.mockRestore();
	});

	it('takes the client secret from the named environment variable', () => {
		process.env.TEST_OIDC_SECRET = 's3cret';
		expect(clientSecretOf(providerSchema.parse(valid))).toBe('s3cret');
		delete process.env.TEST_OIDC_SECRET;
	});

	it('orders acr values by the provider’s levels (eIDAS by default); an unknown acr is never enough', () => {
		const p = providerSchema.parse(valid);
		const [low, substantial, high] = ['low', 'substantial', 'high'].map((l) => `http://eidas.europa.eu/LoA/${l}`);
		expect(acrAtLeast(p, high, substantial)).toBe(true);
		expect(acrAtLeast(p, substantial, substantial)).toBe(true);
		expect(acrAtLeast(p, low, substantial)).toBe(false);
		expect(acrAtLeast(p, 'urn:something', substantial)).toBe(false);
		expect(acrAtLeast(p, undefined, substantial)).toBe(false);
		const custom = providerSchema.parse({ ...valid, acrLevels: ['silver', 'gold'] });
		expect(acrAtLeast(custom, 'gold', 'silver')).toBe(true);
		expect(acrAtLeast(custom, 'silver', 'gold')).toBe(false);
	});
});
