/**
 * One pass of the scheduled work (`npm run jobs`), for running from cron instead of, or besides,
 * the server's own hourly timer. Safe to run at any time: nothing is sent twice.
 */
import { config } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { runScheduledWork } from '../src/lib/server/scheduler';

const db = openDatabase(config.databasePath);
try {
	const report = await runScheduledWork(db);
	console.log(
		Object.entries(report)
			.map(([k, v]) => `${k}: ${v}`)
			.join(', ')
	);
} catch (error) {
	console.error('jobs failed:', error);
	process.exitCode = 1;
} finally {
	db.$client.close();
}
