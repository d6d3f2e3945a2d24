/**
 * The certificate reminder scan over the whole registry. The first scan of a registry never
 * scanned before has every reminder due at once; after that the job runs daily and finds what
 * crossed a threshold since yesterday; run again the same day it must send nothing (exactly once).
 */
import { openDatabase } from '../../src/lib/server/db';
import { scanCertificateReminders } from '../../src/lib/server/reminders/reminders';
import { DAY_MS } from '../../src/lib/time';

export interface ScanRun {
	ms: number;
	sent: number;
}

export interface ReminderScans {
	catchUp: ScanRun;
	nextDay: ScanRun;
	again: ScanRun;
}

export function measureReminderScans(databasePath: string, now = new Date()): ReminderScans {
	const db = openDatabase(databasePath);
	const run = (at: Date): ScanRun => {
		const started = performance.now();
		const sent = scanCertificateReminders(db, at);
		return { ms: performance.now() - started, sent };
	};
	try {
		const catchUp = run(now);
		const tomorrow = new Date(now.getTime() + DAY_MS);
		return { catchUp, nextDay: run(tomorrow), again: run(tomorrow) };
	} finally {
		db.$client.close();
	}
}
