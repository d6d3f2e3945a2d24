import { Worker } from 'node:worker_threads';
import { untrustedLimits } from './limits';
import type { TaskInput, TaskOutput, UntrustedTask } from './tasks';
import type { WorkerReply } from './worker';

/** Why a file could not be read; each has a message in the reader's language (`refusalMessage`). */
export type Refusal = 'too_much_data' | 'timeout' | 'out_of_memory' | 'busy' | 'failed';

export type SandboxResult<T> = { ok: true; value: T } | { ok: false; reason: Refusal };

let running = 0;
const waiting: (() => void)[] = [];

/**
 * Reads an untrusted file in a worker thread of its own: a bounded heap, a time limit after which
 * it is stopped, and a fresh thread each time so nothing a hostile file did outlives it. The
 * request thread only waits, so everyone else's requests keep being answered meanwhile.
 */
export async function runUntrusted<T extends UntrustedTask>(task: T, input: TaskInput<T>): Promise<SandboxResult<TaskOutput<T>>> {
	if (running >= untrustedLimits.workers()) {
		if (waiting.length >= untrustedLimits.queue()) return { ok: false, reason: 'busy' };
		await new Promise<void>((resolve) => waiting.push(resolve));
	}
	running++;
	try {
		return (await runInWorker(task, input)) as SandboxResult<TaskOutput<T>>;
	} finally {
		running--;
		waiting.shift()?.();
	}
}

async function runInWorker(task: UntrustedTask, input: unknown): Promise<SandboxResult<unknown>> {
	const { workerUrl, WORKER_MARK } = await import('./worker');
	const worker = startWorker(new URL(workerUrl), {
		workerData: { [WORKER_MARK]: true, task, input },
		resourceLimits: { maxOldGenerationSizeMb: untrustedLimits.heapMb(), maxYoungGenerationSizeMb: 16, stackSizeMb: 4 }
	});
	return new Promise((resolve) => {
		let settled = false;
		const settle = (result: SandboxResult<unknown>) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			void worker.terminate();
			resolve(result);
		};
		const timer = setTimeout(() => settle({ ok: false, reason: 'timeout' }), untrustedLimits.timeoutMs());
		worker.on('message', (reply: WorkerReply) => settle(reply));
		worker.on('error', (error: Error & { code?: string }) =>
			settle({ ok: false, reason: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out_of_memory' : 'failed' })
		);
		worker.on('exit', () => settle({ ok: false, reason: 'failed' }));
	});
}

/** From the sources (vitest, vite dev) the entry is TypeScript, which Node 20 runs only through tsx. */
function startWorker(url: URL, options: ConstructorParameters<typeof Worker>[1]): Worker {
	if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
	const loader = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
	return new Worker(loader, { ...options, eval: true });
}
