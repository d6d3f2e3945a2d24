import { constants, inflateSync } from 'node:zlib';
import { MAX_FILTER_CHAIN } from './limits';

/** The file expands to more than its budget allows (a decompression bomb, or simply too big). */
export class InflateLimitError extends Error {
	constructor() {
		super('decoded data exceeds the budget');
	}
}

/**
 * What one file may still expand to. Every filter stage draws on it, so a bomb hidden behind
 * stacked filters (FlateDecode twice, ASCIIHex over Flate) is stopped as soon as it passes it.
 */
export class DecodeBudget {
	constructor(public remaining: number) {}

	spend(bytes: number): void {
		if (bytes > this.remaining) throw new InflateLimitError();
		this.remaining -= bytes;
	}
}

/**
 * Decodes PDF stream data through its filters, in order, within the budget. Returns null when a
 * filter is not one of the general-purpose ones (image codecs, Crypt, LZW): such data is left
 * encoded, which costs nothing. Damaged data is also null. Throws InflateLimitError when the
 * budget or the chain length is exceeded.
 */
export function decodePdfFilters(data: Uint8Array, filters: readonly string[], budget: DecodeBudget): Uint8Array | null {
	if (filters.length > MAX_FILTER_CHAIN) throw new InflateLimitError();
	let current = data;
	for (const filter of filters) {
		const decoded = decodeOne(current, filter, budget);
		if (!decoded) return null;
		current = decoded;
	}
	return current;
}

function decodeOne(data: Uint8Array, filter: string, budget: DecodeBudget): Uint8Array | null {
	switch (filter) {
		case 'FlateDecode':
		case 'Fl':
			return inflateWithin(data, budget);
		case 'ASCIIHexDecode':
		case 'AHx':
			return spent(budget, asciiHex(data));
		case 'ASCII85Decode':
		case 'A85':
			return ascii85(data, budget);
		case 'RunLengthDecode':
		case 'RL':
			return runLength(data, budget);
		default:
			return null;
	}
}

/** zlib stops at maxOutputLength itself, so a bomb never gets its memory. */
export function inflateWithin(data: Uint8Array, budget: DecodeBudget): Uint8Array | null {
	try {
		// One byte over the budget tells "exactly the budget" from "more".
		const out = inflateSync(data, { maxOutputLength: budget.remaining + 1, finishFlush: constants.Z_SYNC_FLUSH });
		return spent(budget, out);
	} catch (error) {
		if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new InflateLimitError();
		return null;
	}
}

function spent(budget: DecodeBudget, out: Uint8Array): Uint8Array {
	budget.spend(out.byteLength);
	return out;
}

function hexValue(byte: number): number {
	if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
	if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
	if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
	return -1;
}

function asciiHex(data: Uint8Array): Uint8Array {
	const out = new Uint8Array(Math.ceil(data.length / 2));
	let length = 0;
	let high = -1;
	for (const byte of data) {
		if (byte === 0x3e) break; // '>' ends the data
		const value = hexValue(byte);
		if (value < 0) continue; // white space
		if (high < 0) {
			high = value;
		} else {
			out[length++] = (high << 4) | value;
			high = -1;
		}
	}
	if (high >= 0) out[length++] = high << 4;
	return out.subarray(0, length);
}

/** 'z' is four zero bytes, so the output may be four times the input: it is charged as it grows. */
function ascii85(data: Uint8Array, budget: DecodeBudget): Uint8Array {
	const out = new ChunkedOutput(budget);
	const group: number[] = [];
	const flush = (count: number) => {
		let value = 0;
		for (let i = 0; i < 5; i++) value = value * 85 + (group[i] ?? 84);
		for (let i = 0; i < count; i++) out.push((value >>> (24 - 8 * i)) & 0xff);
		group.length = 0;
	};
	for (const byte of data) {
		if (byte === 0x7e) break; // '~>' ends the data
		if (byte === 0x7a && group.length === 0) for (let i = 0; i < 4; i++) out.push(0);
		else if (byte >= 0x21 && byte <= 0x75) {
			group.push(byte - 0x21);
			if (group.length === 5) flush(4);
		}
	}
	if (group.length > 1) flush(group.length - 1);
	return out.bytes();
}

/** Output written byte by byte and charged to the budget as it is written. */
class ChunkedOutput {
	private static readonly BLOCK = 64 * 1024;
	private readonly blocks: Uint8Array[] = [];
	private block = new Uint8Array(0);
	private used = 0;

	constructor(private readonly budget: DecodeBudget) {}

	push(byte: number): void {
		this.budget.spend(1);
		if (this.used === this.block.length) {
			this.block = new Uint8Array(ChunkedOutput.BLOCK);
			this.blocks.push(this.block);
			this.used = 0;
		}
		this.block[this.used++] = byte;
	}

	bytes(): Uint8Array {
		const whole = Buffer.concat(this.blocks);
		return whole.subarray(0, whole.length - (this.block.length - this.used));
	}
}

/** Two bytes may stand for 128: charged before each run is written. */
function runLength(data: Uint8Array, budget: DecodeBudget): Uint8Array {
	const chunks: Uint8Array[] = [];
	let i = 0;
	while (i < data.length) {
		const length = data[i++];
		if (length === 128) break;
		if (length < 128) {
			const literal = data.subarray(i, i + length + 1);
			budget.spend(literal.length);
			chunks.push(literal);
			i += length + 1;
		} else {
			const count = 257 - length;
			budget.spend(count);
			chunks.push(new Uint8Array(count).fill(data[i++] ?? 0));
		}
	}
	return Buffer.concat(chunks);
}
