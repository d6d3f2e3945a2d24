import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { InflateLimitError } from './bounded-decode';
import { untrustedTasks, type UntrustedTask } from './tasks';

/**
 * The worker's entry. The host imports this module only to learn its URL, which is right both
 * from the sources (tests, vite dev) and from the built server, where it is a chunk of its own.
 */
export const workerUrl = import.meta.url;

export const WORKER_MARK = 'liitosUntrustedTask';

export type WorkerReply = { ok: true; value: unknown } | { ok: false; reason: 'too_much_data' | 'failed' };

async function answer(task: UntrustedTask, input: unknown): Promise<WorkerReply> {
	try {
		const run = untrustedTasks[task] as (input: unknown) => unknown;
		return { ok: true, value: await run(input) };
	} catch (error) {
		return { ok: false, reason: error instanceof InflateLimitError ? 'too_much_data' : 'failed' };
	}
}

if (!isMainThread && parentPort && workerData?.[WORKER_MARK]) {
	const port = parentPort;
	void answer(workerData.task, workerData.input).then((reply) => port.postMessage(reply));
}
