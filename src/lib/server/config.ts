import { resolve } from 'node:path';
import { parseSecretKey } from './auth/secret-box';
import { readSessionLimits } from './auth/session-limits';

/** Runtime configuration from the environment, with the embedded defaults documented in README.md. */
function readConfig() {
	const env = process.env;
	const dataDir = resolve(env.DATA_DIR ?? './data');
	const port = Number(env.PORT ?? 3000);
	return {
		dataDir,
		databasePath: env.DATABASE_PATH ?? resolve(dataDir, 'liitos.db'),
		// The server runs from the project folder (npm start); both can be pointed elsewhere.
		migrationsDir: resolve(env.LIITOS_MIGRATIONS ?? 'drizzle'),
		templatesDir: resolve(env.LIITOS_TEMPLATES ?? 'templates'),
		// Versions of the information-security plan framework (THL 3/2024).
		securityFrameworksDir: resolve(env.LIITOS_SECURITY_FRAMEWORKS ?? 'templates/security-plan'),
		// 'off' leaves scheduled work to `npm run jobs` (cron) alone.
		schedulerEnabled: env.LIITOS_SCHEDULER !== 'off',
		evidenceMaxBytes: Number(env.EVIDENCE_MAX_BYTES ?? 10 * 1024 * 1024),
		sealP12Path: env.SEAL_P12_PATH || undefined,
		sealPassphrase: env.SEAL_P12_PASSPHRASE ?? '',
		// Seals authenticator keys in the database; kept out of DATA_DIR, so backups do not carry it.
		secretKey: parseSecretKey(env.LIITOS_SECRET_KEY),
		previousSecretKey: parseSecretKey(env.LIITOS_SECRET_KEY_PREVIOUS, 'LIITOS_SECRET_KEY_PREVIOUS'),
		origin: env.ORIGIN ?? `http://localhost:${port}`,
		smtpUrl: env.SMTP_URL || undefined,
		mailFrom: env.MAIL_FROM ?? 'Liitos <no-reply@liitos.invalid>',
		production: env.NODE_ENV === 'production',
		// At most 12 h from sign-in and 30 min idle; the environment may only shorten them.
		sessionLimits: readSessionLimits(env)
	};
}

export const config = readConfig();
