/**
 * Recognises private key material in pasted or uploaded text. Kept free of Node imports so the
 * same check runs in the browser (to stop a key before it ever leaves the user's machine) and
 * on the server (because the browser check can be bypassed).
 */

// One pattern covers PKCS#8 ("PRIVATE KEY"), "ENCRYPTED PRIVATE KEY" and the algorithm-specific
// forms (RSA, EC, DSA, OPENSSH, ...). The closing dashes are deliberately not required so that a
// truncated paste of a key is still refused.
const PEM_PRIVATE_KEY = /-----\s*BEGIN [A-Z0-9 ]*PRIVATE KEY/i;

// PuTTY's .ppk files are not PEM but carry a private key just the same.
const PUTTY_PRIVATE_KEY = /^PuTTY-User-Key-File-\d+:/m;

export function containsPrivateKey(text: string): boolean {
	return PEM_PRIVATE_KEY.test(text) || PUTTY_PRIVATE_KEY.test(text);
}
