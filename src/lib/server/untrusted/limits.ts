/**
 * Limits on the work one uploaded file may cause while it is read (README, "Limits on uploaded
 * files"). Read from the environment on each use, so a worker thread sees the same values.
 */
function positive(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const untrustedLimits = {
	/** Bytes all compressed parts of one file may expand to, through every filter together. */
	inflatedBytes: () => positive('LIITOS_UNTRUSTED_INFLATE_MAX_BYTES', 32 * 1024 * 1024),
	/** How long reading one file may take before its worker is stopped. */
	timeoutMs: () => positive('LIITOS_UNTRUSTED_TIMEOUT_MS', 5000),
	/** The JavaScript heap of a reading worker. */
	heapMb: () => positive('LIITOS_UNTRUSTED_HEAP_MB', 128),
	/** Files read at the same time; more wait in line. */
	workers: () => positive('LIITOS_UNTRUSTED_WORKERS', 2),
	/** Files waiting in line before further ones are turned away as "busy". */
	queue: () => positive('LIITOS_UNTRUSTED_QUEUE', 16)
};

/** More filters than this on one stream is an attack shape, not a document. */
export const MAX_FILTER_CHAIN = 4;
