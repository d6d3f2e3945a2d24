import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrCode } from './qr';

/** Paints the path's unit squares into RGBA pixels, `scale` pixels per module, as a browser would draw it. */
function rasterise({ size, path }: { size: number; path: string }, scale = 4) {
	const width = size * scale;
	const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
	for (const [, x, y] of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
		for (let dy = 0; dy < scale; dy++)
			for (let dx = 0; dx < scale; dx++) {
				const at = ((Number(y) * scale + dy) * width + Number(x) * scale + dx) * 4;
				pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
			}
	}
	return { pixels, width };
}

describe('qrCode', () => {
	it('draws a code that a scanner reads back as the same key URI', () => {
		const uri =
			'otpauth://totp/Liitos%20(Demo%20Terveys%20Oy):aino%40demo.test?issuer=Liitos%20(Demo%20Terveys%20Oy)&algorithm=SHA1&secret=PT2A3WKAWODEVTMU2BHRKTVKS5CJOFCU&period=30&digits=6';
		const { pixels, width } = rasterise(qrCode(uri));
		expect(jsQR(pixels, width, width)?.data).toBe(uri);
	});

	it('keeps a quiet zone of four modules on every side', () => {
		const { size, path } = qrCode('otpauth://totp/x?secret=AAAA');
		const modules = [...path.matchAll(/M(\d+) (\d+)/g)].map(([, x, y]) => [Number(x), Number(y)]);
		expect(Math.min(...modules.flat())).toBe(4);
		expect(Math.max(...modules.flat())).toBe(size - 5);
	});
});
