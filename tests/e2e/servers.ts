import { join, resolve } from 'node:path';

/**
 * Where the browser suite's servers are, shared by playwright.config.ts (which starts them) and the
 * specs (which talk to them). Each Playwright worker has a pair of its own: a "fresh" server on an
 * empty database and a "demo" server seeded by scripts/demo-seed.ts, so a worker's journeys never
 * meet another worker's data, and each demo server remembers its own authenticator steps.
 *
 * Ports, from LIITOS_E2E_PORT (default 4173), for W workers (LIITOS_E2E_WORKERS, default 3):
 *   basePort + 2i      fresh server of worker i (i < W)
 *   basePort + 2i + 1  demo server of worker i
 *   basePort + 2W + 2i, + 2W + 2i + 1
 *                      spare ports of worker i, for a spec that starts a server of its own
 * so a checkout takes 4W consecutive ports (12 by default); side-by-side checkouts keep that apart.
 */
export const basePort = Number(process.env.LIITOS_E2E_PORT ?? 4173);
export const workers = Math.max(1, Number(process.env.LIITOS_E2E_WORKERS ?? 3));

export const freshPort = (slot: number) => basePort + 2 * slot;
export const demoPort = (slot: number) => basePort + 2 * slot + 1;
export const sparePort = (slot: number, n: 0 | 1) => basePort + 2 * workers + 2 * slot + n;

/** The data folder of worker `slot`'s server of that kind, under the run's temporary folder. */
export const dataDirOf = (tmp: string, kind: 'fresh' | 'demo', slot: number) => join(tmp, `${kind}-${slot}`);

/** The environment of a production server (adapter-node output) on `port` with its data in `dataDir`. */
export function serverEnv(port: number, dataDir: string): Record<string, string> {
	return {
		PORT: String(port),
		// adapter-node refuses form posts without a matching ORIGIN (CSRF check).
		ORIGIN: `http://localhost:${port}`,
		DATA_DIR: dataDir,
		DATABASE_PATH: join(dataDir, 'liitos.db'),
		LIITOS_MIGRATIONS: resolve('drizzle'),
		BODY_SIZE_LIMIT: '11M',
		// Reminders are run by the tests themselves (npm run jobs), so they see the first run.
		LIITOS_SCHEDULER: 'off',
		// As `npm start` runs it: the session cookie is then `__Host-` and Secure, which Chromium
		// accepts on http://localhost (a secure context).
		NODE_ENV: 'production',
		// Authenticator keys sealed as production should have them (a test key, public on purpose).
		LIITOS_SECRET_KEY: 'dhLpCfPQ1X9i2ZYhaKViXYIC2vkqbz59p/UPtfnxK/s=',
		// Single sign-on providers: the file does not exist, so none are offered, until a spec
		// (oidc.spec.ts) writes it beside the database; the server reads it again when it changes.
		LIITOS_OIDC_CONFIG: join(dataDir, 'oidc.json')
	};
}
