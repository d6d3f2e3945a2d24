import { encode } from 'uqr';

/**
 * A QR code as one SVG path of unit squares, so the page draws it without inline markup from a
 * library. The four-module quiet zone is part of the size, as scanners need it.
 */
export function qrCode(text: string): { size: number; path: string } {
	const { size, data } = encode(text, { ecc: 'M', border: 4 });
	let path = '';
	data.forEach((row, y) =>
		row.forEach((dark, x) => {
			if (dark) path += `M${x} ${y}h1v1h-1z`;
		})
	);
	return { size, path };
}
