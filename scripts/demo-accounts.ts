/**
 * The demo's shared secrets, in one place for the seed and the browser tests. They are public
 * on purpose: never use them, or fixed authenticator keys at all, for real accounts.
 */
export const DEMO_PASSWORD = 'liitos-demo-2026';

/**
 * Authenticator keys of the demo's main connector administrator and signatory, whose roles
 * require two-step sign-in. Type one into any TOTP app to sign in as that person.
 */
export const DEMO_TOTP_SECRETS: Readonly<Record<string, string>> = {
	'admin@demo.test': 'LIITOSDEMOADMINAAAAAAAAAAAAAAAAA',
	'signer@demo.test': 'LIITOSDEMOSIGNERAAAAAAAAAAAAAAAA'
};
