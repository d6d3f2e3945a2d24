import type { Db } from './db';
import { and, eq, isNull } from 'drizzle-orm';
import { agreement } from './db/schema';
import { runAgreementSweep, getAgreement } from './agreements/agreements';
import { sealAgreement } from './agreements/sealing';
import { notifyAgreementStep } from './agreements/notify';

const EVERY_MS = 5 * 60 * 1000;

/**
 * Date-driven work. Everything it acts on is state in the database, so a restart loses nothing:
 * the first run after start-up picks up whatever fell due while the server was down.
 */
export async function runScheduledWork(db: Db, now = new Date()): Promise<void> {
	const { ended, endedAutomatically } = runAgreementSweep(db, now);
	for (const id of [...ended, ...endedAutomatically]) {
		const current = getAgreement(db, id);
		if (current) await notifyAgreementStep(db, current, 'ended');
	}
	// An agreement that came into force but whose sealing was interrupted is sealed now.
	const unsealed = db.select({ id: agreement.id }).from(agreement).where(and(eq(agreement.status, 'in_force'), isNull(agreement.sealedPath))).all();
	for (const { id } of unsealed) await sealAgreement(db, id, now);
}

let timer: ReturnType<typeof setInterval> | undefined;

export function startScheduler(db: Db): void {
	if (timer) return;
	const run = () => runScheduledWork(db).catch((error) => console.error('scheduled work failed:', error));
	void run();
	timer = setInterval(run, EVERY_MS);
	timer.unref();
}
