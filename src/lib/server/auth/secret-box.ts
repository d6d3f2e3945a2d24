import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets the server has to read back, such as authenticator keys, sealed with AES-256-GCM under
 * a key that lives outside the database and its backups (LIITOS_SECRET_KEY): a copied database file
 * then reveals no one's second factor. Without a key they are stored as they are. To replace the
 * key, the old one goes to LIITOS_SECRET_KEY_PREVIOUS for one start, which reseals everything.
 *
 * A sealed value reads `sealed:v1:<key id>:<base64url of nonce, ciphertext and tag>`. The key id
 * (the start of the key's SHA-256) tells a wrong key from a damaged value; `context` (for
 * example the owner's id) is authenticated with it, so a sealed value copied onto another
 * person's row does not open.
 */
const PREFIX = 'sealed:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

const HEX_KEY = /^[0-9a-f]{64}$/i;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=?$/; // 32 bytes

/** Reads LIITOS_SECRET_KEY (or the previous one while rotating): 32 random bytes, base64 or hex (`openssl rand -base64 32`). */
export function parseSecretKey(text: string | undefined, name = 'LIITOS_SECRET_KEY'): Buffer | undefined {
	const value = text?.trim();
	if (!value) return undefined;
	if (HEX_KEY.test(value)) return Buffer.from(value, 'hex');
	if (BASE64_KEY.test(value)) return Buffer.from(value, 'base64');
	throw new Error(`${name} must be 32 random bytes in base64 or hex, e.g. the output of \`openssl rand -base64 32\`.`);
}

export function sealSecret(plain: string, context: string, key: Buffer | undefined): string {
	if (!key) return plain;
	const nonce = randomBytes(NONCE_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key, nonce);
	cipher.setAAD(Buffer.from(context, 'utf8'));
	const body = Buffer.concat([nonce, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
	return `${PREFIX}${keyId(key)}:${body.toString('base64url')}`;
}

/**
 * The secret itself, opened with whichever of `keys` sealed it (the current key and, while keys
 * are being rotated, the previous one). Plain values pass through, so keys stored before a key was
 * set keep working.
 */
export function openSecret(stored: string, context: string, keys: readonly (Buffer | undefined)[]): string {
	if (!isSealed(stored)) return stored;
	const [id, encoded] = stored.slice(PREFIX.length).split(':');
	const key = keys.find((k): k is Buffer => k !== undefined && keyId(k) === id);
	if (!key) throw new Error(`A secret in the database is sealed under a key that is not set (key id ${id}); check LIITOS_SECRET_KEY.`);
	const body = Buffer.from(encoded ?? '', 'base64url');
	if (body.length < NONCE_BYTES + TAG_BYTES) throw new Error('A sealed secret in the database is damaged.');
	const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, NONCE_BYTES));
	decipher.setAAD(Buffer.from(context, 'utf8'));
	decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
	try {
		return Buffer.concat([decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
	} catch {
		throw new Error('A sealed secret in the database does not open: it was changed or moved to another row.');
	}
}

/** Whether `stored` is sealed under `key` (and so needs no resealing). */
export const isSealedUnder = (stored: string, key: Buffer) => stored.startsWith(`${PREFIX}${keyId(key)}:`);
