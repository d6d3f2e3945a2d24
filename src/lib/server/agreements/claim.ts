import { DecodeBudget } from '../untrusted/bounded-decode';
import { decodedPdfStreams } from '../untrusted/pdf-streams';

const ID_MARK = /liitos-agreement:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;
// pdf-lib writes the keywords as a UTF-16 hex string; a re-saved copy may keep them in an
// object stream, which is why the compressed parts are searched too.
const HEX_STRING = /<([0-9A-Fa-f\s]{16,})>/g;

/**
 * Which agreement a (possibly altered) copy claims to be, from the mark the portal wrote into its
 * keywords. The file is untrusted: it is only scanned, and its compressed parts are expanded
 * within `inflatedBytes` in all (InflateLimitError beyond). Runs in the untrusted-file worker.
 */
export function findClaimedAgreementId(bytes: Uint8Array, inflatedBytes: number): string | null {
	const found = markIn(bytes);
	if (found) return found;
	for (const decoded of decodedPdfStreams(bytes, new DecodeBudget(inflatedBytes))) {
		const inStream = markIn(decoded);
		if (inStream) return inStream;
	}
	return null;
}

function markIn(bytes: Uint8Array): string | null {
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
	const plain = ID_MARK.exec(text);
	if (plain) return plain[1];
	for (const [, hex] of text.matchAll(HEX_STRING)) {
		const inHex = ID_MARK.exec(hexText(hex.replace(/\s+/g, '')));
		if (inHex) return inHex[1];
	}
	return null;
}

/** A PDF text string: UTF-16BE after a byte order mark, else one byte per character. */
function hexText(hex: string): string {
	const bytes = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
	if (bytes[0] === 0xfe && bytes[1] === 0xff)
		return bytes
			.subarray(2, bytes.length - (bytes.length % 2))
			.swap16()
			.toString('utf16le');
	return bytes.toString('latin1');
}
