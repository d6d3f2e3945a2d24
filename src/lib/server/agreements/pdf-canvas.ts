import { deflateSync } from 'node:zlib';
import type { PDFContext, PDFRef } from 'pdf-lib';
import type { FontProgram } from './pdf-fonts';

/** A device RGB colour as the content stream writes it: "r g b", each 0–1. */
export type Color = string;

/** Hundredths of a point are below anything a printer or a screen resolves. */
const num = (n: number) => String(Math.round(n * 100) / 100);

/**
 * One page's content stream, written as text. pdf-lib's drawing calls build an object per operator
 * and operand and check every option, which cost more than the rest of the rendering; the few
 * operators a text document needs are written here directly. The fill colour and line width are
 * graphics state that carries over from one operator to the next, so each is set only when it changes.
 */
export class PageCanvas {
	private readonly ops: string[] = [];
	private fill = '';
	private stroke = '';
	private lineWidth = '';

	private setFill(color: Color): void {
		if (color !== this.fill) this.ops.push(`${(this.fill = color)} rg`);
	}

	private setStroke(color: Color, width: number): void {
		if (color !== this.stroke) this.ops.push(`${(this.stroke = color)} RG`);
		const w = num(width);
		if (w !== this.lineWidth) this.ops.push(`${(this.lineWidth = w)} w`);
	}

	/** One line of text with its baseline starting at (x, y), turned by `angle` radians when given. */
	text(text: string, at: { x: number; y: number; size: number; font: FontProgram; color: Color; angle?: number }): void {
		const glyphs = at.font.encode(text);
		if (!glyphs) return;
		this.setFill(at.color);
		const position = at.angle
			? `${[Math.cos(at.angle), Math.sin(at.angle), -Math.sin(at.angle), Math.cos(at.angle)].map((n) => n.toFixed(5)).join(' ')} ${num(at.x)} ${num(at.y)} Tm`
			: `${num(at.x)} ${num(at.y)} Td`;
		this.ops.push(`BT /${at.font.resourceName} ${num(at.size)} Tf ${position} (${glyphs}) Tj ET`);
	}

	line(from: { x: number; y: number }, to: { x: number; y: number }, width: number, color: Color): void {
		this.setStroke(color, width);
		this.ops.push(`${num(from.x)} ${num(from.y)} m ${num(to.x)} ${num(to.y)} l S`);
	}

	/** A rectangle with a border, filled when `fill` is given. */
	rect(x: number, y: number, width: number, height: number, border: { color: Color; width: number }, fill?: Color): void {
		if (fill) this.setFill(fill);
		this.setStroke(border.color, border.width);
		this.ops.push(`${num(x)} ${num(y)} ${num(width)} ${num(height)} re ${fill ? 'B' : 'S'}`);
	}

	/**
	 * The content as a compressed stream registered in the document. zlib's fastest level takes
	 * half the time of its default on these pages and adds about 2 kB to a 9-page document.
	 */
	finish(context: PDFContext): PDFRef {
		const contents = deflateSync(Buffer.from(this.ops.join('\n'), 'latin1'), { level: 1 });
		return context.register(context.stream(contents, { Filter: 'FlateDecode' }));
	}
}
